import {
  FRACTIONAL_DELAY_FIRST_OFFSET,
  FRACTIONAL_DELAY_STEPS,
  FRACTIONAL_DELAY_TABLE,
  FRACTIONAL_DELAY_TAPS,
} from '../fractional-delay.js';
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
 * A bin of the source's residual (see `residualPhasedSpectrum`) counts as noise while its
 * magnitude stays within this factor of the magnitude the frame's noise should have. A complex
 * Gaussian bin exceeds three times its RMS magnitude with probability e^-9, so what does is
 * harmonic energy the comb did not cancel (jitter, creak, a period misread), whose phases belong
 * to the source's harmonics rather than to noise.
 */
const RESIDUAL_NOISE_LIMIT = 3;

/**
 * The aperiodic part of one frame: noise whose power spectrum is envelope·aperiodicity² (all of
 * the envelope in unvoiced frames), from one small inverse FFT. Its phases are random (seeded
 * per frame, so batch and stream agree) or, when a source recording is given, the source's own:
 * the recording's in unvoiced frames (`sourcePhasedSpectrum`), the recording's aperiodic residual
 * in voiced ones (`residualPhasedSpectrum`). The caller cross-fades consecutive frames; no
 * allocation per frame.
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
  /** Source samples a period either side of a voiced frame's span (grows with the period). */
  private periodSpan = new Float64Array(0);

  constructor(
    private readonly sampleRate: number,
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
   * Noise of frame `t` (F0 `f0Hz`, 0 = unvoiced) for samples start.. (the frame's span is
   * start..start+spanLength), or undefined when the frame has no aperiodic power. The returned
   * buffer is reused.
   */
  render(
    t: number,
    f0Hz: number,
    envelope: Float32Array,
    aperiodicity: Float32Array,
    start: number,
    spanLength: number,
  ): Float64Array | undefined {
    const voiced = f0Hz > 0;
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
    if (this.source === undefined) this.randomPhasedSpectrum(t);
    else if (voiced) this.residualPhasedSpectrum(t, this.source, f0Hz, start, spanLength);
    else this.sourcePhasedSpectrum(this.source, start, spanLength);
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

  /**
   * A voiced frame's noise with the phases of the source's aperiodic part. The source's periodic
   * part is estimated as the mean of the samples one period before and after (period from the
   * frame's F0, band-limited interpolation) and removed: r(n) = x(n) − (x(n−T) + x(n+T))/2.
   * That comb, 1 − cos(ωT), is real and non-negative: it cancels the harmonics and leaves the
   * noise's phases as they were. The residual then lends its phases like an unvoiced frame's
   * source (same window, same magnitudes). Bins louder than the frame's noise could be
   * (`RESIDUAL_NOISE_LIMIT`) hold uncancelled harmonics and get random phases at the
   * random-phase frame's magnitude instead. Reads one period (plus the interpolator's taps)
   * beyond the span on each side.
   */
  private residualPhasedSpectrum(
    t: number,
    source: SourceSignal,
    f0Hz: number,
    start: number,
    length: number,
  ): void {
    const period = this.sampleRate / f0Hz;
    // x(n + T) interpolates from floor(n + T) - 3 .. +4, x(n - T) from floor(n - T) - 3 .. +4.
    const reach = Math.ceil(period) + FRACTIONAL_DELAY_TAPS;
    const span = Math.min(length, this.size);
    const need = span + 2 * reach;
    if (this.periodSpan.length < need) this.periodSpan = new Float64Array(need);
    const x = this.periodSpan;
    source.read(start - reach, x, need);
    const frame = this.frame;
    const aheadWhole = Math.floor(period);
    const aheadRow = Math.round((period - aheadWhole) * FRACTIONAL_DELAY_STEPS) * FRACTIONAL_DELAY_TAPS;
    const backWhole = Math.ceil(period);
    const backRow = Math.round((backWhole - period) * FRACTIONAL_DELAY_STEPS) * FRACTIONAL_DELAY_TAPS;
    for (let n = 0; n < span; n++) {
      const i = n + reach;
      let ahead = 0;
      let back = 0;
      for (let j = 0; j < FRACTIONAL_DELAY_TAPS; j++) {
        const tap = FRACTIONAL_DELAY_FIRST_OFFSET + j;
        ahead += (FRACTIONAL_DELAY_TABLE[aheadRow + j] as number) * (x[i + aheadWhole + tap] as number);
        back += (FRACTIONAL_DELAY_TABLE[backRow + j] as number) * (x[i - backWhole + tap] as number);
      }
      frame[n] = ((x[i] as number) - 0.5 * (back + ahead)) * Math.sin((Math.PI * (n + 0.5)) / length);
    }
    frame.fill(0, span);
    const { re, im, power, random } = this;
    const size = this.size;
    const nb = re.length;
    this.fft.forward(frame, re, im);
    random.reseed(frameSeed(this.seed, t));
    for (let k = 0; k < nb; k++) {
      const p = power[k] as number;
      const draw = random.nextUint32();
      const target = Math.sqrt(0.5 * length * p);
      const r = Math.hypot(re[k] as number, im[k] as number);
      if (r > 0 && r <= RESIDUAL_NOISE_LIMIT * target) {
        re[k] = (target * (re[k] as number)) / r;
        im[k] = (target * (im[k] as number)) / r;
      } else {
        // Random phase; such bins add in power across frames, like a random-phase frame's.
        const mag = Math.sqrt(size * p);
        if (k === 0 || k === nb - 1) {
          re[k] = (draw & 1) === 0 ? -mag : mag;
          im[k] = 0;
        } else {
          const angle = draw & PHASOR_MASK;
          re[k] = mag * (PHASOR_COS[angle] as number);
          im[k] = mag * (PHASOR_SIN[angle] as number);
        }
      }
    }
  }
}
