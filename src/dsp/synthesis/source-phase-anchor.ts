import { singleBinDft, type ComplexValue } from '../single-bin-dft.js';
import type { SourceSignal } from './source-signal.js';

/** How far (dB) the source's fundamental may lie under its second harmonic for the pull to follow it. */
const MIN_FUNDAMENTAL_DB = 12;
const MIN_FUNDAMENTAL_POWER_RATIO = 10 ** (MIN_FUNDAMENTAL_DB / 10);

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
 * The pull trusts that phase only where the source has a fundamental to speak of. Where it lies
 * more than `MIN_FUNDAMENTAL_DB` under the second harmonic (a period-doubled note tracked at
 * half its pitch, a voice behind a high-pass), the window's reading at F0 is the second
 * harmonic's leakage and the room's rumble, and following it bends the rendered F0: vocadito's
 * period-doubled note came out 60 cents sharp. No pull is applied there.
 */
export class SourcePhaseAnchor {
  private scratch = new Float64Array(0);
  private readonly bin: ComplexValue = { re: 0, im: 0 };
  /** Length of the window `pulseTime` last read (Hann-weighted, in `scratch`) and its power at F0. */
  private windowLength = 0;
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
    if (!this.hasFundamental(f0)) return 0;
    let error = ((lastPulse - target) * f0) / this.sampleRate;
    error -= Math.round(error);
    return (this.gain * error) / this.hopSamples;
  }

  /** Whether the window `pulseTime` just read holds a fundamental within reach of its 2nd harmonic. */
  private hasFundamental(f0: number): boolean {
    const omega2 = (4 * Math.PI * f0) / this.sampleRate;
    const bin = this.bin;
    singleBinDft(this.scratch, this.windowLength, omega2, 0, bin);
    const second = bin.re * bin.re + bin.im * bin.im;
    return this.fundamentalPower * MIN_FUNDAMENTAL_POWER_RATIO >= second;
  }
}
