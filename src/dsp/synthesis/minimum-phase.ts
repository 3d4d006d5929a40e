import { getRealFft, type RealFft } from '../fft.js';

/**
 * Minimum-phase impulse responses from power spectra via the real cepstrum (fold the
 * cepstrum onto positive quefrencies, exponentiate). A minimum-phase response puts its energy
 * as early as possible, which is what a vocal tract excited by a glottal pulse does, and keeps
 * the synthesiser causal (no pre-echo before a pulse).
 */
export class MinimumPhaseFilter {
  readonly fftSize: number;
  readonly binCount: number;
  private readonly fft: RealFft;
  private readonly full: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly out: Float64Array;

  constructor(fftSize: number) {
    this.fftSize = fftSize;
    this.fft = getRealFft(fftSize);
    this.binCount = this.fft.binCount;
    this.full = new Float64Array(fftSize);
    this.re = new Float64Array(this.binCount);
    this.im = new Float64Array(this.binCount);
    this.out = new Float64Array(fftSize);
  }

  /**
   * Impulse response (fftSize samples, causal) whose magnitude response is sqrt(`power`)
   * (`power`: binCount bins, must be > 0). Written into `impulse`.
   */
  compute(power: Float64Array, impulse: Float32Array | Float64Array): void {
    const { fft, full, re, im } = this;
    const size = this.fftSize;
    const bins = this.binCount;
    const half = size / 2;
    for (let k = 0; k < bins; k++) full[k] = 0.5 * Math.log(power[k] as number);
    for (let k = bins; k < size; k++) full[k] = full[size - k] as number;
    fft.forward(full, re, im);
    // Real cepstrum c[n] = re[n]/size (even); fold: keep c[0], double 1..half-1, keep c[half].
    const inv = 1 / size;
    full[0] = (re[0] as number) * inv;
    for (let n = 1; n < half; n++) full[n] = 2 * (re[n] as number) * inv;
    full[half] = (re[half] as number) * inv;
    full.fill(0, half + 1);
    fft.forward(full, re, im);
    for (let k = 0; k < bins; k++) {
      const mag = Math.exp(re[k] as number);
      const phase = im[k] as number;
      re[k] = mag * Math.cos(phase);
      im[k] = mag * Math.sin(phase);
    }
    fft.inverse(re, im, this.out);
    const o = this.out;
    for (let n = 0; n < size; n++) impulse[n] = o[n] as number;
  }
}

/**
 * Resamples a power spectrum from `src` bins onto `dst` bins (both DC..Nyquist) by averaging
 * the source bins each destination bin covers (triangular weights), or by linear interpolation
 * when `dst` is finer.
 */
export function resamplePowerSpectrum(src: ArrayLike<number>, dst: Float64Array): void {
  const srcBins = src.length;
  const dstBins = dst.length;
  if (srcBins === dstBins) {
    for (let k = 0; k < dstBins; k++) dst[k] = src[k] as number;
    return;
  }
  const ratio = (srcBins - 1) / (dstBins - 1);
  if (ratio < 1) {
    for (let k = 0; k < dstBins; k++) {
      const pos = k * ratio;
      const i0 = Math.min(Math.floor(pos), srcBins - 2);
      const frac = pos - i0;
      dst[k] = (src[i0] as number) * (1 - frac) + (src[i0 + 1] as number) * frac;
    }
    return;
  }
  const radius = Math.ceil(ratio);
  for (let k = 0; k < dstBins; k++) {
    const centre = k * ratio;
    let sum = 0;
    let weightSum = 0;
    for (
      let i = Math.max(0, Math.floor(centre - radius) + 1);
      i <= Math.min(srcBins - 1, centre + radius);
      i++
    ) {
      const w = 1 - Math.abs(i - centre) / ratio;
      if (w <= 0) continue;
      sum += w * (src[i] as number);
      weightSum += w;
    }
    dst[k] = weightSum > 0 ? sum / weightSum : (src[Math.round(centre)] as number);
  }
}
