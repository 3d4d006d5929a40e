import { BUTTERWORTH4_Q, filterInPlace, highPassBiquad } from '../biquad.js';
import { nextPowerOfTwo } from '../fft.js';
import { POWER_FLOOR } from './aperiodic-noise.js';
import { MinimumPhaseFilter, resamplePowerSpectrum } from './minimum-phase.js';

/** Cut-off of the pulse responses' sub-F0 high-pass, as a fraction of F0. */
const SUB_F0_CUTOFF = 0.5;

/** Pulse-response FFT size used when none is given: covers ≥ 20 ms. */
export function defaultPulseFftSize(sampleRate: number): number {
  return Math.max(128, nextPowerOfTwo(Math.ceil(0.02 * sampleRate)));
}

/** Samples kept of each pulse response: ≥ 40 ms, room for the sub-F0 high-pass to ring out. */
function pulseResponseLength(sampleRate: number, pulseFftSize: number): number {
  return Math.max(pulseFftSize, nextPowerOfTwo(Math.ceil(0.04 * sampleRate)));
}

/**
 * The response one voiced pulse renders: the minimum-phase filter of the frame's periodic power
 * envelope·(1 − aperiodicity²), high-passed below F0 and with its DC removed, trimmed to the
 * samples that hold its energy. Scratch is allocated once; no allocation per frame.
 */
export class PulseResponseBuilder {
  /** Samples of every response buffer (`createBuffer`). */
  readonly length: number;
  private readonly minPhase: MinimumPhaseFilter;
  private readonly power: Float64Array;
  private readonly periodic: Float64Array;
  /** A Hann window of unit sum: removes the response's DC without touching the pitch range. */
  private readonly dcRemover: Float64Array;

  /**
   * @param sampleRate output rate, Hz
   * @param envelopeBins bins of the analysis grid the envelopes come on (fftSize/2 + 1)
   * @param fftSize FFT size of the minimum-phase filter (a power of two; longer keeps narrow
   *   formants sharper, shorter is faster)
   */
  constructor(
    private readonly sampleRate: number,
    envelopeBins: number,
    fftSize: number,
  ) {
    this.minPhase = new MinimumPhaseFilter(fftSize);
    this.length = pulseResponseLength(sampleRate, fftSize);
    this.power = new Float64Array(this.minPhase.binCount);
    this.periodic = new Float64Array(envelopeBins);
    this.dcRemover = new Float64Array(this.length);
    let sum = 0;
    for (let n = 0; n < this.length; n++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * (n + 1)) / (this.length + 1));
      this.dcRemover[n] = w;
      sum += w;
    }
    for (let n = 0; n < this.length; n++) this.dcRemover[n] = (this.dcRemover[n] as number) / sum;
  }

  /** A buffer for one response. */
  createBuffer(): Float32Array {
    return new Float32Array(this.length);
  }

  /**
   * Computes the response of a frame (envelope and aperiodicity on the analysis grid, F0 in Hz)
   * into `out` (from `createBuffer`); returns its effective length in samples.
   */
  compute(envelope: Float32Array, aperiodicity: Float32Array, f0: number, out: Float32Array): number {
    const periodic = this.periodic;
    for (let k = 0; k < periodic.length; k++) {
      const a = aperiodicity[k] as number;
      periodic[k] = (envelope[k] as number) * Math.max(0, 1 - a * a) + POWER_FLOOR;
    }
    resamplePowerSpectrum(periodic, this.power);
    this.minPhase.compute(this.power, out);
    out.fill(0, this.minPhase.fftSize);
    // A periodic sound has nothing between DC and F0, but the envelope there is an extrapolation
    // at the level of the fundamental. Left in, that sub-F0 energy does not cancel from pulse to
    // pulse once F0, level or voicing moves, and rumbled 20-26 dB above the original below 60 Hz.
    // A 4th-order Butterworth high-pass at F0/2 removes it (-0.02 dB at F0) and, being itself
    // minimum phase, keeps the response causal; it rings out within the 40 ms response buffer.
    for (const q of BUTTERWORTH4_Q)
      filterInPlace(out, highPassBiquad((SUB_F0_CUTOFF * f0) / this.sampleRate, q));
    let dc = 0;
    for (let n = 0; n < out.length; n++) dc += out[n] as number;
    const remover = this.dcRemover;
    for (let n = 0; n < out.length; n++) out[n] = (out[n] as number) - dc * (remover[n] as number);
    // Effective length: drop the tail holding less than 1e-6 of the energy (-60 dB).
    let total = 0;
    for (let n = 0; n < out.length; n++) total += (out[n] as number) ** 2;
    let tail = 0;
    let length = out.length;
    while (length > 64) {
      const e = (out[length - 1] as number) ** 2;
      if (tail + e > 1e-6 * total) break;
      tail += e;
      length--;
    }
    return Math.min(out.length, (length + 7) & ~7);
  }
}
