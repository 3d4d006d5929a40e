/**
 * What a recording offers for a profile: where the voice is (voiced, active frames on the F0
 * grid), how much of it there is, how clipped it is and how noisy — the facts behind the
 * `voice.too_short` / `voice.clipped` / `voice.no_voice` decisions and the quality report.
 */

/** Options of assessRecording. */
export interface RecordingCheckOptions {
  /** Frames quieter than the loud frames (95th percentile) by more than this (dB) are silence. */
  activityRangeDb: number;
  /** Frames quieter than this absolute level (dBFS) are silence whatever the recording. */
  absoluteSilenceDbfs: number;
  /** Minimum periodicity (F0 tracker confidence, 0..1) of a frame counted as voice. */
  minVoicedConfidence: number;
  /** Samples at or above this fraction of the peak, in runs, count as clipped. */
  clipLevelRatio: number;
  /** Shortest run of samples at the clip level counted as clipping. */
  clipRunSamples: number;
  /** Pitch within this many cents of the local median counts as steady. */
  steadyCents: number;
  /** Half-width of the steadiness window (ms). */
  steadyHalfWindowMs: number;
}

export const defaultRecordingCheckOptions: RecordingCheckOptions = {
  activityRangeDb: 45,
  absoluteSilenceDbfs: -65,
  minVoicedConfidence: 0.5,
  clipLevelRatio: 0.999,
  clipRunSamples: 3,
  steadyCents: 8,
  steadyHalfWindowMs: 100,
};

/** The F0 analysis the checks read (src/dsp/pitch F0Track). */
export interface VoicingTrack {
  readonly f0Hz: Float32Array;
  readonly voiced: Uint8Array;
  readonly confidence: Float32Array;
  readonly framePeriodMs: number;
}

/** Result of assessRecording. */
export interface RecordingAssessment {
  readonly durationSeconds: number;
  /** Seconds of frames above the silence threshold. */
  readonly activeSeconds: number;
  /** Seconds of voiced, active, confident frames. */
  readonly voicedSeconds: number;
  /** Per F0 frame: 1 where the frame is voice (voiced, active, confident). */
  readonly voiceFrames: Uint8Array;
  /** Per F0 frame: 1 where the frame is active (not silence). */
  readonly activeFrames: Uint8Array;
  /** Fraction of samples inside clipped runs. */
  readonly clippedFraction: number;
  /** Voice level over noise floor (dB), capped at 60. */
  readonly estimatedSnrDb: number;
  /** Peak sample level (dBFS). */
  readonly peakDbfs: number;
  /**
   * Fraction of voice frames inside stretches of unwavering pitch (within ±steadyCents for
   * ±steadyHalfWindowMs): near 1 for instruments and tone generators, low for voices, whose pitch
   * always drifts, glides or wobbles (intonation, vibrato, jitter).
   */
  readonly steadyPitchFraction: number;
}

/** Highest SNR reported (dB): digital silence between phrases would otherwise give infinity. */
export const MAX_REPORTED_SNR_DB = 60;

/** Fraction of samples in runs of >= runSamples consecutive samples at >= levelRatio·peak (|x|). */
export function measureClipping(signal: Float32Array, levelRatio: number, runSamples: number): number {
  let peak = 0;
  for (let i = 0; i < signal.length; i++) peak = Math.max(peak, Math.abs(signal[i] as number));
  // Quiet recordings cannot have hit the converter's rails.
  if (peak < 0.25) return 0;
  const level = peak * levelRatio;
  let clipped = 0;
  let run = 0;
  for (let i = 0; i <= signal.length; i++) {
    const hit = i < signal.length && Math.abs(signal[i] as number) >= level;
    if (hit) run++;
    else {
      if (run >= runSamples) clipped += run;
      run = 0;
    }
  }
  return signal.length > 0 ? clipped / signal.length : 0;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return -Infinity;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))] as number;
}

/** Assesses one mono recording with its F0 track (same signal, frames centred at i·framePeriodMs). */
export function assessRecording(
  signal: Float32Array,
  sampleRate: number,
  track: VoicingTrack,
  options: Partial<RecordingCheckOptions> = {},
): RecordingAssessment {
  const opts: RecordingCheckOptions = { ...defaultRecordingCheckOptions, ...options };
  const frames = track.f0Hz.length;
  const hop = (track.framePeriodMs / 1000) * sampleRate;
  const half = Math.max(1, Math.round(hop));
  const levelDb = new Float64Array(frames);
  let peak = 0;
  for (let i = 0; i < signal.length; i++) peak = Math.max(peak, Math.abs(signal[i] as number));
  for (let t = 0; t < frames; t++) {
    const c = Math.round(t * hop);
    const a = Math.max(0, c - half);
    const b = Math.min(signal.length, c + half);
    let e = 0;
    for (let i = a; i < b; i++) e += (signal[i] as number) ** 2;
    levelDb[t] = b > a ? 10 * Math.log10(e / (b - a) + 1e-20) : -200;
  }
  const sorted = Float64Array.from(levelDb).sort();
  const loud = percentile(sorted, 0.95);
  const floorDb = Math.max(loud - opts.activityRangeDb, opts.absoluteSilenceDbfs);
  const activeFrames = new Uint8Array(frames);
  const voiceFrames = new Uint8Array(frames);
  let active = 0;
  let voicedCount = 0;
  let voicedEnergy = 0;
  for (let t = 0; t < frames; t++) {
    if ((levelDb[t] as number) < floorDb) continue;
    activeFrames[t] = 1;
    active++;
    if (
      track.voiced[t] === 1 &&
      (track.confidence[t] as number) >= opts.minVoicedConfidence &&
      (track.f0Hz[t] as number) > 0
    ) {
      voiceFrames[t] = 1;
      voicedCount++;
      voicedEnergy += 10 ** ((levelDb[t] as number) / 10);
    }
  }
  // Noise floor: the quieter frames of the recording (10th percentile), digital silence excluded.
  let firstAudible = 0;
  while (firstAudible < sorted.length && (sorted[firstAudible] as number) < -150) firstAudible++;
  const audible = sorted.subarray(firstAudible);
  const noiseDb = audible.length > 0 ? percentile(audible, 0.1) : -Infinity;
  const voiceDb = voicedCount > 0 ? 10 * Math.log10(voicedEnergy / voicedCount) : -Infinity;
  const snr = voicedCount === 0 ? 0 : Math.min(MAX_REPORTED_SNR_DB, Math.max(0, voiceDb - noiseDb));
  const frameSeconds = track.framePeriodMs / 1000;
  return {
    durationSeconds: signal.length / sampleRate,
    activeSeconds: active * frameSeconds,
    voicedSeconds: voicedCount * frameSeconds,
    voiceFrames,
    activeFrames,
    clippedFraction: measureClipping(signal, opts.clipLevelRatio, opts.clipRunSamples),
    estimatedSnrDb: snr,
    peakDbfs: peak > 0 ? 20 * Math.log10(peak) : -Infinity,
    steadyPitchFraction: steadyPitchFraction(
      track.f0Hz,
      voiceFrames,
      Math.round(opts.steadyHalfWindowMs / track.framePeriodMs),
      opts.steadyCents,
    ),
  };
}

/** Fraction of voice frames whose whole ±halfWindow neighbourhood is voiced and within ±cents of the frame. */
export function steadyPitchFraction(
  f0Hz: Float32Array,
  voiceFrames: Uint8Array,
  halfWindow: number,
  cents: number,
): number {
  let voice = 0;
  let steady = 0;
  const limit = (cents / 1200) * Math.LN2;
  for (let t = 0; t < f0Hz.length; t++) {
    if (voiceFrames[t] !== 1) continue;
    voice++;
    const centre = Math.log(f0Hz[t] as number);
    let ok = t - halfWindow >= 0 && t + halfWindow < f0Hz.length;
    for (let u = t - halfWindow; ok && u <= t + halfWindow; u++) {
      ok = voiceFrames[u] === 1 && Math.abs(Math.log(f0Hz[u] as number) - centre) <= limit;
    }
    if (ok) steady++;
  }
  return voice > 0 ? steady / voice : 0;
}
