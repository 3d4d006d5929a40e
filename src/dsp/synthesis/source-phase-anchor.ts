import { singleBinDft, type ComplexValue } from '../single-bin-dft.js';
import type { SourceSignal } from './source-signal.js';

/** The pull follows the fundamental's phase while it lies at most 6 dB under the 2nd harmonic (power ratio)… */
const FOLLOW_FUNDAMENTAL_RATIO = 10 ** (6 / 10);
/** …the 2nd harmonic's down to 12 dB, and nothing below. */
const FOLLOW_SECOND_RATIO = 10 ** (12 / 10);

/**
 * Where pulses must sit for a resynthesis to keep the source recording's pulse timing.
 *
 * A free-running pulse train starts each voiced run at an arbitrary phase and keeps whatever
 * phase the F0 contour integrates to, so two renderings that disagree on voicing for a frame or
 * two (a stream and a batch run, say) put their pulses elsewhere for the rest of the run — at a
 * low voice's two or three periods per analysis window that alone moves a frame's spectrum by
 * 2-4 dB. Given the source, a voiced run instead starts in step with the source's fundamental and
 * is pulled gently towards it, so every rendering converges on the same pulses.
 *
 * A pulse at p whose response has phase φ_H at F0 makes a fundamental cos(ω(n − p) + φ_H); the
 * source's fundamental around `centre` is cos(ω(n − centre) + φ_s) (a Hann-windowed DFT at F0
 * over three periods, at most 40 ms); they agree when p = centre − (φ_s − φ_H)/ω (mod one period).
 *
 * The pull reads that phase where the source has a fundamental to speak of. A weak one (a low
 * voice whose first formant lifts the 2nd harmonic, a voice behind a high-pass) reads as much of
 * the 2nd harmonic's leakage and the room's rumble as of itself; 6-12 dB under the 2nd harmonic,
 * the pull follows the 2nd harmonic's phase instead (the nearest of its two positions per period:
 * flite rms resynthesis RPA 0.898 → 0.908). More than 12 dB under it, the tracker may be reading
 * a period-doubled voice at half its pitch, and following either harmonic bent the rendered F0
 * (vocadito's period-doubled note came out 60 cents sharp): no pull there.
 */
export class SourcePhaseAnchor {
  private scratch = new Float64Array(0);
  private readonly bin: ComplexValue = { re: 0, im: 0 };
  /** The window `pulseTime` last read (Hann-weighted, in `scratch`): length, first sample, power at F0. */
  private windowLength = 0;
  private windowFirst = 0;
  private fundamentalPower = 0;

  /**
   * @param gain fraction of the phase error corrected per frame (SynthesisOptions.sourcePhaseGain)
   * @param hopSamples frame period, samples (the pull is spread over one)
   */
  constructor(
    private readonly source: SourceSignal,
    private readonly sampleRate: number,
    private readonly gain: number,
    private readonly hopSamples: number,
  ) {}

  /**
   * A sample time (fractional, absolute) at which a pulse with response `response[0..length)`
   * puts the fundamental `f0` Hz in phase with the source at sample `centre`; any whole number
   * of periods may be added to it.
   */
  pulseTime(centre: number, f0: number, response: ArrayLike<number>, length: number): number {
    const omega = (2 * Math.PI * f0) / this.sampleRate;
    const half = Math.min(Math.round((1.5 * this.sampleRate) / f0), Math.round(0.02 * this.sampleRate));
    const size = 2 * half + 1;
    if (this.scratch.length < size) this.scratch = new Float64Array(size);
    const x = this.scratch;
    const first = Math.round(centre) - half;
    this.source.read(first, x, size);
    for (let i = 0; i < size; i++)
      x[i] = (0.5 + 0.5 * Math.cos((Math.PI * (i - half)) / (half + 1))) * (x[i] as number);
    const bin = this.bin;
    singleBinDft(x, size, omega, omega * (first - centre), bin);
    const sourcePhase = Math.atan2(bin.im, bin.re);
    this.windowLength = size;
    this.windowFirst = first;
    this.fundamentalPower = bin.re * bin.re + bin.im * bin.im;
    singleBinDft(response, length, omega, 0, bin);
    const responsePhase = Math.atan2(bin.im, bin.re);
    return centre - (sourcePhase - responsePhase) / omega;
  }

  /**
   * Per-sample phase step (cycles) to add over the next frame: `gain` of the phase error between
   * a train whose last pulse sat at `lastPulse` and the source's fundamental at `centre`.
   */
  pullPerSample(
    lastPulse: number,
    centre: number,
    f0: number,
    response: ArrayLike<number>,
    length: number,
  ): number {
    if (this.gain === 0) return 0;
    const target = this.pulseTime(centre, f0, response, length);
    // The 2nd harmonic of the same window, phase relative to `centre`.
    const omega2 = (4 * Math.PI * f0) / this.sampleRate;
    const bin = this.bin;
    singleBinDft(this.scratch, this.windowLength, omega2, omega2 * (this.windowFirst - centre), bin);
    const second = bin.re * bin.re + bin.im * bin.im;
    let error: number; // cycles of F0 the train runs late
    if (this.fundamentalPower * FOLLOW_FUNDAMENTAL_RATIO >= second) {
      error = ((lastPulse - target) * f0) / this.sampleRate;
      error -= Math.round(error);
    } else if (this.fundamentalPower * FOLLOW_SECOND_RATIO >= second) {
      const sourcePhase = Math.atan2(bin.im, bin.re);
      singleBinDft(response, length, omega2, 0, bin);
      const target2 = centre - (sourcePhase - Math.atan2(bin.im, bin.re)) / omega2;
      let error2 = ((lastPulse - target2) * 2 * f0) / this.sampleRate;
      error2 -= Math.round(error2);
      error = error2 / 2;
    } else return 0;
    return (this.gain * error) / this.hopSamples;
  }
}
