import type { Biquad } from '../audio/k-weighting.js';

/**
 * Second-order sections shared by the engine: the RBJ-cookbook high-pass design and an in-place
 * Direct Form I runner (double-precision state).
 */

/** Q of the two sections of a 4th-order Butterworth filter (cascade them for 24 dB/octave). */
export const BUTTERWORTH4_Q = [0.5411961, 1.306563] as const;

/** RBJ-cookbook high-pass at `cutoff` (a fraction of the sample rate) with quality `q` (√½: Butterworth). */
export function highPassBiquad(cutoff: number, q: number): Biquad {
  const w0 = 2 * Math.PI * cutoff;
  const cosW = Math.cos(w0);
  const alpha = Math.sin(w0) / (2 * q);
  const a0 = 1 + alpha;
  const b0 = (1 + cosW) / 2 / a0;
  return { b0, b1: -(1 + cosW) / a0, b2: b0, a1: (-2 * cosW) / a0, a2: (1 - alpha) / a0 };
}

/**
 * Runs `x` through `filter` in place. The state starts as if the input had always been
 * `settledInput` with zero output (0: from rest; a signal's first sample: a DC offset does not ring).
 */
export function filterInPlace(x: Float32Array, filter: Biquad, settledInput = 0): void {
  const { b0, b1, b2, a1, a2 } = filter;
  let x1 = settledInput;
  let x2 = settledInput;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i] as number;
    const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x[i] = y0;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
  }
}
