import FFT from 'fft.js';

/**
 * Real-input FFT of a fixed power-of-two size, wrapping fft.js (radix-4, pure JS). One plan per
 * size is cached (`getRealFft`) because building twiddle tables costs more than a transform.
 * Spectra are returned as separate real/imaginary arrays of `size / 2 + 1` bins (DC..Nyquist).
 */
export class RealFft {
  readonly size: number;
  readonly binCount: number;
  private readonly fft: FFT;
  private readonly complexOut: number[];
  private readonly complexIn: number[];
  private readonly realIn: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FFT size must be a power of two >= 4, got ${size}; use nextPowerOfTwo()`);
    }
    this.size = size;
    this.binCount = size / 2 + 1;
    this.fft = new FFT(size);
    this.complexOut = this.fft.createComplexArray() as number[];
    this.complexIn = this.fft.createComplexArray() as number[];
    this.realIn = new Float64Array(size);
  }

  /**
   * Forward transform of `input` (length <= size; zero-padded) into `outRe`/`outIm`
   * (length >= binCount). Unnormalised: a DC signal of ones gives outRe[0] = size.
   */
  forward(input: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    const n = Math.min(input.length, this.size);
    const buf = this.realIn;
    for (let i = 0; i < n; i++) buf[i] = input[i] as number;
    buf.fill(0, n);
    this.fft.realTransform(this.complexOut, buf as unknown as number[]);
    const out = this.complexOut;
    for (let k = 0; k < this.binCount; k++) {
      outRe[k] = out[2 * k] as number;
      outIm[k] = out[2 * k + 1] as number;
    }
  }

  /**
   * Power spectrum |X[k]|^2 of `input` (zero-padded to size) into `outPower` (length >= binCount).
   */
  powerSpectrum(input: ArrayLike<number>, outPower: Float64Array | Float32Array): void {
    const n = Math.min(input.length, this.size);
    const buf = this.realIn;
    for (let i = 0; i < n; i++) buf[i] = input[i] as number;
    buf.fill(0, n);
    this.fft.realTransform(this.complexOut, buf as unknown as number[]);
    const out = this.complexOut;
    for (let k = 0; k < this.binCount; k++) {
      const re = out[2 * k] as number;
      const im = out[2 * k + 1] as number;
      outPower[k] = re * re + im * im;
    }
  }

  /**
   * Inverse transform of a Hermitian spectrum given by its `binCount` bins into `out`
   * (length >= size). Normalised so that inverse(forward(x)) = x.
   */
  inverse(re: ArrayLike<number>, im: ArrayLike<number>, out: Float64Array | Float32Array): void {
    const size = this.size;
    const spec = this.complexIn;
    for (let k = 0; k < this.binCount; k++) {
      spec[2 * k] = re[k] as number;
      spec[2 * k + 1] = im[k] as number;
    }
    // Hermitian symmetry fills the upper half: X[N-k] = conj(X[k]).
    for (let k = 1; k < size / 2; k++) {
      spec[2 * (size - k)] = re[k] as number;
      spec[2 * (size - k) + 1] = -(im[k] as number);
    }
    this.fft.inverseTransform(this.complexOut, spec);
    const res = this.complexOut;
    for (let i = 0; i < size; i++) out[i] = res[2 * i] as number;
  }
}

const planCache = new Map<number, RealFft>();

/**
 * A cached RealFft plan for `size`. Plans hold scratch buffers, so one plan must not be used
 * re-entrantly from two places at once (JS is single-threaded; do not interleave across awaits).
 */
export function getRealFft(size: number): RealFft {
  let plan = planCache.get(size);
  if (plan === undefined) {
    plan = new RealFft(size);
    planCache.set(size, plan);
  }
  return plan;
}

/** Smallest power of two >= n (n >= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
