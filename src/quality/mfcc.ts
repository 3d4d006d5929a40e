import { AutoVoiceError } from '../errors/index.js';
import { getRealFft, nextPowerOfTwo } from '../dsp/fft.js';
import { makeWindow } from '../dsp/window.js';

/**
 * Mel-frequency cepstral coefficients (HTK/librosa style): pre-emphasis → framing with a Hamming
 * window → power spectrum → triangular mel filterbank (HTK mel scale, 2595·log10(1 + f/700)) →
 * natural-log band energies → orthonormal DCT-II. Frame t is centred on sample t·hop (the signal is
 * zero-padded by half a frame at both ends), so frame times are t·framePeriodMs/1000 s.
 *
 * The band edges are fixed in Hz (default 20..8000 Hz, clipped to Nyquist) so coefficients from
 * different sample rates describe the same part of the spectrum.
 */
export interface MfccOptions {
  /** Analysis frame length in milliseconds. */
  frameLengthMs: number;
  /** Hop between frames in milliseconds. */
  framePeriodMs: number;
  /** Number of triangular mel bands. */
  melBandCount: number;
  /** Lower edge of the lowest band, Hz. */
  minFrequencyHz: number;
  /** Upper edge of the highest band, Hz (clipped to the Nyquist frequency). */
  maxFrequencyHz: number;
  /** Number of cepstral coefficients returned, c0 included (c0 = overall log level). */
  coefficientCount: number;
  /** First-order pre-emphasis coefficient (0 disables). */
  preEmphasis: number;
  /** Floor added to band energies before the log, relative to a full-scale frame's energy (−140 dB, only matters for digital silence);
   * the floor is also never below −80 dB under the frame's strongest band. */
  energyFloor: number;
}

export const defaultMfccOptions: MfccOptions = {
  frameLengthMs: 25,
  framePeriodMs: 10,
  melBandCount: 40,
  minFrequencyHz: 20,
  maxFrequencyHz: 8000,
  coefficientCount: 20,
  preEmphasis: 0.97,
  energyFloor: 1e-14,
};

/** Hz → mel (HTK formula 2595·log10(1 + f/700)). */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

/** mel → Hz (inverse of hzToMel). */
export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/**
 * Triangular mel filterbank: `bandCount` rows of `fftSize/2+1` weights (peak 1, HTK shape) with
 * centres equally spaced in mel between `minHz` and `maxHz`.
 */
export function melFilterbank(sampleRate: number, fftSize: number, bandCount: number, minHz: number, maxHz: number): Float32Array[] {
  const binCount = fftSize / 2 + 1;
  const top = Math.min(maxHz, sampleRate / 2);
  const melLo = hzToMel(minHz);
  const melHi = hzToMel(top);
  const edgesHz: number[] = [];
  for (let b = 0; b < bandCount + 2; b++) edgesHz.push(melToHz(melLo + ((melHi - melLo) * b) / (bandCount + 1)));
  const bank: Float32Array[] = [];
  for (let b = 0; b < bandCount; b++) {
    const lo = edgesHz[b] as number;
    const mid = edgesHz[b + 1] as number;
    const hi = edgesHz[b + 2] as number;
    const row = new Float32Array(binCount);
    for (let k = 0; k < binCount; k++) {
      const f = (k * sampleRate) / fftSize;
      if (f > lo && f < hi) row[k] = f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
    }
    bank.push(row);
  }
  return bank;
}

/** Orthonormal DCT-II matrix: `outCount` rows × `inCount` columns. */
export function dctMatrix(outCount: number, inCount: number): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let k = 0; k < outCount; k++) {
    const row = new Float64Array(inCount);
    const scale = k === 0 ? Math.sqrt(1 / inCount) : Math.sqrt(2 / inCount);
    for (let n = 0; n < inCount; n++) row[n] = scale * Math.cos((Math.PI * k * (n + 0.5)) / inCount);
    rows.push(row);
  }
  return rows;
}

/** Resolved framing for a sample rate: frame and hop in samples and the FFT size used. */
export interface MfccFraming {
  frameSamples: number;
  hopSamples: number;
  fftSize: number;
}

/** Frame length, hop and FFT size (next power of two ≥ frame) in samples for `sampleRate`. */
export function mfccFraming(sampleRate: number, options: MfccOptions): MfccFraming {
  const frameSamples = Math.max(16, Math.round((options.frameLengthMs * sampleRate) / 1000));
  const hopSamples = Math.max(1, Math.round((options.framePeriodMs * sampleRate) / 1000));
  return { frameSamples, hopSamples, fftSize: nextPowerOfTwo(frameSamples) };
}

function validate(signal: Float32Array, sampleRate: number, opts: MfccOptions): void {
  if (!(signal instanceof Float32Array)) {
    throw new AutoVoiceError('quality.invalid_input', 'computeMfcc takes a Float32Array signal.');
  }
  if (!Number.isFinite(sampleRate) || sampleRate < 4000) {
    throw new AutoVoiceError('quality.invalid_input', `sampleRate must be at least 4000 Hz, got ${sampleRate}.`);
  }
  if (!(opts.frameLengthMs > 0) || !(opts.framePeriodMs > 0)) {
    throw new AutoVoiceError('quality.invalid_input', 'frameLengthMs and framePeriodMs must be positive (e.g. 25 and 10).');
  }
  if (!Number.isInteger(opts.melBandCount) || opts.melBandCount < 2) {
    throw new AutoVoiceError('quality.invalid_input', `melBandCount must be an integer >= 2 (e.g. 40), got ${opts.melBandCount}.`);
  }
  if (!Number.isInteger(opts.coefficientCount) || opts.coefficientCount < 1 || opts.coefficientCount > opts.melBandCount) {
    throw new AutoVoiceError(
      'quality.invalid_input',
      `coefficientCount must be an integer between 1 and melBandCount (${opts.melBandCount}), got ${opts.coefficientCount}.`,
    );
  }
  if (!(opts.maxFrequencyHz > opts.minFrequencyHz) || opts.minFrequencyHz < 0 || opts.minFrequencyHz >= sampleRate / 2) {
    throw new AutoVoiceError('quality.invalid_input', `Need 0 <= minFrequencyHz < maxFrequencyHz and minFrequencyHz below Nyquist (${sampleRate / 2} Hz).`);
  }
}

/** Log mel energies (natural log of band power) and per-frame log energy, for MFCC and activity detection. */
export interface LogMelSpectrogram {
  /** Frames × melBandCount, natural-log band power. */
  frames: Float32Array[];
  /** Per-frame total power in dB (10·log10 of the mean squared windowed sample), for activity detection. */
  frameEnergyDb: Float32Array;
  framePeriodMs: number;
}

/** Log mel spectrogram of `signal` (mono, `sampleRate` Hz) with the MFCC framing and filterbank. */
export function computeLogMelSpectrogram(signal: Float32Array, sampleRate: number, options: Partial<MfccOptions> = {}): LogMelSpectrogram {
  const opts: MfccOptions = { ...defaultMfccOptions, ...options };
  validate(signal, sampleRate, opts);
  const { frameSamples, hopSamples, fftSize } = mfccFraming(sampleRate, opts);
  const fft = getRealFft(fftSize);
  const win = makeWindow('hamming', frameSamples, false);
  const bank = melFilterbank(sampleRate, fftSize, opts.melBandCount, opts.minFrequencyHz, opts.maxFrequencyHz);
  const ranges = bank.map((row) => {
    let lo = 0;
    while (lo < row.length && row[lo] === 0) lo++;
    let hi = row.length - 1;
    while (hi > lo && row[hi] === 0) hi--;
    return [lo, hi] as const;
  });
  // Floor relative to a full-scale sine frame so silence gives finite, signal-independent values.
  let winEnergy = 0;
  for (let i = 0; i < frameSamples; i++) winEnergy += (win[i] as number) ** 2;
  const floor = opts.energyFloor * winEnergy * fftSize;
  const frameCount = Math.floor(signal.length / hopSamples) + 1;
  const half = Math.floor(frameSamples / 2);
  const frame = new Float64Array(fftSize);
  const power = new Float64Array(fft.binCount);
  const frames: Float32Array[] = [];
  const frameEnergyDb = new Float32Array(frameCount);
  const pre = opts.preEmphasis;
  for (let t = 0; t < frameCount; t++) {
    const start = t * hopSamples - half;
    let energy = 0;
    for (let i = 0; i < frameSamples; i++) {
      const j = start + i;
      const x = j >= 0 && j < signal.length ? (signal[j] as number) : 0;
      const xPrev = j - 1 >= 0 && j - 1 < signal.length ? (signal[j - 1] as number) : 0;
      const w = win[i] as number;
      frame[i] = (x - pre * xPrev) * w;
      energy += x * x * w * w;
    }
    frame.fill(0, frameSamples);
    frameEnergyDb[t] = 10 * Math.log10(energy / winEnergy + 1e-12);
    fft.powerSpectrum(frame, power);
    const bands = new Float32Array(opts.melBandCount);
    let maxBand = 0;
    for (let b = 0; b < opts.melBandCount; b++) {
      const row = bank[b] as Float32Array;
      const [lo, hi] = ranges[b] as readonly [number, number];
      let sum = 0;
      for (let k = lo; k <= hi; k++) sum += (row[k] as number) * (power[k] as number);
      bands[b] = sum;
      if (sum > maxBand) maxBand = sum;
    }
    // The floor also follows the frame's strongest band (−80 dB) so that a gain change leaves
    // c1.. untouched even where a band is near-empty.
    const frameFloor = Math.max(floor, 1e-8 * maxBand);
    for (let b = 0; b < opts.melBandCount; b++) bands[b] = Math.log((bands[b] as number) + frameFloor);
    frames.push(bands);
  }
  return { frames, frameEnergyDb, framePeriodMs: (hopSamples * 1000) / sampleRate };
}

/**
 * MFCCs of `signal` (mono, `sampleRate` Hz): one Float32Array of `coefficientCount` values (c0
 * first) per frame, frames every `framePeriodMs` (default 10 ms, 25 ms Hamming frames, 40 mel
 * bands 20..8000 Hz, 20 coefficients, pre-emphasis 0.97).
 */
export function computeMfcc(signal: Float32Array, sampleRate: number, options: Partial<MfccOptions> = {}): Float32Array[] {
  const opts: MfccOptions = { ...defaultMfccOptions, ...options };
  const logMel = computeLogMelSpectrogram(signal, sampleRate, opts);
  return logMelToMfcc(logMel.frames, opts.coefficientCount);
}

/** DCT-II (orthonormal) of each log-mel frame, keeping the first `coefficientCount` coefficients. */
export function logMelToMfcc(logMelFrames: readonly Float32Array[], coefficientCount: number): Float32Array[] {
  if (logMelFrames.length === 0) return [];
  const bandCount = (logMelFrames[0] as Float32Array).length;
  const dct = dctMatrix(coefficientCount, bandCount);
  return logMelFrames.map((bands) => {
    const c = new Float32Array(coefficientCount);
    for (let k = 0; k < coefficientCount; k++) {
      const row = dct[k] as Float64Array;
      let sum = 0;
      for (let n = 0; n < bandCount; n++) sum += (row[n] as number) * (bands[n] as number);
      c[k] = sum;
    }
    return c;
  });
}

/**
 * Indices of "active" frames: frame energy within `rangeDb` of the loudest frame (default 35 dB),
 * and above an absolute floor of −70 dBFS. Used to drop silence before comparing or modelling voices.
 */
export function activeFrameIndices(frameEnergyDb: Float32Array, rangeDb = 35, absoluteFloorDb = -70): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (const e of frameEnergyDb) if (e > max) max = e;
  const threshold = Math.max(max - rangeDb, absoluteFloorDb);
  const out: number[] = [];
  for (let t = 0; t < frameEnergyDb.length; t++) if ((frameEnergyDb[t] as number) >= threshold) out.push(t);
  return out;
}
