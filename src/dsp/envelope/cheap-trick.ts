import { AutoVoiceError } from '../../errors/index.js';
import { getRealFft, nextPowerOfTwo, type RealFft } from '../fft.js';

/**
 * Pitch-adaptive spectral envelope (after WORLD's CheapTrick, Morise 2015): each frame is
 * windowed by a Hann window three pitch periods long, its power spectrum is smoothed over 2/3 of
 * F0 in frequency (which cancels the periodic ripple of a 3·T0 Hann window), and the log
 * spectrum is liftered with a sinc lifter at F0 plus a compensation lifter (q1) that restores the
 * formant peaks the smoothing flattened. The result is, to a good approximation, independent of F0.
 *
 * Scale: the envelope is a power spectral density per sample — white noise of variance σ² gives
 * σ² in every bin; a train of pulses h every T0 samples gives |H(f)|² / T0.
 */
export interface SpectralEnvelopeOptions {
  /** Lowest F0 the window adapts to (Hz); lower F0 values are treated as this. Sets the FFT size. */
  f0FloorHz: number;
  /**
   * F0 used for unvoiced frames (Hz): their window is three periods of it. WORLD's 500 Hz (6 ms)
   * resolves bursts but smears each frame's energy ~300 Hz wide, down to DC, where the noise
   * synthesis then rumbles; 250 Hz (12 ms) halves that and lowered round-trip MCD on unvoiced
   * frames from 4.6 to 3.7 dB (TTS speech) and 3.0 to 2.4 dB (vocadito).
   */
  unvoicedF0Hz: number;
  /** Compensation lifter coefficient (CheapTrick's q1; -0.15 recovers formant peaks). */
  q1: number;
  /**
   * FFT size of the returned envelope grid (fftSize/2+1 bins); 0 = `envelopeFftSize(sampleRate,
   * f0FloorHz)` (WORLD's choice). Half of that halves the memory of an analysis and loses little:
   * the envelope has no detail finer than ~F0/2.
   */
  fftSize: number;
  /**
   * Compute each frame with the smallest FFT that holds its window (then interpolate to fftSize).
   * Much faster for high voices at a small cost in detail; false computes at fftSize.
   */
  adaptiveFft: boolean;
}

export const defaultSpectralEnvelopeOptions: SpectralEnvelopeOptions = {
  f0FloorHz: 71,
  unvoicedF0Hz: 250,
  q1: -0.15,
  fftSize: 0,
  adaptiveFft: true,
};

/** FFT size that holds a three-period window at `f0FloorHz`: 2^(1 + floor(log2(3·fs/f0Floor))). */
export function envelopeFftSize(sampleRate: number, f0FloorHz: number): number {
  return 2 ** (1 + Math.floor(Math.log2((3 * sampleRate) / f0FloorHz)));
}

/** Power added to every bin before taking logs, relative to full-scale (keeps log finite in silence). */
export const ENVELOPE_FLOOR_POWER = 1e-16;

/** Reusable per-frame CheapTrick analyser: scratch buffers are allocated once per FFT size. */
export class EnvelopeAnalyzer {
  readonly sampleRate: number;
  readonly fftSize: number;
  readonly binCount: number;
  private readonly opts: SpectralEnvelopeOptions;
  private readonly scratch = new Map<number, EnvelopeScratch>();

  constructor(sampleRate: number, options: Partial<SpectralEnvelopeOptions> = {}) {
    const opts = { ...defaultSpectralEnvelopeOptions, ...options };
    validateEnvelopeOptions(sampleRate, opts);
    this.sampleRate = sampleRate;
    this.opts = opts;
    this.fftSize = opts.fftSize > 0 ? opts.fftSize : envelopeFftSize(sampleRate, opts.f0FloorHz);
    this.binCount = this.fftSize / 2 + 1;
  }

  /**
   * Envelope of the frame centred on sample `centerSample` (integer) of `signal`, for F0
   * `f0Hz` (0 = unvoiced), written into `out` (binCount bins, power per sample).
   */
  analyzeFrame(signal: Float32Array, centerSample: number, f0Hz: number, out: Float32Array): void {
    const fs = this.sampleRate;
    const f0 = f0Hz > 0 ? Math.max(f0Hz, this.opts.f0FloorHz) : this.opts.unvoicedF0Hz;
    const halfWindow = Math.round((1.5 * fs) / f0);
    const windowLength = 2 * halfWindow + 1;
    // The analysis FFT must hold the window; the output grid (fftSize) may be coarser or finer.
    const holding = Math.max(64, nextPowerOfTwo(windowLength));
    const size = this.opts.adaptiveFft ? holding : Math.max(this.fftSize, holding);
    const s = this.scratchFor(size);
    const frame = s.frame;
    frame.fill(0);
    // Hann window three periods long, DC removed (a DC offset would leak into the low bins).
    let sumX = 0;
    let sumW = 0;
    let sumW2 = 0;
    const winScale = (Math.PI * f0) / (1.5 * fs);
    // cos(winScale·i) by the Chebyshev recurrence c[i+1] = 2·cos(θ)·c[i] - c[i-1] (no per-sample cos).
    const twoCos = 2 * Math.cos(winScale);
    let cPrev = Math.cos(winScale * (-halfWindow - 1));
    let c = Math.cos(winScale * -halfWindow);
    for (let i = -halfWindow; i <= halfWindow; i++) {
      const w = 0.5 * c + 0.5;
      const next = twoCos * c - cPrev;
      cPrev = c;
      c = next;
      const j = centerSample + i;
      const x = j >= 0 && j < signal.length ? (signal[j] as number) : 0;
      const k = i + halfWindow;
      frame[k] = x * w;
      s.window[k] = w;
      sumX += x * w;
      sumW += w;
      sumW2 += w * w;
    }
    const dc = sumX / sumW;
    for (let k = 0; k < windowLength; k++) frame[k] = (frame[k] as number) - dc * (s.window[k] as number);
    const fft = s.fft;
    const bins = fft.binCount;
    const power = s.power;
    fft.powerSpectrum(frame, power);
    const norm = 1 / sumW2;
    for (let k = 0; k < bins; k++) power[k] = (power[k] as number) * norm;
    const binHz = fs / size;
    addDcReplica(power, f0 / binHz, s.tmp);
    smoothRectangular(power, (2 * f0) / 3 / binHz, s.cumulative, s.tmp);
    liftLogSpectrum(s, f0, fs, this.opts.q1);
    // s.power now holds the log envelope on this FFT's grid; map it onto the output grid.
    if (size === this.fftSize) {
      for (let k = 0; k < bins; k++) out[k] = Math.exp(power[k] as number);
    } else {
      // exp on the coarse grid, then linear interpolation (the envelope is smooth at this scale).
      for (let k = 0; k < bins; k++) power[k] = Math.exp(power[k] as number);
      const ratio = size / this.fftSize;
      const last = bins - 1;
      for (let k = 0; k < this.binCount; k++) {
        const pos = k * ratio;
        const i0 = Math.min(Math.floor(pos), last - 1);
        const frac = pos - i0;
        out[k] = (power[i0] as number) * (1 - frac) + (power[i0 + 1] as number) * frac;
      }
    }
  }

  private scratchFor(size: number): EnvelopeScratch {
    let s = this.scratch.get(size);
    if (s === undefined) {
      const bins = size / 2 + 1;
      s = {
        fft: getRealFft(size),
        frame: new Float64Array(size),
        window: new Float64Array(size + 1),
        power: new Float64Array(bins),
        tmp: new Float64Array(bins + 4 * bins),
        cumulative: new Float64Array(4 * bins + 8),
        full: new Float64Array(size),
        re: new Float64Array(bins),
        im: new Float64Array(bins),
      };
      this.scratch.set(size, s);
    }
    return s;
  }
}

interface EnvelopeScratch {
  fft: RealFft;
  frame: Float64Array;
  window: Float64Array;
  power: Float64Array;
  tmp: Float64Array;
  cumulative: Float64Array;
  full: Float64Array;
  re: Float64Array;
  im: Float64Array;
}

function validateEnvelopeOptions(sampleRate: number, opts: SpectralEnvelopeOptions): void {
  if (!(sampleRate >= 1000 && sampleRate <= 384000)) {
    throw new AutoVoiceError('dsp.invalid_option', `sampleRate must be 1000..384000 Hz, got ${sampleRate}`);
  }
  if (!(opts.f0FloorHz >= 20 && opts.f0FloorHz < sampleRate / 8)) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `f0FloorHz must be >= 20 and < sampleRate/8, got ${opts.f0FloorHz}; 71 works for voice`,
    );
  }
  if (!(opts.unvoicedF0Hz > 0 && opts.unvoicedF0Hz < sampleRate / 4)) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `unvoicedF0Hz must be in (0, sampleRate/4), got ${opts.unvoicedF0Hz}; 250 works`,
    );
  }
  if (opts.fftSize !== 0 && (opts.fftSize < 64 || (opts.fftSize & (opts.fftSize - 1)) !== 0)) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `fftSize must be 0 (auto) or a power of two >= 64, got ${opts.fftSize}`,
    );
  }
}

/**
 * Folds the power below F0 around f0/2 (CheapTrick's DC correction): the window's main lobe at
 * DC and its negative-frequency image would otherwise make the envelope below F0 depend on F0.
 * `f0Bins` is F0 in bins.
 */
function addDcReplica(power: Float64Array, f0Bins: number, tmp: Float64Array): void {
  const limit = Math.min(Math.floor(f0Bins), power.length - 1);
  for (let k = 0; k <= limit; k++) {
    const src = f0Bins - k;
    const i0 = Math.floor(src);
    const frac = src - i0;
    const a = power[i0] as number;
    const b = i0 + 1 < power.length ? (power[i0 + 1] as number) : a;
    tmp[k] = a + (b - a) * frac;
  }
  for (let k = 0; k <= limit; k++) power[k] = (power[k] as number) + (tmp[k] as number);
}

/**
 * Rectangular smoothing of `power` over `widthBins` bins (centred), via a cumulative sum of the
 * spectrum mirrored at DC and Nyquist so the ends are not biased.
 */
function smoothRectangular(
  power: Float64Array,
  widthBins: number,
  cumulative: Float64Array,
  tmp: Float64Array,
): void {
  const bins = power.length;
  const half = widthBins / 2;
  const pad = Math.min(bins - 1, Math.ceil(half) + 2);
  // ext[j] = power of bin (j - pad), mirrored; cumulative[m] = sum of ext[0..m-1] (edge m - 0.5).
  let acc = 0;
  cumulative[0] = 0;
  const extLength = bins + 2 * pad;
  for (let j = 0; j < extLength; j++) {
    let k = j - pad;
    if (k < 0) k = -k;
    else if (k > bins - 1) k = 2 * (bins - 1) - k;
    acc += power[k] as number;
    cumulative[j + 1] = acc;
  }
  // Integral of the piecewise-constant spectrum from the left edge up to position x (in ext bins).
  const integral = (x: number): number => {
    const e = x + 0.5; // edge index
    const m = Math.floor(e);
    const frac = e - m;
    const c0 = cumulative[m] as number;
    const c1 = cumulative[m + 1] as number;
    return c0 + (c1 - c0) * frac;
  };
  for (let k = 0; k < bins; k++) {
    const centre = k + pad;
    tmp[k] = (integral(centre + half) - integral(centre - half)) / widthBins;
  }
  for (let k = 0; k < bins; k++) power[k] = tmp[k] as number;
}

/**
 * Log, sinc lifter at F0 and compensation lifter: replaces s.power (linear) by the smoothed
 * log spectrum. Uses forward real FFTs of even sequences (the cepstrum of a real even log
 * spectrum is real and even).
 */
function liftLogSpectrum(s: EnvelopeScratch, f0Hz: number, sampleRate: number, q1: number): void {
  const { fft, full, re, im, power } = s;
  const size = fft.size;
  const bins = fft.binCount;
  for (let k = 0; k < bins; k++) full[k] = Math.log((power[k] as number) + ENVELOPE_FLOOR_POWER);
  for (let k = bins; k < size; k++) full[k] = full[size - k] as number;
  fft.forward(full, re, im);
  // re[n]·(1/size) is the cepstrum at quefrency n; apply both lifters, then transform back.
  const invSize = 1 / size;
  full[0] = (re[0] as number) * invSize;
  // sin(n·a) and cos(2n·a) advance by rotation instead of two trig calls per bin.
  const a = (Math.PI * f0Hz) / sampleRate;
  const ca = Math.cos(a);
  const sa = Math.sin(a);
  let sn = sa; // sin(n·a)
  let cn = ca; // cos(n·a)
  for (let n = 1; n < bins; n++) {
    const x = a * n;
    const smoothing = sn / x;
    const cos2 = 2 * cn * cn - 1; // cos(2·n·a)
    const compensation = 1 - 2 * q1 + 2 * q1 * cos2;
    full[n] = (re[n] as number) * invSize * smoothing * compensation;
    const nextS = sn * ca + cn * sa;
    cn = cn * ca - sn * sa;
    sn = nextS;
  }
  for (let n = bins; n < size; n++) full[n] = full[size - n] as number;
  fft.forward(full, re, im);
  for (let k = 0; k < bins; k++) power[k] = re[k] as number;
}
