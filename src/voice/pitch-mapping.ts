import { AutoVoiceError } from '../errors/index.js';
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
    throw new AutoVoiceError('usage.invalid_argument', `Pitch must be "auto" or a number of semitones between -${MAX_TRANSPOSE_SEMITONES} and +${MAX_TRANSPOSE_SEMITONES}, e.g. "+12" or "-5".`, {
      pitch: value,
    });
  }
  return n;
}

/**
 * Decides the F0 mapping from source statistics to the target profile's:
 * - speech: match the log-F0 distribution — median and spread (explicit semitones are added on top);
 * - singing: keep the melody; 'auto' transposes by the whole octaves that bring the source median
 *   closest to the target median, a number transposes by that many semitones;
 * - keep: no change unless semitones are given.
 */
export function planPitchMapping(source: PitchStatistics, target: PitchStatistics, mode: PitchMode, request: PitchShiftRequest): PitchMappingPlan {
  const explicit = request === 'auto' ? 0 : request;
  const ok = source.voicedFrames > 0 && target.voicedFrames > 0;
  if (mode === 'speech' && ok) {
    // Robust location and spread (median; 5th-95th percentile span), so octave errors of the F0
    // tracker in either recording cannot drag the mapping.
    const sourceCentre = Math.log(source.medianHz);
    const sourceSpread = robustLogF0Spread(source);
    const targetSpread = robustLogF0Spread(target);
    const ratio = sourceSpread > 1e-4 ? Math.min(MAX_STD_RATIO, Math.max(MIN_STD_RATIO, targetSpread / sourceSpread)) : 1;
    const targetCentre = Math.log(target.medianHz) + (explicit * Math.LN2) / 12;
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
    semitones = 12 * octaves;
  }
  const offset = (semitones * Math.LN2) / 12;
  return { mode, semitones, sourceMeanLogF0: source.meanLogF0, targetMeanLogF0: source.meanLogF0 + offset, scale: 1 };
}

/** Standard deviation of ln F0 estimated from the 5th-95th percentile span (Gaussian: ±1.645 σ). */
export function robustLogF0Spread(stats: PitchStatistics): number {
  return stats.lowHz > 0 && stats.highHz > stats.lowHz ? Math.log(stats.highHz / stats.lowHz) / (2 * 1.645) : stats.stdLogF0;
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
