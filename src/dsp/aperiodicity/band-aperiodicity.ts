import { AutoVoiceError } from '../../errors/index.js';
import { getRealFft, nextPowerOfTwo, type RealFft } from '../fft.js';

/**
 * Band aperiodicity from inter-harmonic valleys. Four pitch periods around the frame centre are
 * resampled (cubic interpolation) onto exactly S samples (S a power of two) and Hann-windowed:
 * a periodic signal then puts each harmonic h into bins 4h-1..4h+1 only, and bins 4h±2, half-way
 * between harmonics, are exactly empty — whatever the F0 — while noise fills them as evenly as
 * any other bin. Per harmonic we compare the power at those mid-points (noise density) with the
 * mean power over the interval (total density), pool both over a few harmonics, and take
 * aperiodicity = sqrt(noise / total) ∈ [0, 1] — an amplitude ratio, as in WORLD's D4C: the
 * synthesiser gives the aperiodic part aperiodicity² of the power. F0 that changes within the
 * window (vibrato, glides) smears the high harmonics into the valleys and reads as aperiodicity
 * there, which is also what a listener hears.
 */
export interface AperiodicityOptions {
  /** Lowest F0 (Hz) the window adapts to; lower voiced F0 values use this. */
  f0FloorHz: number;
  /** Largest FFT used; four periods longer than this are resampled down (aliasing above its band). */
  maxFftSize: number;
  /** Harmonics either side averaged into each estimate (trade variance for resolution). */
  smoothingHarmonics: number;
  /** Smallest aperiodicity reported for voiced frames (keeps a trace of noise, as voices have). */
  minAperiodicity: number;
}

export const defaultAperiodicityOptions: AperiodicityOptions = {
  f0FloorHz: 71,
  maxFftSize: 2048,
  smoothingHarmonics: 2,
  minAperiodicity: 0.001,
};

/** Reusable per-frame aperiodicity analyser (scratch allocated once per FFT size). */
export class AperiodicityAnalyzer {
  readonly sampleRate: number;
  readonly fftSize: number;
  readonly binCount: number;
  private readonly opts: AperiodicityOptions;
  private readonly scratch = new Map<number, AperiodicityScratch>();

  /** `fftSize` is the size of the output grid (the envelope's), fftSize/2+1 bins. */
  constructor(sampleRate: number, fftSize: number, options: Partial<AperiodicityOptions> = {}) {
    const opts = { ...defaultAperiodicityOptions, ...options };
    if (!(opts.maxFftSize >= 64 && (opts.maxFftSize & (opts.maxFftSize - 1)) === 0)) {
      throw new AutoVoiceError('dsp.invalid_option', `maxFftSize must be a power of two >= 64, got ${opts.maxFftSize}; 2048 works`);
    }
    if (!(opts.smoothingHarmonics >= 0 && opts.smoothingHarmonics <= 10)) {
      throw new AutoVoiceError('dsp.invalid_option', `smoothingHarmonics must be 0..10, got ${opts.smoothingHarmonics}`);
    }
    this.sampleRate = sampleRate;
    this.fftSize = fftSize;
    this.binCount = fftSize / 2 + 1;
    this.opts = opts;
  }

  /**
   * Aperiodicity (0..1, amplitude ratio) of the frame centred on `centerSample`, F0 `f0Hz`
   * (0 = unvoiced → all ones), written into `out` (binCount bins).
   */
  analyzeFrame(signal: Float32Array, centerSample: number, f0Hz: number, out: Float32Array): void {
    const fs = this.sampleRate;
    if (!(f0Hz > 0)) {
      out.fill(1);
      return;
    }
    const f0 = Math.max(f0Hz, this.opts.f0FloorHz);
    const span = (4 * fs) / f0; // four periods, in input samples
    const size = Math.min(this.opts.maxFftSize, Math.max(64, nextPowerOfTwo(Math.ceil(span))));
    const s = this.scratchFor(size);
    const frame = s.frame;
    const window = s.window;
    const step = span / size;
    const start = centerSample - span / 2;
    const last = signal.length - 1;
    let sumX = 0;
    let sumW = 0;
    for (let m = 0; m < size; m++) {
      const pos = start + m * step;
      const i1 = Math.floor(pos);
      const u = pos - i1;
      // Catmull-Rom cubic through samples i1-1..i1+2 (zero outside the signal).
      const x0 = i1 - 1 >= 0 && i1 - 1 <= last ? (signal[i1 - 1] as number) : 0;
      const x1 = i1 >= 0 && i1 <= last ? (signal[i1] as number) : 0;
      const x2 = i1 + 1 >= 0 && i1 + 1 <= last ? (signal[i1 + 1] as number) : 0;
      const x3 = i1 + 2 >= 0 && i1 + 2 <= last ? (signal[i1 + 2] as number) : 0;
      const x = x1 + 0.5 * u * (x2 - x0 + u * (2 * x0 - 5 * x1 + 4 * x2 - x3 + u * (3 * (x1 - x2) + x3 - x0)));
      const w = window[m] as number;
      frame[m] = x * w;
      sumX += x * w;
      sumW += w;
    }
    const dc = sumX / sumW;
    for (let m = 0; m < size; m++) frame[m] = (frame[m] as number) - dc * (window[m] as number);
    const power = s.power;
    s.fft.powerSpectrum(frame, power);
    // Harmonic h sits at bin 4h; its interval is bins 4h-2..4h+2 (the ends are shared valleys).
    const harmonics = Math.floor((size / 2 - 2) / 4);
    if (harmonics < 1) {
      out.fill(1);
      return;
    }
    const valley = s.valley;
    const total = s.total;
    for (let h = 1; h <= harmonics; h++) {
      const b = 4 * h;
      const lo = power[b - 2] as number;
      const hi = power[b + 2] as number;
      valley[h] = 0.5 * (lo + hi);
      total[h] = (0.5 * lo + (power[b - 1] as number) + (power[b] as number) + (power[b + 1] as number) + 0.5 * hi) / 4;
    }
    // Smooth over ±smoothingHarmonics and convert to an amplitude ratio per harmonic.
    const pool = this.opts.smoothingHarmonics;
    const ratio = s.ratio;
    const floor = this.opts.minAperiodicity;
    for (let h = 1; h <= harmonics; h++) {
      let v = 0;
      let t = 0;
      for (let j = Math.max(1, h - pool); j <= Math.min(harmonics, h + pool); j++) {
        v += valley[j] as number;
        t += total[j] as number;
      }
      const r = t > 0 ? Math.sqrt(Math.min(1, v / t)) : 1;
      ratio[h] = Math.max(floor, r);
    }
    // Linear interpolation between harmonic centres onto the output grid; held beyond the ends.
    const outBinHz = fs / this.fftSize;
    for (let k = 0; k < this.binCount; k++) {
      const hPos = (k * outBinHz) / f0;
      if (hPos <= 1) out[k] = ratio[1] as number;
      else if (hPos >= harmonics) out[k] = ratio[harmonics] as number;
      else {
        const h0 = Math.floor(hPos);
        const frac = hPos - h0;
        out[k] = (ratio[h0] as number) * (1 - frac) + (ratio[h0 + 1] as number) * frac;
      }
    }
  }

  private scratchFor(size: number): AperiodicityScratch {
    let s = this.scratch.get(size);
    if (s === undefined) {
      const bins = size / 2 + 1;
      s = {
        fft: getRealFft(size),
        frame: new Float64Array(size),
        window: periodicHann(size),
        power: new Float64Array(bins),
        valley: new Float64Array(bins + 2),
        total: new Float64Array(bins + 2),
        ratio: new Float64Array(bins + 2),
      };
      this.scratch.set(size, s);
    }
    return s;
  }
}

interface AperiodicityScratch {
  fft: RealFft;
  frame: Float64Array;
  window: Float64Array;
  power: Float64Array;
  valley: Float64Array;
  total: Float64Array;
  ratio: Float64Array;
}

function periodicHann(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let m = 0; m < size; m++) w[m] = 0.5 - 0.5 * Math.cos((2 * Math.PI * m) / size);
  return w;
}
