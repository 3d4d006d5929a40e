import { kaiserWindow } from '../window.js';

/**
 * Pre-processing for pitch analysis: a high-pass that removes DC and rumble below the F0 range
 * (the normalised cross-correlation is not DC-invariant), and an integer-factor decimator that
 * brings the signal to a low analysis rate (~8 kHz) where the candidate search is cheap.
 */

/** Integer decimation factor bringing `sampleRate` (Hz) down to no less than `minRateHz`. */
export function pitchDecimationFactor(sampleRate: number, minRateHz: number): number {
  return Math.max(1, Math.floor(sampleRate / minRateHz));
}

/**
 * Second-order Butterworth high-pass at `cutoffHz` applied to `signal` (sampleRate Hz), written
 * into a new Float32Array. A biquad, because one pass at the full rate is the cheapest way to
 * remove DC offset and sub-F0 rumble.
 */
export function highPassForPitch(signal: Float32Array, sampleRate: number, cutoffHz: number): Float32Array {
  const out = new Float32Array(signal.length);
  const w0 = (2 * Math.PI * cutoffHz) / sampleRate;
  const cosW = Math.cos(w0);
  const alpha = Math.sin(w0) / Math.SQRT2; // Q = 1/sqrt(2): Butterworth
  const a0 = 1 + alpha;
  const b0 = (1 + cosW) / 2 / a0;
  const b1 = -(1 + cosW) / a0;
  const b2 = b0;
  const a1 = (-2 * cosW) / a0;
  const a2 = (1 - alpha) / a0;
  // Start the state as if the first sample had always been there, so a DC offset does not ring.
  let x1 = signal.length > 0 ? (signal[0] as number) : 0;
  let x2 = x1;
  let y1 = 0;
  let y2 = 0;
  for (let i = 0; i < signal.length; i++) {
    const x0 = signal[i] as number;
    const y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    out[i] = y0;
    x2 = x1;
    x1 = x0;
    y2 = y1;
    y1 = y0;
  }
  return out;
}

/**
 * Low-pass FIR (Kaiser-windowed sinc, ~45 dB stop band) and keep every `factor`-th sample:
 * output sample k corresponds to input sample k·factor (zero-phase, so frame times line up).
 * Cutoff is 0.42 of the output rate: content up to ~3.4 kHz at 8 kHz, ample for periodicity.
 */
export function decimateForPitch(signal: Float32Array, factor: number): Float32Array {
  if (factor <= 1) return signal;
  const outLength = Math.floor((signal.length - 1) / factor) + 1;
  const out = new Float32Array(outLength);
  const half = 6 * factor;
  const taps = makeLowPass(half, 0.42 / factor);
  const n = signal.length;
  for (let k = 0; k < outLength; k++) {
    const c = k * factor;
    let acc = (taps[half] as number) * (signal[c] as number);
    if (c - half >= 0 && c + half < n) {
      for (let t = 1; t <= half; t++) {
        acc += (taps[half + t] as number) * ((signal[c - t] as number) + (signal[c + t] as number));
      }
    } else {
      for (let t = 1; t <= half; t++) {
        const a = c - t >= 0 ? (signal[c - t] as number) : 0;
        const b = c + t < n ? (signal[c + t] as number) : 0;
        acc += (taps[half + t] as number) * (a + b);
      }
    }
    out[k] = acc;
  }
  return out;
}

/** Symmetric low-pass of 2·half+1 taps, cutoff in cycles per input sample, unit DC gain. */
function makeLowPass(half: number, cutoff: number): Float64Array {
  const length = 2 * half + 1;
  const window = kaiserWindow(length, 4.5);
  const taps = new Float64Array(length);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const m = i - half;
    const sinc = m === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
    taps[i] = sinc * (window[i] as number);
    sum += taps[i] as number;
  }
  for (let i = 0; i < length; i++) taps[i] = (taps[i] as number) / sum;
  return taps;
}
