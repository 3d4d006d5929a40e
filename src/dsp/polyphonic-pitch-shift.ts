/**
 * Polyphonic pitch shifting in the frequency domain (Laroche & Dolson, "New phase-vocoder
 * techniques for real-time pitch shifting, chorusing, harmonizing and other exotic audio
 * modifications", JAES 1999). Each frame's spectral peaks are moved, with the region of bins
 * around each peak (down to the valleys either side), to the peak's frequency times the shift
 * ratio; each moved peak's phase advances at its shifted instantaneous frequency, and the bins of
 * its region keep their phase offsets to the peak ("identity phase locking"), which keeps the
 * window's shape and avoids the smeared, phasey sound of a plain phase vocoder. Duration is
 * unchanged, no resampling is needed, and chords shift as a whole — used to transpose a song's
 * accompaniment. Frames are processed one at a time, so memory is the output plus one frame.
 */
import { getRealFft } from './fft.js';
import { makeWindow } from './window.js';

/** Options of the polyphonic pitch shifter. */
export interface PolyphonicPitchShiftOptions {
  /** Analysis window, samples (power of two). 0 = about 93 ms at the signal's rate. */
  fftSize: number;
  /** Frames per window (hop = fftSize / overlapFactor). */
  overlapFactor: number;
}

export const defaultPolyphonicPitchShiftOptions: PolyphonicPitchShiftOptions = {
  fftSize: 0,
  overlapFactor: 4,
};

const TWO_PI = 2 * Math.PI;
const princarg = (phase: number): number => phase - TWO_PI * Math.round(phase / TWO_PI);

/**
 * `signal` (at `sampleRate` Hz) shifted by `semitones` (positive = up), same length.
 * 0 semitones returns a copy.
 */
export function shiftPitchPolyphonic(
  signal: Float32Array,
  sampleRate: number,
  semitones: number,
  options: Partial<PolyphonicPitchShiftOptions> = {},
): Float32Array {
  if (semitones === 0 || signal.length === 0) return signal.slice();
  const opts: PolyphonicPitchShiftOptions = { ...defaultPolyphonicPitchShiftOptions, ...options };
  let N = opts.fftSize;
  if (N <= 0) {
    N = 1024;
    while (N < 0.093 * sampleRate) N *= 2;
  }
  const H = N / opts.overlapFactor;
  const ratio = 2 ** (semitones / 12);
  const fft = getRealFft(N);
  const bins = fft.binCount;
  const win = makeWindow('hann', N);
  // Weighted-OLA normalisation for analysis+synthesis Hann at this overlap.
  let wsum = 0;
  for (let i = 0; i < N; i++) wsum += (win[i] as number) ** 2;
  const olaGain = H / wsum;

  const frame = new Float64Array(N);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const mag = new Float64Array(bins);
  const phase = new Float64Array(bins);
  const prevPhase = new Float64Array(bins);
  const synthPhasePrev = new Float64Array(bins);
  const synthPhase = new Float64Array(bins);
  const outRe = new Float64Array(bins);
  const outIm = new Float64Array(bins);
  const timeOut = new Float64Array(N);
  const peaks: number[] = [];
  const half = N / 2;
  const out = new Float64Array(signal.length + N);
  const frames = Math.floor(signal.length / H) + 1;
  for (let t = 0; t < frames; t++) {
    const start = t * H - half;
    for (let i = 0; i < N; i++) {
      const j = start + i;
      frame[i] = j >= 0 && j < signal.length ? (signal[j] as number) * (win[i] as number) : 0;
    }
    fft.forward(frame, re, im);
    for (let k = 0; k < bins; k++) {
      mag[k] = Math.hypot(re[k] as number, im[k] as number);
      phase[k] = Math.atan2(im[k] as number, re[k] as number);
    }
    peaks.length = 0;
    for (let k = 1; k < bins - 1; k++)
      if (
        (mag[k] as number) > (mag[k - 1] as number) &&
        (mag[k] as number) >= (mag[k + 1] as number) &&
        (mag[k] as number) > 1e-9
      )
        peaks.push(k);
    outRe.fill(0);
    outIm.fill(0);
    synthPhase.fill(0);
    for (let p = 0; p < peaks.length; p++) {
      const k = peaks[p] as number;
      // Region of the peak: from the valley (midpoint to the neighbour peak) below to the one above.
      const lo = p === 0 ? 0 : Math.floor(((peaks[p - 1] as number) + k) / 2) + 1;
      const hi = p === peaks.length - 1 ? bins - 1 : Math.floor((k + (peaks[p + 1] as number)) / 2);
      const expected = (TWO_PI * k * H) / N;
      const omega =
        k + (princarg((phase[k] as number) - (prevPhase[k] as number) - expected) * N) / (TWO_PI * H);
      const target = Math.round(omega * ratio);
      const shift = target - k;
      if (target <= 0 || target >= bins - 1) continue;
      const peakPhase = (synthPhasePrev[target] as number) + (TWO_PI * omega * ratio * H) / N;
      for (let b = lo; b <= hi; b++) {
        const dest = b + shift;
        if (dest <= 0 || dest >= bins - 1) continue;
        const ph = peakPhase + (phase[b] as number) - (phase[k] as number);
        outRe[dest] = (outRe[dest] as number) + (mag[b] as number) * Math.cos(ph);
        outIm[dest] = (outIm[dest] as number) + (mag[b] as number) * Math.sin(ph);
        synthPhase[dest] = ph;
      }
    }
    prevPhase.set(phase);
    synthPhasePrev.set(synthPhase);
    fft.inverse(outRe, outIm, timeOut);
    const pos = t * H;
    for (let i = 0; i < N; i++)
      out[pos + i] = (out[pos + i] as number) + (timeOut[i] as number) * (win[i] as number) * olaGain;
  }
  const result = new Float32Array(signal.length);
  for (let n = 0; n < signal.length; n++) result[n] = out[n + half] as number;
  return result;
}
