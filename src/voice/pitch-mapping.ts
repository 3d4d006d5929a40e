import { AutoVoiceError } from '../errors/index.js';
import { f0HistogramBinHz } from './pitch-statistics.js';
import type { PitchStatistics } from './voice-profile.js';

/** How conversion treats pitch. */
export type PitchMode = 'speech' | 'singing' | 'keep';

/** The pitch request: automatic, or a transposition in semitones (singing / keep). */
export type PitchShiftRequest = 'auto' | number;

/** The mapping decided for one conversion (reported with the result). */
export interface PitchMappingPlan {
  readonly mode: PitchMode;
  /** Semitones added to every frame (singing/keep), or the shift of the median (speech). */
  readonly semitones: number;
  /** speech: ln F0 ← (ln F0 − sourceMean)·scale + targetMean; singing/keep: scale 1, offset = semitones. */
  readonly sourceMeanLogF0: number;
  readonly targetMeanLogF0: number;
  readonly scale: number;
}

/** Largest allowed explicit transposition (semitones). */
export const MAX_TRANSPOSE_SEMITONES = 24;
/** Clamp of the std ratio in speech mode: keeps a monotone source from turning into a siren. */
const MIN_STD_RATIO = 0.5;
const MAX_STD_RATIO = 2;

/** Validates a `--pitch` value: 'auto' or an integer-or-fraction semitone count within ±24. */
export function parsePitchShiftRequest(value: string | number | undefined): PitchShiftRequest {
  if (value === undefined || value === 'auto') return 'auto';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || Math.abs(n) > MAX_TRANSPOSE_SEMITONES) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `Pitch must be "auto" or a number of semitones between -${MAX_TRANSPOSE_SEMITONES} and +${MAX_TRANSPOSE_SEMITONES}, e.g. "+12" or "-5".`,
      {
        pitch: value,
      },
    );
  }
  return n;
}

/**
 * Decides the F0 mapping from source statistics to the target profile's:
 * - speech: match the log-F0 distribution — trimmed mean and spread (explicit semitones are added on top);
 * - singing: keep the melody; 'auto' transposes by the whole octaves that bring the source median
 *   closest to the target median, a number transposes by that many semitones;
 * - keep: no change unless semitones are given.
 */
export function planPitchMapping(
  source: PitchStatistics,
  target: PitchStatistics,
  mode: PitchMode,
  request: PitchShiftRequest,
): PitchMappingPlan {
  const explicit = request === 'auto' ? 0 : request;
  const ok = source.voicedFrames > 0 && target.voicedFrames > 0;
  if (mode === 'speech' && ok) {
    // Trimmed moments (5th-95th percentile of the histogram): means minimise the squared log-F0
    // error, trimming keeps octave errors of the F0 tracker in either recording from dragging them.
    const src = trimmedLogF0Moments(source);
    const tgt = trimmedLogF0Moments(target);
    const ratio = src.std > 1e-4 ? Math.min(MAX_STD_RATIO, Math.max(MIN_STD_RATIO, tgt.std / src.std)) : 1;
    const sourceCentre = src.mean;
    const targetCentre = tgt.mean + (explicit * Math.LN2) / 12;
    return {
      mode,
      semitones: (12 * (targetCentre - sourceCentre)) / Math.LN2,
      sourceMeanLogF0: sourceCentre,
      targetMeanLogF0: targetCentre,
      scale: ratio,
    };
  }
  let semitones = explicit;
  if (mode === 'singing' && request === 'auto' && ok) {
    const octaves = Math.round(Math.log2(target.medianHz / source.medianHz));
    semitones = 12 * octaves + 0; // + 0: no "-0" when the median rounds to no shift
  }
  const offset = (semitones * Math.LN2) / 12;
  return {
    mode,
    semitones,
    sourceMeanLogF0: source.meanLogF0,
    targetMeanLogF0: source.meanLogF0 + offset,
    scale: 1,
  };
}

/**
 * Mean and standard deviation of ln F0 over the frames between the 5th and 95th percentiles of
 * the profile's histogram (falls back to the plain moments when the histogram is empty).
 */
export function trimmedLogF0Moments(
  stats: PitchStatistics,
  lowQuantile = 0.05,
  highQuantile = 0.95,
): { mean: number; std: number } {
  const h = stats.logF0Histogram;
  let total = 0;
  for (let i = 0; i < h.length; i++) total += h[i] as number;
  if (total <= 0) return { mean: stats.meanLogF0, std: stats.stdLogF0 };
  const lo = lowQuantile * total;
  const hi = highQuantile * total;
  let acc = 0;
  let w = 0;
  let s = 0;
  let ss = 0;
  for (let i = 0; i < h.length; i++) {
    const c = h[i] as number;
    if (c <= 0) continue;
    // Part of this bin's count inside [lo, hi] of the cumulative distribution.
    const inside = Math.max(0, Math.min(acc + c, hi) - Math.max(acc, lo));
    acc += c;
    if (inside <= 0) continue;
    const x = Math.log(f0HistogramBinHz(i));
    w += inside;
    s += inside * x;
    ss += inside * x * x;
  }
  const mean = s / w;
  return { mean, std: Math.sqrt(Math.max(0, ss / w - mean * mean)) };
}

/** Applies a plan to an F0 track (Hz, 0 = unvoiced), returning a new track. */
export function applyPitchMapping(f0Hz: Float32Array, plan: PitchMappingPlan): Float32Array {
  const out = new Float32Array(f0Hz.length);
  for (let i = 0; i < f0Hz.length; i++) {
    const f = f0Hz[i] as number;
    if (!(f > 0)) continue;
    out[i] = Math.exp((Math.log(f) - plan.sourceMeanLogF0) * plan.scale + plan.targetMeanLogF0);
  }
  return out;
}
