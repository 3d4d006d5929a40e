import { getRealFft } from './fft.js';
import { makeWindow, type WindowName } from './window.js';

/** Options of the short-time Fourier transform. */
export interface StftOptions {
  /** FFT length in samples (power of two). */
  fftSize: number;
  /** Hop between frames in samples. */
  hopSamples: number;
  /** Analysis window (periodic). */
  window: WindowName;
}

export const defaultStftOptions: StftOptions = { fftSize: 2048, hopSamples: 512, window: 'hann' };

/**
 * A complex spectrogram: frame-major arrays of `binCount = fftSize/2+1` bins. Frame t is
 * centred on sample t·hopSamples (the signal is zero-padded by fftSize/2 at both ends).
 */
export interface Spectrogram {
  readonly re: Float32Array[];
  readonly im: Float32Array[];
  readonly fftSize: number;
  readonly hopSamples: number;
  readonly binCount: number;
  /** Length of the signal analysed, in samples (istft restores exactly this length). */
  readonly signalLength: number;
  readonly window: WindowName;
}

/** Number of STFT frames for a signal of `lengthSamples` with centred frames. */
export function stftFrameCount(lengthSamples: number, hopSamples: number): number {
  return Math.floor(lengthSamples / hopSamples) + 1;
}

/** Short-time Fourier transform of `signal` with centred, zero-padded frames. */
export function stft(signal: Float32Array, options: Partial<StftOptions> = {}): Spectrogram {
  const opts: StftOptions = { ...defaultStftOptions, ...options };
  const { fftSize, hopSamples } = opts;
  const fft = getRealFft(fftSize);
  const win = makeWindow(opts.window, fftSize);
  const frames = stftFrameCount(signal.length, hopSamples);
  const half = fftSize / 2;
  const frame = new Float64Array(fftSize);
  const outRe = new Float64Array(fft.binCount);
  const outIm = new Float64Array(fft.binCount);
  const re: Float32Array[] = [];
  const im: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    const start = t * hopSamples - half;
    for (let i = 0; i < fftSize; i++) {
      const j = start + i;
      frame[i] = j >= 0 && j < signal.length ? (signal[j] as number) * (win[i] as number) : 0;
    }
    fft.forward(frame, outRe, outIm);
    re.push(Float32Array.from(outRe));
    im.push(Float32Array.from(outIm));
  }
  return { re, im, fftSize, hopSamples, binCount: fft.binCount, signalLength: signal.length, window: opts.window };
}

/**
 * Inverse STFT by weighted overlap-add (least-squares, Griffin–Lim normalisation), so
 * istft(stft(x)) = x up to float error and any masked spectrogram resynthesises consistently.
 */
export function istft(spec: Spectrogram): Float32Array {
  const { fftSize, hopSamples, signalLength } = spec;
  const fft = getRealFft(fftSize);
  const win = makeWindow(spec.window, fftSize);
  const half = fftSize / 2;
  const out = new Float64Array(signalLength + fftSize);
  const norm = new Float64Array(signalLength + fftSize);
  const frame = new Float64Array(fftSize);
  for (let t = 0; t < spec.re.length; t++) {
    fft.inverse(spec.re[t] as Float32Array, spec.im[t] as Float32Array, frame);
    const start = t * hopSamples; // position in the padded buffer
    for (let i = 0; i < fftSize; i++) {
      const w = win[i] as number;
      out[start + i] = (out[start + i] as number) + (frame[i] as number) * w;
      norm[start + i] = (norm[start + i] as number) + w * w;
    }
  }
  const result = new Float32Array(signalLength);
  for (let n = 0; n < signalLength; n++) {
    const d = norm[n + half] as number;
    result[n] = d > 1e-10 ? (out[n + half] as number) / d : 0;
  }
  return result;
}
