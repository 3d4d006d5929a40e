import { AutoVoiceError } from '../errors/index.js';
import { getRealFft, nextPowerOfTwo } from '../dsp/fft.js';
import { makeWindow } from '../dsp/window.js';
import { dtwAlign } from './dtw.js';

/**
 * Mel-cepstra and mel-cepstral distortion (MCD), the standard objective distance of voice
 * conversion (Kubichek 1993; Toda et al. 2007).
 *
 * How the mel-cepstrum is computed (per frame, `framePeriodMs` apart, centred frames):
 *  1. Hann window of `frameLengthMs` (25 ms), FFT to a power spectrum |X(ω)|², floored at −80 dB
 *     below the frame's strongest bin (and at −140 dB under full scale) so gain does not matter
 *     and silence gives finite values.
 *  2. Real cepstrum of the log power: c = IFFT(ln |X|²) / 2 (the cepstrum of ln|X|), in SPTK's
 *     one-sided convention (c(m) doubled for m ≥ 1, so ln|X(ω)| = Σ c(m)·cos(mω)).
 *  3. Liftering: only quefrencies below `lifterMs` (2.5 ms) are kept. That removes the harmonic
 *     (F0) structure of voices up to ~400 Hz, leaving the spectral envelope — an F0-independent
 *     description, as MCD requires.
 *  4. Frequency warping to the mel scale with SPTK's `freqt` recursion (all-pass warping with
 *     α chosen per sample rate: 0.42 at 16 kHz, 0.455 at 22.05 kHz, 0.466 at 24 kHz, 0.544 at
 *     44.1 kHz, 0.554 at 48 kHz), truncated to order `coefficients` (24): mc[0..24].
 * This matches `pysptk.sp2mc` applied to a cepstrally smoothed spectrum.
 *
 * MCD between two frames = (10 / ln 10)·sqrt(2·Σ_{d=1}^{24} (mc_a[d] − mc_b[d])²) dB — c0 (overall
 * level) is excluded, so MCD ignores gain. Averaged over frames (after DTW alignment when the two
 * utterances differ in timing).
 */
export interface MelCepstrumOptions {
  /** Analysis frame length, ms. */
  frameLengthMs: number;
  /** Hop between frames, ms. */
  framePeriodMs: number;
  /** Highest quefrency kept before warping, ms (removes F0 harmonics below 1000/lifterMs Hz). */
  lifterMs: number;
  /** Mel-cepstrum order: coefficients c1..cN besides c0. */
  coefficients: number;
  /** All-pass warping constant; NaN = choose from the sample rate (melWarpAlpha). */
  alpha: number;
}

export const defaultMelCepstrumOptions: MelCepstrumOptions = {
  frameLengthMs: 25,
  framePeriodMs: 5,
  lifterMs: 2.5,
  coefficients: 24,
  alpha: Number.NaN,
};

/** Frame-wise mel-cepstra plus the energy used to tell speech from silence. */
export interface MelCepstra {
  /** Frames × (coefficients + 1): mc[0] (log level) .. mc[coefficients]. */
  frames: Float32Array[];
  /** Per-frame energy in dB relative to full scale. */
  frameEnergyDb: Float32Array;
  framePeriodMs: number;
  alpha: number;
}

/** The customary all-pass constant approximating the mel scale at `sampleRate` Hz (SPTK table, interpolated). */
export function melWarpAlpha(sampleRate: number): number {
  const table: [number, number][] = [
    [8000, 0.31],
    [10000, 0.35],
    [12000, 0.37],
    [16000, 0.42],
    [22050, 0.455],
    [24000, 0.466],
    [32000, 0.5],
    [44100, 0.544],
    [48000, 0.554],
  ];
  const first = table[0] as [number, number];
  const last = table[table.length - 1] as [number, number];
  if (sampleRate <= first[0]) return first[1];
  if (sampleRate >= last[0]) return last[1];
  for (let i = 1; i < table.length; i++) {
    const [r1, a1] = table[i] as [number, number];
    const [r0, a0] = table[i - 1] as [number, number];
    if (sampleRate <= r1) return a0 + ((a1 - a0) * (sampleRate - r0)) / (r1 - r0);
  }
  return last[1];
}

/**
 * SPTK `freqt`: frequency-warps cepstrum `c` (c[0..]) with all-pass constant `alpha` into
 * `order + 1` warped coefficients.
 */
export function freqt(c: ArrayLike<number>, order: number, alpha: number): Float64Array {
  const b = 1 - alpha * alpha;
  let g = new Float64Array(order + 1);
  let d = new Float64Array(order + 1);
  for (let i = c.length - 1; i >= 0; i--) {
    [d, g] = [g, d];
    g[0] = (c[i] as number) + alpha * (d[0] as number);
    if (order >= 1) g[1] = b * (d[0] as number) + alpha * (d[1] as number);
    for (let j = 2; j <= order; j++) g[j] = (d[j - 1] as number) + alpha * ((d[j] as number) - (g[j - 1] as number));
  }
  return g;
}

/** Mel-cepstra of `signal` (mono, `sampleRate` Hz); see the module comment for the method. */
export function computeMelCepstra(signal: Float32Array, sampleRate: number, options: Partial<MelCepstrumOptions> = {}): MelCepstra {
  const opts: MelCepstrumOptions = { ...defaultMelCepstrumOptions, ...options };
  if (!(signal instanceof Float32Array)) throw new AutoVoiceError('quality.invalid_input', 'computeMelCepstra takes a Float32Array signal.');
  if (!Number.isFinite(sampleRate) || sampleRate < 4000) {
    throw new AutoVoiceError('quality.invalid_input', `sampleRate must be at least 4000 Hz, got ${sampleRate}.`);
  }
  if (!Number.isInteger(opts.coefficients) || opts.coefficients < 1) {
    throw new AutoVoiceError('quality.invalid_input', `coefficients must be a positive integer such as 24, got ${opts.coefficients}.`);
  }
  if (!(opts.frameLengthMs > 0) || !(opts.framePeriodMs > 0) || !(opts.lifterMs > 0)) {
    throw new AutoVoiceError('quality.invalid_input', 'frameLengthMs, framePeriodMs and lifterMs must be positive (e.g. 25, 5, 2.5).');
  }
  const alpha = Number.isNaN(opts.alpha) ? melWarpAlpha(sampleRate) : opts.alpha;
  const frameSamples = Math.max(16, Math.round((opts.frameLengthMs * sampleRate) / 1000));
  const hopSamples = Math.max(1, Math.round((opts.framePeriodMs * sampleRate) / 1000));
  const fftSize = nextPowerOfTwo(frameSamples) * 2;
  const fft = getRealFft(fftSize);
  const win = makeWindow('hann', frameSamples, false);
  let winEnergy = 0;
  for (let i = 0; i < frameSamples; i++) winEnergy += (win[i] as number) ** 2;
  const lifterOrder = Math.max(opts.coefficients, Math.min(fftSize / 2 - 1, Math.floor((opts.lifterMs * sampleRate) / 1000)));
  const frameCount = Math.floor(signal.length / hopSamples) + 1;
  const half = Math.floor(frameSamples / 2);
  // Floor: −140 dB below a full-scale sine's spectral peak, the same for every signal.
  const floor = 1e-14 * ((winEnergy * frameSamples) / 4);
  const frame = new Float64Array(fftSize);
  const power = new Float64Array(fft.binCount);
  const logRe = new Float64Array(fft.binCount);
  const zeros = new Float64Array(fft.binCount);
  const ceps = new Float64Array(fftSize);
  const frames: Float32Array[] = [];
  const frameEnergyDb = new Float32Array(frameCount);
  const cut = new Float64Array(lifterOrder + 1);
  for (let t = 0; t < frameCount; t++) {
    const start = t * hopSamples - half;
    let energy = 0;
    for (let i = 0; i < frameSamples; i++) {
      const j = start + i;
      const x = j >= 0 && j < signal.length ? (signal[j] as number) : 0;
      const v = x * (win[i] as number);
      frame[i] = v;
      energy += v * v;
    }
    frame.fill(0, frameSamples);
    frameEnergyDb[t] = 10 * Math.log10(energy / winEnergy + 1e-12);
    fft.powerSpectrum(frame, power);
    let maxBin = 0;
    for (let k = 0; k < fft.binCount; k++) if ((power[k] as number) > maxBin) maxBin = power[k] as number;
    // −80 dB below the frame's peak (gain-invariant) but never below the absolute floor.
    const frameFloor = Math.max(floor, 1e-8 * maxBin);
    for (let k = 0; k < fft.binCount; k++) logRe[k] = 0.5 * Math.log((power[k] as number) + frameFloor);
    fft.inverse(logRe, zeros, ceps);
    // ceps = real cepstrum of ln|X|; SPTK convention doubles m ≥ 1.
    cut[0] = ceps[0] as number;
    for (let m = 1; m <= lifterOrder; m++) cut[m] = 2 * (ceps[m] as number);
    frames.push(Float32Array.from(freqt(cut, opts.coefficients, alpha)));
  }
  return { frames, frameEnergyDb, framePeriodMs: (hopSamples * 1000) / sampleRate, alpha };
}

/** Options of `melCepstralDistortion`. */
export interface MelCepstralDistortionOptions extends MelCepstrumOptions {
  /** Align the two utterances with DTW (needed when their timing differs). */
  dtw: boolean;
  /** Drop frames more than this many dB below the utterance's loudest frame (silence); Infinity keeps all. */
  activeRangeDb: number;
}

export const defaultMelCepstralDistortionOptions: MelCepstralDistortionOptions = {
  ...defaultMelCepstrumOptions,
  dtw: true,
  activeRangeDb: 40,
};

const MCD_SCALE = (10 / Math.LN10) * Math.SQRT2;

/** MCD in dB between two mel-cepstrum frames, c0 excluded. */
export function frameMelCepstralDistortion(a: Float32Array, b: Float32Array): number {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let d = 1; d < n; d++) {
    const v = (a[d] as number) - (b[d] as number);
    s += v * v;
  }
  return MCD_SCALE * Math.sqrt(s);
}

function activeFrames(mc: MelCepstra, rangeDb: number): Float32Array[] {
  return activeIndices(mc, rangeDb).map((t) => mc.frames[t] as Float32Array);
}

/**
 * Mean mel-cepstral distortion in dB between `a` and `b`, which are either two mono signals
 * (Float32Array, with `options.sampleRate` in Hz) or two mel-cepstrum frame sequences from
 * `computeMelCepstra` (Float32Array[]). Signals get mel-cepstra of order `coefficients` (default
 * 24; c0 always excluded) with silence dropped (`activeRangeDb`); frames are then paired by DTW
 * (`dtw: true`, the default) or index by index (`dtw: false`, over the shorter length).
 * 0 dB = identical spectral envelopes; 1-2 dB = the same voice through a good vocoder; 8-12 dB =
 * different speakers.
 */
export function melCepstralDistortion(
  a: Float32Array | readonly Float32Array[],
  b: Float32Array | readonly Float32Array[],
  options: Partial<MelCepstralDistortionOptions> & { sampleRate?: number } = {},
): number {
  const opts: MelCepstralDistortionOptions = { ...defaultMelCepstralDistortionOptions, ...options };
  const toFrames = (x: Float32Array | readonly Float32Array[]): MelCepstra | readonly Float32Array[] => {
    if (!(x instanceof Float32Array)) return x;
    const sampleRate = options.sampleRate;
    if (sampleRate === undefined) {
      throw new AutoVoiceError(
        'quality.invalid_input',
        'melCepstralDistortion on signals needs options.sampleRate (Hz); or pass mel-cepstra from computeMelCepstra.',
      );
    }
    return computeMelCepstra(x, sampleRate, opts);
  };
  const ma = toFrames(a);
  const mb = toFrames(b);
  if (!isMelCepstra(ma) || !isMelCepstra(mb)) {
    return melCepstralDistortionOfFrames(framesOf(ma), framesOf(mb), opts.dtw);
  }
  if (opts.dtw) {
    return melCepstralDistortionOfFrames(activeFrames(ma, opts.activeRangeDb), activeFrames(mb, opts.activeRangeDb), true);
  }
  // Index-paired: silence is decided by the reference (a) alone, so frame t of a still meets
  // frame t of b — dropping each signal's own quiet frames would pair frames out of line.
  const n = Math.min(ma.frames.length, mb.frames.length);
  const kept = activeIndices(ma, opts.activeRangeDb).filter((t) => t < n);
  return melCepstralDistortionOfFrames(
    kept.map((t) => ma.frames[t] as Float32Array),
    kept.map((t) => mb.frames[t] as Float32Array),
    false,
  );
}

function isMelCepstra(x: MelCepstra | readonly Float32Array[]): x is MelCepstra {
  return !Array.isArray(x);
}

function framesOf(x: MelCepstra | readonly Float32Array[]): readonly Float32Array[] {
  return isMelCepstra(x) ? x.frames : x;
}

/** Mean MCD in dB between two mel-cepstrum frame sequences, aligned by DTW (c0 ignored) or by index. */
export function melCepstralDistortionOfFrames(a: readonly Float32Array[], b: readonly Float32Array[], dtw: boolean): number {
  if (a.length === 0 || b.length === 0) {
    throw new AutoVoiceError('quality.invalid_input', 'melCepstralDistortion needs two non-empty signals.');
  }
  if (!dtw) {
    const n = Math.min(a.length, b.length);
    let sum = 0;
    for (let t = 0; t < n; t++) sum += frameMelCepstralDistortion(a[t] as Float32Array, b[t] as Float32Array);
    return sum / n;
  }
  const path = dtwAlign(a, b, { firstDimension: 1 });
  let sum = 0;
  for (let k = 0; k < path.pathA.length; k++) {
    sum += frameMelCepstralDistortion(a[path.pathA[k] as number] as Float32Array, b[path.pathB[k] as number] as Float32Array);
  }
  return sum / path.pathA.length;
}

/** The DTW alignment of two utterances by their mel-cepstra, with the mean MCD along it. */
export interface MelCepstralAlignment {
  /** Mean MCD along the path, dB (= melCepstralDistortion with dtw: true). */
  meanMcdDb: number;
  /** Paired frame indices into the full (silence included) mel-cepstrum grids of a and b. */
  pathA: Int32Array;
  pathB: Int32Array;
  /** Frame period of both grids, ms: frame i is centred at i·framePeriodMs (same grid as estimateF0). */
  framePeriodMs: number;
}

/**
 * Aligns utterances `a` and `b` (mono, `sampleRate` Hz) by DTW over the mel-cepstra of their
 * speech-active frames and returns the path in full-grid frame indices, so other per-frame tracks on
 * the same grid (F0 at the same frame period) can be compared along it.
 */
export function alignByMelCepstra(
  a: Float32Array,
  b: Float32Array,
  sampleRate: number,
  options: Partial<MelCepstralDistortionOptions> = {},
): MelCepstralAlignment {
  const opts: MelCepstralDistortionOptions = { ...defaultMelCepstralDistortionOptions, ...options };
  const ma = computeMelCepstra(a, sampleRate, opts);
  const mb = computeMelCepstra(b, sampleRate, opts);
  const ia = activeIndices(ma, opts.activeRangeDb);
  const ib = activeIndices(mb, opts.activeRangeDb);
  const fa = ia.map((t) => ma.frames[t] as Float32Array);
  const fb = ib.map((t) => mb.frames[t] as Float32Array);
  const path = dtwAlign(fa, fb, { firstDimension: 1 });
  let sum = 0;
  for (let k = 0; k < path.pathA.length; k++) {
    sum += frameMelCepstralDistortion(fa[path.pathA[k] as number] as Float32Array, fb[path.pathB[k] as number] as Float32Array);
  }
  return {
    meanMcdDb: sum / path.pathA.length,
    pathA: Int32Array.from(path.pathA, (k) => ia[k] as number),
    pathB: Int32Array.from(path.pathB, (k) => ib[k] as number),
    framePeriodMs: ma.framePeriodMs,
  };
}

function activeIndices(mc: MelCepstra, rangeDb: number): number[] {
  const all = mc.frames.map((_, t) => t);
  if (!Number.isFinite(rangeDb)) return all;
  let max = Number.NEGATIVE_INFINITY;
  for (const e of mc.frameEnergyDb) if (e > max) max = e;
  const threshold = Math.max(max - rangeDb, -80);
  const kept = all.filter((t) => (mc.frameEnergyDb[t] as number) >= threshold);
  return kept.length > 0 ? kept : all;
}
