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
  private readonly realIn: Float64Array;
  /** Half-size complex plan and buffers for the inverse (a real inverse costs one N/2 complex FFT). */
  private readonly halfFft: FFT;
  private readonly halfIn: number[];
  private readonly halfOut: number[];
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0) {
      throw new RangeError(`FFT size must be a power of two >= 4, got ${size}; use nextPowerOfTwo()`);
    }
    this.size = size;
    this.binCount = size / 2 + 1;
    this.fft = new FFT(size);
    this.complexOut = this.fft.createComplexArray() as number[];
    this.realIn = new Float64Array(size);
    const half = size / 2;
    this.halfFft = new FFT(half);
    this.halfIn = this.halfFft.createComplexArray() as number[];
    this.halfOut = this.halfFft.createComplexArray() as number[];
    this.twiddleRe = new Float64Array(half);
    this.twiddleIm = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      // W_N^{-k} = exp(+2πik/N)
      this.twiddleRe[k] = Math.cos((2 * Math.PI * k) / size);
      this.twiddleIm[k] = Math.sin((2 * Math.PI * k) / size);
    }
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
    // Packs the even/odd output samples as z[m] = x[2m] + i·x[2m+1] and inverts one N/2-point
    // complex FFT: Z[k] = E[k] + i·O[k] with E[k] = (X[k] + X*[M-k])/2 and
    // O[k] = (X[k] - X*[M-k])·W_N^{-k}/2 (M = N/2). Twice as fast as a full complex inverse.
    const half = this.size / 2;
    const z = this.halfIn;
    const tr = this.twiddleRe;
    const ti = this.twiddleIm;
    for (let k = 0; k < half; k++) {
      const ar = re[k] as number;
      const ai = im[k] as number;
      const br = re[half - k] as number;
      const bi = -(im[half - k] as number);
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const wr = tr[k] as number;
      const wi = ti[k] as number;
      const or = dr * wr - di * wi;
      const oi = dr * wi + di * wr;
      // Z = E + i·O
      z[2 * k] = er - oi;
      z[2 * k + 1] = ei + or;
    }
    this.halfFft.inverseTransform(this.halfOut, z);
    const res = this.halfOut;
    for (let m = 0; m < half; m++) {
      out[2 * m] = res[2 * m] as number;
      out[2 * m + 1] = res[2 * m + 1] as number;
    }
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
