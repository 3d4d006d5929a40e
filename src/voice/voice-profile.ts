import { AutoVoiceError } from '../errors/index.js';

/**
 * The voice profile: everything zero-shot conversion needs to know about a target voice,
 * extracted once from its recordings (src/pipelines/create-profile.pipeline.ts) and stored in a
 * versioned on-disk format (src/voice/profile-format.ts, docs/voice-profile-format.md).
 *
 * Arrays are Float32Array so the format can store them as raw binary and round-trip them
 * bit-exactly. Log values are natural logarithms of power (envelopes) or of Hz (F0).
 */

/** The on-disk format version this code writes (and the newest it reads). */
export const VOICE_PROFILE_FORMAT_VERSION = 1;

/** Pitch statistics over the voiced frames of the recordings. */
export interface PitchStatistics {
  /** Number of voiced 5 ms frames the statistics were computed from. */
  readonly voicedFrames: number;
  /** Mean of ln(F0 / 1 Hz) over voiced frames. */
  readonly meanLogF0: number;
  /** Standard deviation of ln(F0) over voiced frames (natural-log units; 0.0578 ≈ 1 semitone). */
  readonly stdLogF0: number;
  /** Median F0 in Hz. */
  readonly medianHz: number;
  /** Low end of the range: 5th percentile of F0 in Hz. */
  readonly lowHz: number;
  /** High end of the range: 95th percentile of F0 in Hz. */
  readonly highHz: number;
  /** Note names (scientific pitch notation, A4 = 440 Hz) of lowHz, medianHz, highHz. */
  readonly lowNote: string;
  readonly medianNote: string;
  readonly highNote: string;
  /**
   * Histogram of voiced-frame F0 on a log axis: bin i counts frames with
   * F0 in [F0_HISTOGRAM_FLOOR_HZ·2^(i·w/1200), …·2^((i+1)·w/1200)), w = F0_HISTOGRAM_BIN_CENTS.
   * Kept so that adding recordings recomputes exact-enough statistics without the audio.
   */
  readonly logF0Histogram: Float32Array;
}

/** Lowest F0 of the histogram axis (Hz). */
export const F0_HISTOGRAM_FLOOR_HZ = 40;
/** Width of one histogram bin in cents. */
export const F0_HISTOGRAM_BIN_CENTS = 10;
/** Number of histogram bins (40 Hz … about 2.2 kHz). */
export const F0_HISTOGRAM_BIN_COUNT = 700;

/**
 * The timbre model: the target's own spectral frames and averages on a fixed mel-spaced
 * frequency axis (independent of sample rate and FFT size), so conversion can pick target frames
 * (k-nearest-neighbour regression) and equalise toward the target's average envelope.
 */
export interface TimbreModel {
  /** Frequencies (Hz) of the envelope axis, mel-spaced from 0 Hz (see melEnvelopeAxisHz). */
  readonly axisHz: Float32Array;
  /** Highest frequency (Hz) actually observed in the recordings (their Nyquist, capped by the axis). */
  readonly maxObservedHz: number;
  /** Mean ln power envelope of voiced frames, per axis point (level removed: mean over the matching band = 0). */
  readonly meanVoicedLogEnvelope: Float32Array;
  /** Standard deviation of the voiced ln envelopes per axis point. */
  readonly stdVoicedLogEnvelope: Float32Array;
  /** Mean ln power envelope of active unvoiced frames (consonants, breaths), level removed. */
  readonly meanUnvoicedLogEnvelope: Float32Array;
  /** Mean aperiodicity (0..1) of voiced frames per axis point. */
  readonly meanVoicedAperiodicity: Float32Array;
  /**
   * Codebook: `codebookFrames` voiced frames, each `axisHz.length` ln-power values with its own
   * level removed, frame-major. The exemplars conversion selects from.
   */
  readonly codebook: Float32Array;
  /** F0 (Hz) of each codebook frame. */
  readonly codebookF0Hz: Float32Array;
  /** Number of frames in the codebook. */
  readonly codebookFrames: number;
  /** Voiced frames the averages were computed from (weights when merging recordings). */
  readonly voicedFrames: number;
  /** Unvoiced active frames the unvoiced average was computed from. */
  readonly unvoicedFrames: number;
  /**
   * Vocal-tract-length warp factor of this voice relative to the built-in reference envelope
   * (> 1: formants higher than the reference, i.e. a shorter vocal tract). Informational; conversion
   * estimates the source→target warp directly from the two average envelopes.
   */
  readonly vtlnWarpFactor: number;
}

/** Loudness of the recordings. */
export interface ProfileLoudness {
  /** Integrated loudness of the recordings (LUFS, energy-weighted over recordings). */
  readonly integratedLufs: number;
  /** Highest sample peak (dBFS). */
  readonly samplePeakDbfs: number;
}

/** One recording that went into the profile. */
export interface ProfileSource {
  readonly durationSeconds: number;
  readonly voicedSeconds: number;
  readonly sampleRate: number;
  /** Optional label (file name, or `tts:<voice>` for stock voices). */
  readonly label?: string;
}

/** The quality report returned with (and stored in) a profile. */
export interface ProfileQualityReport {
  /** Total duration of all recordings (s). */
  readonly totalSeconds: number;
  /** Voiced audio found (s). */
  readonly voicedSeconds: number;
  /** Pitch range summary (Hz and note names). */
  readonly pitchRange: {
    readonly lowHz: number;
    readonly highHz: number;
    readonly lowNote: string;
    readonly highNote: string;
    readonly medianHz: number;
  };
  /** Estimated signal-to-noise ratio (dB; capped at 60). */
  readonly estimatedSnrDb: number;
  /** Fraction of samples in clipped runs. */
  readonly clippedFraction: number;
  /** Human-readable warnings (usable but not ideal input). */
  readonly warnings: readonly string[];
  /** Similarity (cosine) to the most similar other profile, when the caller checked duplicates. */
  readonly nearestProfile?: { readonly id: string; readonly name: string; readonly similarity: number };
}

/** Where a profile came from. */
export type ProfileOrigin = 'recordings' | 'stock' | 'imported';

/** A voice profile (in memory). */
export interface VoiceProfile {
  readonly formatVersion: number;
  /** Opaque id generated by AutoVoice (lower-case letters, digits, dashes). */
  readonly id: string;
  /** Human name, unique per installation (case-insensitive). */
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** API key that owns the profile (server); null for shared/stock/CLI profiles. */
  readonly ownerKeyId: string | null;
  readonly origin: ProfileOrigin;
  readonly pitch: PitchStatistics;
  readonly timbre: TimbreModel;
  readonly loudness: ProfileLoudness;
  /** Fixed-length speaker embedding (src/quality computeSpeakerEmbedding) of the voiced audio. */
  readonly embedding: Float32Array;
  readonly sources: readonly ProfileSource[];
  readonly report: ProfileQualityReport;
}

/** The small, array-free view of a profile that listings return. */
export interface VoiceProfileSummary {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly ownerKeyId: string | null;
  readonly origin: ProfileOrigin;
  readonly voicedSeconds: number;
  readonly pitchRange: ProfileQualityReport['pitchRange'];
  readonly warnings: readonly string[];
}

/** The summary of a profile (no arrays). */
export function summarizeProfile(profile: VoiceProfile): VoiceProfileSummary {
  return {
    id: profile.id,
    name: profile.name,
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    ownerKeyId: profile.ownerKeyId,
    origin: profile.origin,
    voicedSeconds: profile.report.voicedSeconds,
    pitchRange: profile.report.pitchRange,
    warnings: profile.report.warnings,
  };
}

/** Pattern every profile id matches (ids are generated, never taken from a client path). */
export const VOICE_PROFILE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;

/** A fresh random profile id, e.g. `vp-3f9c0a1b7d2e4c58`. */
export function generateVoiceProfileId(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return `vp-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Longest profile name accepted (characters). */
export const VOICE_PROFILE_NAME_MAX_LENGTH = 64;

/**
 * Validates and normalises a profile name (trimmed; 1..64 characters; no control characters
 * or path separators). Returns the trimmed name; throws `usage.invalid_argument`.
 */
export function normalizeProfileName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  // eslint-disable-next-line no-control-regex
  const forbidden = /[\u0000-\u001f\u007f/\\]/;
  if (trimmed.length === 0 || trimmed.length > VOICE_PROFILE_NAME_MAX_LENGTH || forbidden.test(trimmed)) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `A voice name must be 1 to ${VOICE_PROFILE_NAME_MAX_LENGTH} characters without control characters or slashes, e.g. "alice-speaking".`,
      { name },
    );
  }
  return trimmed;
}
