import { AutoVoiceError } from '../../errors/index.js';
import { getRealFft, nextPowerOfTwo, type RealFft } from '../fft.js';
import {
  FRACTIONAL_DELAY_FIRST_OFFSET,
  FRACTIONAL_DELAY_STEPS,
  FRACTIONAL_DELAY_TABLE,
  FRACTIONAL_DELAY_TAPS,
  interpolateAt,
} from '../fractional-delay.js';

/**
 * Band aperiodicity from inter-harmonic valleys. Four pitch periods around the frame centre are
 * resampled (8-tap windowed sinc) onto exactly S samples (S a power of two) and Hann-windowed:
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
  /**
   * Window: 'hann4' = Hann over four periods (harmonics on bins 4h±1, valleys at 4h±2; tolerant
   * of F0 errors); 'rect2' = rectangular over two periods (harmonics on even bins only; shorter,
   * so less smearing by vibrato, but more sensitive to F0 errors).
   */
  window: 'hann4' | 'rect2';
  /**
   * Factor applied to voiced aperiodicity. The valley measure also catches what jitter, shimmer
   * and within-window F0 changes leak out of the harmonics, so it reads real voices as too
   * noisy (resyntheses then sound rough and lose pitch stability). 0.7 was chosen on vocadito:
   * resynthesis pitch accuracy 0.93 → 0.985 and lower mel-cepstral distortion. 1 = raw estimate.
   */
  voicedCalibration: number;
  /** Relative F0 error below which no refinement pass is run (0.002 leaks < -25 dB at harmonic 20). */
  refineThreshold: number;
  /** Passes re-centring F0 on the measured harmonic positions (0 = trust the given F0). */
  refinePasses: number;
}

export const defaultAperiodicityOptions: AperiodicityOptions = {
  f0FloorHz: 71,
  maxFftSize: 2048,
  smoothingHarmonics: 2,
  minAperiodicity: 0.001,
  refinePasses: 1,
  refineThreshold: 0.002,
  window: 'hann4',
  voicedCalibration: 0.7,
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
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `maxFftSize must be a power of two >= 64, got ${opts.maxFftSize}; 2048 works`,
      );
    }
    if (!(opts.smoothingHarmonics >= 0 && opts.smoothingHarmonics <= 10)) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `smoothingHarmonics must be 0..10, got ${opts.smoothingHarmonics}`,
      );
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
  analyzeFrame(
    signal: Float32Array,
    centerSample: number,
    f0Hz: number,
    out: Float32Array,
    f0SlopeHzPerSecond = 0,
  ): void {
    const fs = this.sampleRate;
    if (!(f0Hz > 0)) {
      out.fill(1);
      return;
    }
    let f0 = Math.max(f0Hz, this.opts.f0FloorHz);
    let slope = Number.isFinite(f0SlopeHzPerSecond) ? f0SlopeHzPerSecond : 0;
    const periods = this.opts.window === 'hann4' ? 4 : 2;
    // Never fewer samples than the span: resampling down would fold the interpolator's images
    // of near-Nyquist content into the valleys.
    const size = Math.min(this.opts.maxFftSize, Math.max(64, nextPowerOfTwo(Math.ceil((periods * fs) / f0))));
    const s = this.scratchFor(size);
    const power = s.power;
    const harmonics = Math.floor((size / 2 - 2) / periods);
    if (harmonics < 1) {
      out.fill(1);
      return;
    }
    this.warpedPowerSpectrum(signal, centerSample, f0, slope, s);
    // A tracker's F0 is typically off by ~1%, which at harmonic 10 already spills into the
    // valleys: re-centre on the harmonics' measured positions and analyse once more.
    for (let pass = 0; pass < this.opts.refinePasses; pass++) {
      const correction = harmonicOffsetRatio(power, harmonics, periods);
      if (Math.abs(correction) < this.opts.refineThreshold) break;
      f0 *= 1 + correction;
      slope *= 1 + correction;
      this.warpedPowerSpectrum(signal, centerSample, f0, slope, s);
    }
    // Harmonic h sits at bin 4h; its interval is bins 4h-2..4h+2 (the ends are shared valleys).
    const valley = s.valley;
    const total = s.total;
    for (let h = 1; h <= harmonics; h++) {
      const b = periods * h;
      if (periods === 4) {
        const lo = power[b - 2] as number;
        const hi = power[b + 2] as number;
        valley[h] = 0.5 * (lo + hi);
        total[h] =
          (0.5 * lo + (power[b - 1] as number) + (power[b] as number) + (power[b + 1] as number) + 0.5 * hi) /
          4;
      } else {
        const lo = power[b - 1] as number;
        const hi = power[b + 1] as number;
        valley[h] = 0.5 * (lo + hi);
        total[h] = (0.5 * lo + (power[b] as number) + 0.5 * hi) / 2;
      }
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
      const r = t > 0 ? this.opts.voicedCalibration * Math.sqrt(Math.min(1, v / t)) : 1;
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

  /**
   * Power spectrum of four periods around `centerSample`, resampled at uniform phase of the F0
   * contour f0 + slope·τ (so glides and vibrato keep their harmonics on bins 4h) and
   * Hann-windowed, into s.power.
   */
  private warpedPowerSpectrum(
    signal: Float32Array,
    centerSample: number,
    f0: number,
    slope: number,
    s: AperiodicityScratch,
  ): void {
    const fs = this.sampleRate;
    const size = s.fft.size;
    const frame = s.frame;
    const window = s.window;
    const cyclesPerSample = (this.opts.window === 'hann4' ? 4 : 2) / size;
    let sumX = 0;
    let sumW = 0;
    const table = FRACTIONAL_DELAY_TABLE;
    const taps: 8 = FRACTIONAL_DELAY_TAPS; // the sum below is written out for eight
    const length = signal.length;
    const invF0 = 1 / f0;
    const curvature = (0.5 * slope) / (f0 * f0 * f0);
    for (let m = 0; m < size; m++) {
      // Phase φ (cycles) from the centre; τ solves f0·τ + slope·τ²/2 = φ (to second order in
      // slope, which is exact enough for the few-percent F0 change a 4-period window sees).
      const phi = (m - size / 2) * cyclesPerSample;
      const tau = phi * invF0 - curvature * phi * phi;
      const pos = centerSample + tau * fs;
      const base = Math.floor(pos);
      const q = ((pos - base) * FRACTIONAL_DELAY_STEPS + 0.5) | 0;
      const row = q * taps;
      const first = base + FRACTIONAL_DELAY_FIRST_OFFSET;
      // The eight taps written out (the same sum in the same order; V8 does not unroll the loop).
      const x =
        first >= 0 && first + taps <= length
          ? (table[row] as number) * (signal[first] as number) +
            (table[row + 1] as number) * (signal[first + 1] as number) +
            (table[row + 2] as number) * (signal[first + 2] as number) +
            (table[row + 3] as number) * (signal[first + 3] as number) +
            (table[row + 4] as number) * (signal[first + 4] as number) +
            (table[row + 5] as number) * (signal[first + 5] as number) +
            (table[row + 6] as number) * (signal[first + 6] as number) +
            (table[row + 7] as number) * (signal[first + 7] as number)
          : interpolateAt(signal, pos);
      const w = window[m] as number;
      frame[m] = x * w;
      sumX += x * w;
      sumW += w;
    }
    const dc = sumX / sumW;
    for (let m = 0; m < size; m++) frame[m] = (frame[m] as number) - dc * (window[m] as number);
    s.fft.powerSpectrum(frame, s.power);
  }

  private scratchFor(size: number): AperiodicityScratch {
    let s = this.scratch.get(size);
    if (s === undefined) {
      const bins = size / 2 + 1;
      s = {
        fft: getRealFft(size),
        frame: new Float64Array(size),
        window: this.opts.window === 'hann4' ? periodicHann(size) : new Float64Array(size).fill(1),
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

/**
 * Relative F0 error estimated from where the low harmonics actually peak: harmonic h should sit
 * on bin 4h; a log-parabolic fit through bins 4h-1..4h+1 gives its offset δ_h ≈ 4h·ρ, and ρ is
 * the power-weighted least-squares fit over the harmonics below bin ~40 (clamped to ±3%).
 */
function harmonicOffsetRatio(power: Float64Array, harmonics: number, periods: number): number {
  let num = 0;
  let den = 0;
  const top = Math.min(harmonics, 10);
  for (let h = 1; h <= top; h++) {
    const b = periods * h;
    const a = Math.log((power[b - 1] as number) + 1e-30);
    const c = Math.log((power[b] as number) + 1e-30);
    const d = Math.log((power[b + 1] as number) + 1e-30);
    const curvature = a - 2 * c + d;
    if (!(curvature < 0)) continue;
    const offset = (0.5 * (a - d)) / curvature;
    if (Math.abs(offset) > 1) continue;
    const weight = power[b] as number;
    num += weight * offset * b;
    den += weight * b * b;
  }
  if (!(den > 0)) return 0;
  return Math.max(-0.03, Math.min(0.03, num / den));
}
