import { getRealFft, nextPowerOfTwo, type RealFft } from '../fft.js';
import { resamplePowerSpectrum } from './minimum-phase.js';
import { SeededRandom, frameSeed } from './noise-source.js';
import type { SourceSignal } from './source-signal.js';

/** Smallest power used anywhere in synthesis, so logs stay finite in digital silence. */
export const POWER_FLOOR = 1e-20;

/** Unit phasors at 4096 equally spaced angles: random phases for the noise without trig calls. */
const PHASOR_COUNT = 4096;
const PHASOR_MASK = PHASOR_COUNT - 1;
const PHASOR_COS = new Float64Array(PHASOR_COUNT).map((_, i) => Math.cos((2 * Math.PI * i) / PHASOR_COUNT));
const PHASOR_SIN = new Float64Array(PHASOR_COUNT).map((_, i) => Math.sin((2 * Math.PI * i) / PHASOR_COUNT));

/**
 * The aperiodic part of one frame: noise whose power spectrum is envelope·aperiodicity² (all of
 * the envelope in unvoiced frames), from one small inverse FFT. Its phases are random (seeded
 * per frame, so batch and stream agree) or, for unvoiced frames when a source recording is
 * given, the source's own (see `sourcePhasedSpectrum`). The caller cross-fades consecutive
 * frames; no allocation per frame.
 */
export class AperiodicNoise {
  /** Samples per noise frame (covers the two-hop cross-fade span). */
  readonly size: number;
  private readonly fft: RealFft;
  private readonly gridPower: Float64Array;
  private readonly power: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly frame: Float64Array;
  private readonly random = new SeededRandom(0);

  constructor(
    envelopeBins: number,
    hopSamples: number,
    private readonly seed: number,
    private readonly source: SourceSignal | undefined,
  ) {
    this.size = Math.max(16, nextPowerOfTwo(2 * Math.ceil(hopSamples) + 4));
    this.fft = getRealFft(this.size);
    this.gridPower = new Float64Array(envelopeBins);
    this.power = new Float64Array(this.fft.binCount);
    this.re = new Float64Array(this.fft.binCount);
    this.im = new Float64Array(this.fft.binCount);
    this.frame = new Float64Array(this.size);
  }

  /**
   * Noise of frame `t` for samples start.. (the frame's span is start..start+spanLength), or
   * undefined when the frame has no aperiodic power. The returned buffer is reused.
   */
  render(
    t: number,
    voiced: boolean,
    envelope: Float32Array,
    aperiodicity: Float32Array,
    start: number,
    spanLength: number,
  ): Float64Array | undefined {
    const grid = this.gridPower;
    let any = false;
    for (let k = 0; k < grid.length; k++) {
      const a = voiced ? (aperiodicity[k] as number) : 1;
      const p = (envelope[k] as number) * a * a;
      grid[k] = p;
      if (p > POWER_FLOOR) any = true;
    }
    if (!any) return undefined;
    resamplePowerSpectrum(grid, this.power);
    if (!voiced && this.source !== undefined) this.sourcePhasedSpectrum(this.source, start, spanLength);
    else this.randomPhasedSpectrum(t);
    this.fft.inverse(this.re, this.im, this.frame);
    return this.frame;
  }

  private randomPhasedSpectrum(t: number): void {
    const { re, im, power, random } = this;
    const size = this.size;
    const nb = re.length;
    random.reseed(frameSeed(this.seed, t));
    for (let k = 0; k < nb; k++) {
      const mag = Math.sqrt(size * (power[k] as number));
      if (k === 0 || k === nb - 1) {
        re[k] = random.nextUniform() < 0.5 ? -mag : mag;
        im[k] = 0;
      } else {
        const p = random.nextUint32() & PHASOR_MASK;
        re[k] = mag * (PHASOR_COS[p] as number);
        im[k] = mag * (PHASOR_SIN[p] as number);
      }
    }
  }

  /**
   * Spectrum with the phases of the source's `length` samples from `start` under a sine window —
   * the same span and shape the frame is cross-faded with, so consecutive frames agree where they
   * overlap and the cross-fades add them in amplitude (sin² + cos² = 1), giving back the source's
   * texture. Such a frame must therefore hold the envelope's power times Σwindow² = length/2,
   * not the random-phase frame's power times size (whose frames add in power): magnitudes are
   * sqrt(size·power)·sqrt(length / (2·size)).
   */
  private sourcePhasedSpectrum(source: SourceSignal, start: number, length: number): void {
    const frame = this.frame;
    const span = Math.min(length, this.size);
    source.read(start, frame, span);
    for (let n = 0; n < span; n++) frame[n] = (frame[n] as number) * Math.sin((Math.PI * (n + 0.5)) / length);
    frame.fill(0, span);
    const { re, im, power } = this;
    this.fft.forward(frame, re, im);
    for (let k = 0; k < re.length; k++) {
      const mag = Math.sqrt(0.5 * length * (power[k] as number));
      const r = Math.hypot(re[k] as number, im[k] as number);
      // A silent source has no phase to lend: a flat one keeps the level.
      re[k] = r > 0 ? (mag * (re[k] as number)) / r : mag;
      im[k] = r > 0 ? (mag * (im[k] as number)) / r : 0;
    }
  }
}
