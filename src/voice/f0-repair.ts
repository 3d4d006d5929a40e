/**
 * Repair of isolated F0 tracking errors (octave jumps, sub-harmonic picks, stray high frames)
 * before conversion: a voiced frame whose F0 lies more than `maxDeviationCents` from the median
 * of the voiced frames around it is replaced by that median. Short glitches (fewer frames than
 * half the window) are removed; real melodic leaps survive, because after a leap most
 * neighbours already sit at the new pitch.
 */

/** Options of repairF0Outliers. */
export interface F0RepairOptions {
  /** Frames each side of the frame considered. */
  halfWindowFrames: number;
  /** Largest deviation from the local median kept (cents). */
  maxDeviationCents: number;
}

export const defaultF0RepairOptions: F0RepairOptions = { halfWindowFrames: 5, maxDeviationCents: 600 };

/** A repaired copy of `f0Hz` (Hz, 0 = unvoiced; voicing is not changed). */
export function repairF0Outliers(f0Hz: Float32Array, options: Partial<F0RepairOptions> = {}): Float32Array {
  const { halfWindowFrames: h, maxDeviationCents } = { ...defaultF0RepairOptions, ...options };
  const out = f0Hz.slice();
  const maxLog = (maxDeviationCents / 1200) * Math.LN2;
  const window: number[] = [];
  for (let t = 0; t < f0Hz.length; t++) {
    const f = f0Hz[t] as number;
    if (!(f > 0)) continue;
    window.length = 0;
    for (let u = Math.max(0, t - h); u <= Math.min(f0Hz.length - 1, t + h); u++) {
      const g = f0Hz[u] as number;
      if (g > 0) window.push(Math.log(g));
    }
    // Too few voiced neighbours to judge (a short voiced island): leave it.
    if (window.length < h + 1) continue;
    window.sort((a, b) => a - b);
    const median = window[window.length >> 1] as number;
    if (Math.abs(Math.log(f) - median) > maxLog) out[t] = Math.exp(median);
  }
  return out;
}
