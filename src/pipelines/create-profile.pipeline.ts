import { measureIntegratedLoudness, mixToMono, resample, type RawAudio } from '../audio/index.js';
import { analyzeVoice } from '../dsp/analysis.js';
import { estimateF0, type F0Track } from '../dsp/pitch/index.js';
import { AutoVoiceError } from '../errors/index.js';
import { computeSpeakerEmbedding } from '../quality/index.js';
import { repairF0Outliers } from '../voice/f0-repair.js';
import {
  accumulateF0Histogram,
  mergePitchStatistics,
  pitchStatisticsFromHistogram,
} from '../voice/pitch-statistics.js';
import { assessRecording, type RecordingAssessment } from '../voice/recording-checks.js';
import { mergeTimbreModels, TimbreModelBuilder } from '../voice/timbre-model.js';
import {
  F0_HISTOGRAM_BIN_COUNT,
  generateVoiceProfileId,
  normalizeProfileName,
  VOICE_PROFILE_FORMAT_VERSION,
  type PitchStatistics,
  type ProfileOrigin,
  type ProfileQualityReport,
  type ProfileSource,
  type VoiceProfile,
} from '../voice/voice-profile.js';
import { assertEngineSampleRate } from './engine-sample-rate.js';
import type { PipelineRunOptions } from './progress.js';
import { createStageReporter, type PipelineStage } from './stage-progress.js';

/** The stages of profile creation, in order (names appear in progress events). */
export const CREATE_PROFILE_STAGES = [
  { name: 'decode', weight: 1 },
  { name: 'detect-voice', weight: 4 },
  { name: 'analyze', weight: 8 },
  { name: 'model-timbre', weight: 1 },
  { name: 'embed', weight: 2 },
  { name: 'report', weight: 0.5 },
] as const satisfies readonly PipelineStage[];

/** A stage name of profile creation. */
export type CreateProfileStage = (typeof CREATE_PROFILE_STAGES)[number]['name'];

/** Options of createVoiceProfile. */
export interface CreateProfileOptions extends PipelineRunOptions {
  /** Profile name (1..64 characters). */
  readonly name: string;
  /** Labels of the inputs (file names), same order; shown in the profile's sources. */
  readonly labels?: readonly string[];
  readonly origin?: ProfileOrigin;
  readonly ownerKeyId?: string | null;
  /** Least voiced audio accepted (s). */
  readonly minVoicedSeconds?: number;
  /** Largest fraction of clipped samples accepted. */
  readonly maxClippedFraction?: number;
  /** Most voiced audio analysed for the timbre model (s); longer inputs are sampled evenly. */
  readonly maxAnalysisSeconds?: number;
}

/** What createVoiceProfile returns. */
export interface CreateProfileResult {
  readonly profile: VoiceProfile;
  readonly report: ProfileQualityReport;
}

/** Recordings above this rate are analysed at it: the timbre axis ends at 12 kHz, so nothing is lost. */
export const PROFILE_ANALYSIS_MAX_RATE_HZ = 24000;
const FRAME_PERIOD_MS = 10;
const CHUNK_FRAMES = 1000; // 10 s analysis chunks bound memory
const PAD_FRAMES = 10;
const MAX_EMBEDDING_SECONDS = 60;
const MAX_INPUT_SECONDS = 15 * 60;
/** Above this share of dead-steady pitch, the "voice" is an instrument or a tone generator. */
const MAX_STEADY_PITCH_FRACTION = 0.5;

interface PreparedInput {
  readonly signal: Float32Array;
  readonly sampleRate: number;
  readonly durationSeconds: number;
  readonly label: string | undefined;
  readonly originalRate: number;
  readonly lufs: number;
  readonly peakDbfs: number;
}

interface AnalysedRecordings {
  readonly inputs: readonly PreparedInput[];
  readonly assessments: readonly RecordingAssessment[];
  readonly voicedSeconds: number;
}

function prepareInputs(inputs: readonly RawAudio[], labels: readonly string[] | undefined): PreparedInput[] {
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new AutoVoiceError(
      'usage.missing_argument',
      'Give at least one recording (10 s to 10 min of speech or singing) to build a voice profile.',
    );
  }
  let total = 0;
  return inputs.map((audio, i) => {
    if (audio.channels.length === 0) {
      throw new AutoVoiceError('usage.invalid_argument', `Recording ${i + 1} has no channels.`);
    }
    // Any rate above this is fine: the analysis resamples to PROFILE_ANALYSIS_MAX_RATE_HZ below.
    assertEngineSampleRate(audio.sampleRate, `Recording ${i + 1}`);
    const mono = mixToMono(audio);
    total += mono.length / audio.sampleRate;
    if (total > MAX_INPUT_SECONDS) {
      throw new AutoVoiceError(
        'audio.too_long',
        `Profiles take at most ${MAX_INPUT_SECONDS / 60} minutes of recordings in all; 1 to 10 minutes is plenty.`,
      );
    }
    let peak = 0;
    for (const ch of audio.channels)
      for (let k = 0; k < ch.length; k++) peak = Math.max(peak, Math.abs(ch[k] as number));
    const rate = Math.min(audio.sampleRate, PROFILE_ANALYSIS_MAX_RATE_HZ);
    const signal = rate === audio.sampleRate ? mono : resample(mono, audio.sampleRate, rate);
    return {
      signal,
      sampleRate: rate,
      durationSeconds: mono.length / audio.sampleRate,
      label: labels?.[i],
      originalRate: audio.sampleRate,
      lufs: measureIntegratedLoudness(audio),
      peakDbfs: peak > 0 ? 20 * Math.log10(peak) : -Infinity,
    };
  });
}

/** Energy-weighted mean of LUFS values (durations as weights); -Infinity when all are silent. */
function combineLufs(values: readonly { lufs: number; seconds: number }[]): number {
  let e = 0;
  let s = 0;
  for (const v of values) {
    s += v.seconds;
    if (Number.isFinite(v.lufs)) e += v.seconds * 10 ** (v.lufs / 10);
  }
  return e > 0 && s > 0 ? 10 * Math.log10(e / s) : -Infinity;
}

function rejectUnusable(rec: AnalysedRecordings, minVoicedSeconds: number, maxClipped: number): void {
  const active = rec.assessments.reduce((s, a) => s + a.activeSeconds, 0);
  const total = rec.inputs.reduce((s, a) => s + a.durationSeconds, 0);
  const clipped =
    rec.assessments.reduce((s, a, i) => s + a.clippedFraction * (rec.inputs[i]?.durationSeconds ?? 0), 0) /
    Math.max(1e-9, total);
  if (clipped > maxClipped) {
    throw new AutoVoiceError(
      'voice.clipped',
      `The recording is heavily clipped (${(clipped * 100).toFixed(1)} % of samples at full scale); record again with lower input gain.`,
      { clippedFraction: clipped },
    );
  }
  if (active < 0.5) {
    throw new AutoVoiceError(
      'voice.no_voice',
      'The recording is silent; give 10 s to 10 min of someone speaking or singing.',
      { activeSeconds: active },
    );
  }
  const steady =
    rec.assessments.reduce((s, a) => s + a.steadyPitchFraction * a.voicedSeconds, 0) /
    Math.max(1e-9, rec.voicedSeconds);
  if (steady > MAX_STEADY_PITCH_FRACTION) {
    throw new AutoVoiceError(
      'voice.no_voice',
      'No voice found: the pitch never wavers, as with instruments or test tones. Give a recording of someone speaking or singing (use "autovoice separate" first for songs).',
      { steadyPitchFraction: steady },
    );
  }
  const voicedRatio = rec.voicedSeconds / Math.max(1e-9, active);
  if (rec.voicedSeconds < minVoicedSeconds) {
    // Little voice among much sound is noise or music; little voice among little sound is just short.
    if (voicedRatio < 0.1) {
      throw new AutoVoiceError(
        'voice.no_voice',
        'No voice found: the audio sounds like noise or music. Give a recording of someone speaking or singing, without accompaniment (use "autovoice separate" first for songs).',
        { voicedSeconds: rec.voicedSeconds, activeSeconds: active },
      );
    }
    throw new AutoVoiceError(
      'voice.too_short',
      `Only ${rec.voicedSeconds.toFixed(1)} s of voiced audio found; at least ${minVoicedSeconds} s is needed (30 s to a few minutes works best).`,
      { voicedSeconds: rec.voicedSeconds, minVoicedSeconds },
    );
  }
}

/**
 * Builds a voice profile from one or more recordings (speech or singing, 10 s to 10 min in all).
 * Stages: decode (mono, analysis rate, loudness) → detect-voice (F0, voiced/active frames,
 * clipping, SNR; unusable input rejected with `voice.no_voice` / `voice.too_short` /
 * `voice.clipped`) → analyze (vocoder analysis of the voiced material, in 10 s chunks) →
 * model-timbre (codebook and averages) → embed (speaker embedding) → report.
 */
export async function createVoiceProfile(
  inputs: readonly RawAudio[],
  options: CreateProfileOptions,
): Promise<CreateProfileResult> {
  const name = normalizeProfileName(options.name);
  const built = await analyzeRecordings(inputs, options);
  const now = new Date().toISOString();
  const profile: VoiceProfile = {
    formatVersion: VOICE_PROFILE_FORMAT_VERSION,
    id: generateVoiceProfileId(),
    name,
    createdAt: now,
    updatedAt: now,
    ownerKeyId: options.ownerKeyId ?? null,
    origin: options.origin ?? 'recordings',
    ...built,
  };
  return { profile, report: profile.report };
}

/**
 * Adds recordings to an existing profile: the new material is analysed like createVoiceProfile's
 * and merged (pitch histograms added, timbre averages weighted by frames, codebooks pooled,
 * embeddings averaged by voiced time). The combined material must pass the same checks.
 */
export async function addRecordingsToProfile(
  profile: VoiceProfile,
  inputs: readonly RawAudio[],
  options: Omit<CreateProfileOptions, 'name'> = {},
): Promise<CreateProfileResult> {
  const minVoiced = Math.max(0, (options.minVoicedSeconds ?? 5) - profile.report.voicedSeconds);
  const built = await analyzeRecordings(inputs, { ...options, minVoicedSeconds: Math.max(1, minVoiced) });
  const wa =
    profile.report.voicedSeconds / Math.max(1e-9, profile.report.voicedSeconds + built.report.voicedSeconds);
  const embedding = profile.embedding.map((v, i) => wa * v + (1 - wa) * (built.embedding[i] ?? 0));
  const pitch = mergePitchStatistics(profile.pitch, built.pitch);
  const timbre = mergeTimbreModels(profile.timbre, built.timbre);
  const sources = [...profile.sources, ...built.sources];
  const totalSeconds = profile.report.totalSeconds + built.report.totalSeconds;
  const voicedSeconds = profile.report.voicedSeconds + built.report.voicedSeconds;
  const loudness = {
    integratedLufs: combineLufs([
      { lufs: profile.loudness.integratedLufs, seconds: profile.report.totalSeconds },
      { lufs: built.loudness.integratedLufs, seconds: built.report.totalSeconds },
    ]),
    samplePeakDbfs: Math.max(profile.loudness.samplePeakDbfs, built.loudness.samplePeakDbfs),
  };
  const report = buildReport(
    pitch,
    totalSeconds,
    voicedSeconds,
    wa * profile.report.estimatedSnrDb + (1 - wa) * built.report.estimatedSnrDb,
    (profile.report.clippedFraction * profile.report.totalSeconds +
      built.report.clippedFraction * built.report.totalSeconds) /
      Math.max(1e-9, totalSeconds),
    loudness.samplePeakDbfs,
  );
  const next: VoiceProfile = {
    ...profile,
    pitch,
    timbre,
    embedding,
    sources,
    loudness,
    report,
    updatedAt: new Date().toISOString(),
  };
  return { profile: next, report };
}

type BuiltParts = Pick<VoiceProfile, 'pitch' | 'timbre' | 'loudness' | 'embedding' | 'sources' | 'report'>;

async function analyzeRecordings(
  inputs: readonly RawAudio[],
  options: Omit<CreateProfileOptions, 'name'>,
): Promise<BuiltParts> {
  const progress = createStageReporter(CREATE_PROFILE_STAGES, options);
  const minVoicedSeconds = options.minVoicedSeconds ?? 5;
  const maxClipped = options.maxClippedFraction ?? 0.01;
  const maxAnalysisSeconds = options.maxAnalysisSeconds ?? 60;

  progress.enter('decode');
  const prepared = prepareInputs(inputs, options.labels);

  progress.enter('detect-voice');
  const tracks: F0Track[] = [];
  const assessments: RecordingAssessment[] = [];
  const histogram = new Float32Array(F0_HISTOGRAM_BIN_COUNT);
  for (let i = 0; i < prepared.length; i++) {
    const input = prepared[i] as PreparedInput;
    const tracked = estimateF0(input.signal, input.sampleRate, { framePeriodMs: FRAME_PERIOD_MS });
    const track: F0Track = { ...tracked, f0Hz: repairF0Outliers(tracked.f0Hz) };
    const assessment = assessRecording(input.signal, input.sampleRate, track);
    accumulateF0Histogram(histogram, track.f0Hz, assessment.voiceFrames);
    tracks.push(track);
    assessments.push(assessment);
    progress.update('detect-voice', (i + 1) / prepared.length);
  }
  const voicedSeconds = assessments.reduce((s, a) => s + a.voicedSeconds, 0);
  rejectUnusable({ inputs: prepared, assessments, voicedSeconds }, minVoicedSeconds, maxClipped);
  const pitch = pitchStatisticsFromHistogram(histogram);

  progress.enter('analyze');
  // Analyse whole 10 s chunks, spread evenly, until about maxAnalysisSeconds of voice is covered.
  const keepEvery = Math.max(1, Math.round(voicedSeconds / maxAnalysisSeconds));
  const builder = new TimbreModelBuilder();
  let chunkIndex = 0;
  let chunksDone = 0;
  const totalChunks = prepared.reduce(
    (s, p, i) => s + Math.ceil((tracks[i]?.f0Hz.length ?? 0) / CHUNK_FRAMES),
    0,
  );
  for (let i = 0; i < prepared.length; i++) {
    const input = prepared[i] as PreparedInput;
    const track = tracks[i] as (typeof tracks)[number];
    const voice = (assessments[i] as RecordingAssessment).voiceFrames;
    const frames = track.f0Hz.length;
    const hop = (input.sampleRate * FRAME_PERIOD_MS) / 1000;
    for (let f0 = 0; f0 < frames; f0 += CHUNK_FRAMES, chunkIndex++) {
      chunksDone++;
      if (chunkIndex % keepEvery !== 0) continue;
      const f1 = Math.min(frames, f0 + CHUNK_FRAMES);
      const a = Math.max(0, f0 - PAD_FRAMES);
      const b = Math.min(frames, f1 + PAD_FRAMES);
      const s0 = Math.round(a * hop);
      const s1 = Math.min(input.signal.length, Math.round((b - 1) * hop) + 1);
      const voicedSlice = voice.subarray(a, b);
      const f0Slice = track.f0Hz.slice(a, b).map((f, k) => (voicedSlice[k] === 1 ? f : 0));
      const analysis = analyzeVoice(input.signal.subarray(s0, s1), input.sampleRate, {
        f0Track: { f0Hz: f0Slice, voiced: voicedSlice, framePeriodMs: FRAME_PERIOD_MS },
      });
      const lo = f0 - a;
      const hi = lo + (f1 - f0);
      builder.add(
        {
          sampleRate: analysis.sampleRate,
          fftSize: analysis.fftSize,
          f0Hz: analysis.f0Hz.subarray(lo, hi),
          voiced: analysis.voiced.subarray(lo, hi),
          spectralEnvelope: analysis.spectralEnvelope.slice(lo, hi),
          aperiodicity: analysis.aperiodicity.slice(lo, hi),
        },
        voicedSlice.subarray(lo, hi),
      );
      progress.update('analyze', chunksDone / Math.max(1, totalChunks));
      // Yield so a server's event loop and cancellation stay responsive on long inputs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  progress.enter('model-timbre');
  const timbre = builder.build();

  progress.enter('embed');
  const embedding = computeSpeakerEmbedding(...voicedMaterial(prepared, tracks, assessments));

  progress.enter('report');
  const totalSeconds = prepared.reduce((s, p) => s + p.durationSeconds, 0);
  const loudness = {
    integratedLufs: combineLufs(prepared.map((p) => ({ lufs: p.lufs, seconds: p.durationSeconds }))),
    samplePeakDbfs: Math.max(...prepared.map((p) => p.peakDbfs)),
  };
  const snr =
    assessments.reduce((s, a) => s + a.estimatedSnrDb * a.voicedSeconds, 0) / Math.max(1e-9, voicedSeconds);
  const clipped =
    assessments.reduce((s, a, i) => s + a.clippedFraction * (prepared[i]?.durationSeconds ?? 0), 0) /
    Math.max(1e-9, totalSeconds);
  const report = buildReport(pitch, totalSeconds, voicedSeconds, snr, clipped, loudness.samplePeakDbfs);
  const sources: ProfileSource[] = prepared.map((p, i) => ({
    durationSeconds: p.durationSeconds,
    voicedSeconds: (assessments[i] as RecordingAssessment).voicedSeconds,
    sampleRate: p.originalRate,
    ...(p.label !== undefined ? { label: p.label } : {}),
  }));
  progress.finish();
  return { pitch, timbre, loudness, embedding, sources, report };
}

/** The voiced frames of the recordings (with 20 ms context), concatenated, capped at 60 s, at one rate. */
function voicedMaterial(
  prepared: readonly PreparedInput[],
  tracks: readonly { f0Hz: Float32Array }[],
  assessments: readonly RecordingAssessment[],
): [Float32Array, number] {
  const rate = Math.min(...prepared.map((p) => p.sampleRate));
  const maxSamples = Math.round(MAX_EMBEDDING_SECONDS * rate);
  const pieces: Float32Array[] = [];
  let total = 0;
  for (let i = 0; i < prepared.length && total < maxSamples; i++) {
    const p = prepared[i] as PreparedInput;
    const sig = p.sampleRate === rate ? p.signal : resample(p.signal, p.sampleRate, rate);
    const voice = (assessments[i] as RecordingAssessment).voiceFrames;
    const hop = (rate * FRAME_PERIOD_MS) / 1000;
    const frames = tracks[i]?.f0Hz.length ?? 0;
    let t = 0;
    while (t < frames && total < maxSamples) {
      if (voice[t] !== 1) {
        t++;
        continue;
      }
      let e = t;
      while (e < frames && voice[e] === 1) e++;
      const a = Math.max(0, Math.round((t - 4) * hop));
      const b = Math.min(sig.length, Math.round((e + 4) * hop), a + (maxSamples - total));
      if (b > a) {
        pieces.push(sig.subarray(a, b));
        total += b - a;
      }
      t = e;
    }
  }
  const out = new Float32Array(total);
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return [out, rate];
}

function buildReport(
  pitch: PitchStatistics,
  totalSeconds: number,
  voicedSeconds: number,
  snrDb: number,
  clippedFraction: number,
  peakDbfs: number,
): ProfileQualityReport {
  const warnings: string[] = [];
  if (voicedSeconds < 20)
    warnings.push(
      `Only ${voicedSeconds.toFixed(1)} s of voiced audio; 30 s or more gives a more faithful voice.`,
    );
  if (snrDb < 20)
    warnings.push(
      `The recording is noisy (about ${snrDb.toFixed(0)} dB SNR); a quieter room improves the profile.`,
    );
  if (clippedFraction > 0.001)
    warnings.push(
      `Some clipping (${(clippedFraction * 100).toFixed(2)} % of samples); lower the input gain.`,
    );
  if (peakDbfs < -30) warnings.push(`The recording is very quiet (peak ${peakDbfs.toFixed(0)} dBFS).`);
  if (pitch.voicedFrames > 0 && pitch.highHz / pitch.lowHz < 1.3)
    warnings.push('Very little pitch variation; conversions far from this range may sound less natural.');
  return {
    totalSeconds,
    voicedSeconds,
    pitchRange: {
      lowHz: pitch.lowHz,
      highHz: pitch.highHz,
      lowNote: pitch.lowNote,
      highNote: pitch.highNote,
      medianHz: pitch.medianHz,
    },
    estimatedSnrDb: snrDb,
    clippedFraction,
    warnings,
  };
}
