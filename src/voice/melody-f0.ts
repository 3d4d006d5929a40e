import { estimateF0, type F0Track } from '../dsp/pitch/index.js';
import { refineF0ByHarmonics } from './f0-refine.js';
import { lpcResidual } from './lpc-residual.js';

/**
 * A more exact F0 of a melody for singing conversion. The output is rendered at exactly this F0,
 * so the tracker's own errors (formant transitions bias it by tens of cents, and it lags on
 * glides) would reach the listener on top of the melody. The source is whitened by linear
 * prediction, tracked again, and each frame re-measured from its harmonics' instantaneous
 * frequency (src/voice/f0-refine.ts). Voicing is the tracker's, unchanged (note onsets stay where
 * they are); a frame keeps the tracker's F0 where the whitened track is unvoiced or disagrees by
 * more than `maxDisagreementCents` (an octave slip of either track).
 */

/** Options of refineMelodyF0. */
export interface MelodyF0Options {
  /** Largest disagreement between the plain and the whitened track accepted (cents). */
  maxDisagreementCents: number;
}

/** Defaults: 250 cents accepts the tracker's glide lag and formant bias, still far from an octave slip. */
export const defaultMelodyF0Options: MelodyF0Options = { maxDisagreementCents: 250 };

/** Refined F0 (Hz per frame of `track`, 0 where `track` is unvoiced) of `signal`. */
export function refineMelodyF0(
  signal: Float32Array,
  sampleRate: number,
  track: F0Track,
  options: Partial<MelodyF0Options> = {},
): Float32Array {
  const { maxDisagreementCents } = { ...defaultMelodyF0Options, ...options };
  const residual = lpcResidual(signal, sampleRate);
  const whitened = estimateF0(residual, sampleRate, { framePeriodMs: track.framePeriodMs }).f0Hz;
  const maxLog = (maxDisagreementCents / 1200) * Math.LN2;
  const combined = Float32Array.from(track.f0Hz, (f, t) => {
    if (!(f > 0) || track.voiced[t] !== 1) return f;
    const g = whitened[t] ?? 0;
    return g > 0 && Math.abs(Math.log(g / f)) <= maxLog ? g : f;
  });
  return refineF0ByHarmonics(residual, sampleRate, combined, track.framePeriodMs);
}
