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

/**
 * A cascade of biquads run one sample at a time, from rest (double-precision state): for
 * callers that filter on the fly instead of holding a filtered copy of a long signal.
 */
export class BiquadCascade {
  private readonly coefficients: Float64Array;
  private readonly state: Float64Array;

  constructor(sections: readonly Biquad[]) {
    this.coefficients = new Float64Array(sections.flatMap((s) => [s.b0, s.b1, s.b2, s.a1, s.a2]));
    this.state = new Float64Array(4 * sections.length);
  }

  /**
   * Sets the first section's input history to `input` (output history 0), as `filterInPlace`'s
   * `settledInput` does: a signal starting at a DC offset then does not ring.
   */
  settle(input: number): void {
    this.state[0] = input;
    this.state[1] = input;
  }

  /** A copy of the filter's state, for `restoreState` (undoing provisional samples). */
  saveState(): Float64Array {
    return this.state.slice();
  }

  restoreState(saved: Float64Array): void {
    this.state.set(saved);
  }

  /** Filters the next input sample and returns the output sample. */
  next(input: number): number {
    const c = this.coefficients;
    const s = this.state;
    let x0 = input;
    for (let i = 0, j = 0; i < c.length; i += 5, j += 4) {
      const y0 =
        (c[i] as number) * x0 +
        (c[i + 1] as number) * (s[j] as number) +
        (c[i + 2] as number) * (s[j + 1] as number) -
        (c[i + 3] as number) * (s[j + 2] as number) -
        (c[i + 4] as number) * (s[j + 3] as number);
      s[j + 1] = s[j] as number;
      s[j] = x0;
      s[j + 3] = s[j + 2] as number;
      s[j + 2] = y0;
      x0 = y0;
    }
    return x0;
  }
}
