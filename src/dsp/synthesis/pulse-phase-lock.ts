import { singleBinDft, type ComplexValue } from '../single-bin-dft.js';

/**
 * Keeps the pitch a tracker hears on the F0 contour while the pulse responses change. A
 * minimum-phase response's phase at the low harmonics turns as the envelope moves (a low
 * formant sliding past F0 turns it by up to ~1 rad in 20 ms); unchecked, that bends the heard
 * pitch by several hertz. Each pulse's response is compared with the previous one: the weighted
 * least-squares linear-phase fit of the phase changes of its harmonics below LOCK_BAND_HZ
 * (weights |H_prev|·|H_cur|, so weak harmonics whose phase means little count little) says how
 * far the waveform moved; the accumulated movement, less what the release lets through, is
 * undone by moving the pulse, at most `maxShiftSamples`.
 */

/** Harmonics below this carry the timing the lock keeps (where trackers and ears find pitch). */
const LOCK_BAND_HZ = 1200;
const LOCK_MAX_HARMONICS = 24;

export class PulsePhaseLock {
  private onset = true;
  /** Accumulated movement of the responses since the voiced run began, samples. */
  private drift = 0;
  private reference = 0;
  private prevHarmonics = 0;
  private readonly re = new Float64Array(LOCK_MAX_HARMONICS);
  private readonly im = new Float64Array(LOCK_MAX_HARMONICS);
  private readonly prevRe = new Float64Array(LOCK_MAX_HARMONICS);
  private readonly prevIm = new Float64Array(LOCK_MAX_HARMONICS);
  private readonly bin: ComplexValue = { re: 0, im: 0 };

  /**
   * `maxShiftSamples`: the largest move of a pulse; `releaseSamples`: time constant with which
   * a lasting phase change is let through (the frequency error that leaks is Δφ/(2π·release)).
   */
  constructor(
    private readonly sampleRate: number,
    readonly maxShiftSamples: number,
    private readonly releaseSamples: number,
  ) {}

  /** A voiced run ends: the next pulse starts a new reference. */
  reset(): void {
    this.onset = true;
  }

  /** Samples by which to move a pulse of fundamental `f0` Hz whose response is `response[0..length)`. */
  shift(response: Float64Array, length: number, f0: number): number {
    const omega = (2 * Math.PI * f0) / this.sampleRate;
    const harmonics = Math.max(1, Math.min(LOCK_MAX_HARMONICS, Math.floor(LOCK_BAND_HZ / f0)));
    const { re, im, prevRe, prevIm } = this;
    const bin = this.bin;
    for (let h = 0; h < harmonics; h++) {
      singleBinDft(response, length, omega * (h + 1), 0, bin);
      re[h] = bin.re;
      im[h] = bin.im;
    }
    let moved = 0;
    if (!this.onset) {
      // Delay τ multiplies harmonic h by e^{-j·hω·τ}: fit Δφ_h ≈ -hω·τ.
      let num = 0;
      let den = 0;
      const common = Math.min(harmonics, this.prevHarmonics);
      for (let h = 0; h < common; h++) {
        const xr = (re[h] as number) * (prevRe[h] as number) + (im[h] as number) * (prevIm[h] as number);
        const xi = (im[h] as number) * (prevRe[h] as number) - (re[h] as number) * (prevIm[h] as number);
        const weight = Math.hypot(xr, xi);
        if (weight === 0) continue;
        const hw = omega * (h + 1);
        num -= weight * hw * Math.atan2(xi, xr);
        den += weight * hw * hw;
      }
      if (den > 0) moved = num / den;
    } else {
      this.onset = false;
      this.drift = 0;
      this.reference = 0;
    }
    prevRe.set(re.subarray(0, harmonics));
    prevIm.set(im.subarray(0, harmonics));
    this.prevHarmonics = harmonics;
    this.drift += moved;
    // Release: the reference follows the drift with a time constant, one period per pulse.
    const follow = 1 - Math.exp(-this.sampleRate / (f0 * this.releaseSamples));
    this.reference += follow * (this.drift - this.reference);
    const shift = this.reference - this.drift;
    const max = this.maxShiftSamples;
    return shift < -max ? -max : shift > max ? max : shift;
  }
}
