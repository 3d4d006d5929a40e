import { besselI0 } from '../dsp/window.js';
import { polyphaseKernel, runPolyphaseBlocks, type PolyphaseTable } from './resample-kernel.js';

/**
 * True-peak estimation per ITU-R BS.1770-4 Annex 2: oversample 4x (2x at 96 kHz and above,
 * none at 192 kHz and above) with a polyphase interpolating FIR and take the largest magnitude.
 * Our interpolator: 4 phases of a 32-tap Kaiser-windowed sinc (beta 7), cutoff at the input's
 * Nyquist; phase 0 is the original sample itself.
 */

const TAPS_PER_PHASE = 32;
const KAISER_BETA = 7;

/** Oversampling factor BS.1770-4 asks for at `sampleRate` Hz. */
export function truePeakOversampling(sampleRate: number): number {
  return sampleRate >= 192000 ? 1 : sampleRate >= 96000 ? 2 : 4;
}

const tableCache = new Map<number, Float32Array>();

/** Coefficients for phases 1..factor-1 (row p = fractional delay p/factor). */
function interpolationTable(factor: number): Float32Array {
  const cached = tableCache.get(factor);
  if (cached) return cached;
  const half = TAPS_PER_PHASE / 2;
  const table = new Float32Array((factor - 1) * TAPS_PER_PHASE);
  const norm = 1 / besselI0(KAISER_BETA);
  for (let p = 1; p < factor; p++) {
    const frac = p / factor;
    for (let k = 0; k < TAPS_PER_PHASE; k++) {
      const tau = frac - (k - half + 1); // tap k multiplies x[n + k - half + 1]
      const x = tau / half;
      const w = Math.abs(x) < 1 ? besselI0(KAISER_BETA * Math.sqrt(1 - x * x)) * norm : 0;
      table[(p - 1) * TAPS_PER_PHASE + k] = (Math.sin(Math.PI * tau) / (Math.PI * tau)) * w;
    }
  }
  tableCache.set(factor, table);
  return table;
}

const kernelTableCache = new Map<number, PolyphaseTable>();

/** All `factor` phases (row 0 = the sample itself) in the kernel's layout. */
function kernelTable(factor: number): PolyphaseTable {
  const cached = kernelTableCache.get(factor);
  if (cached) return cached;
  const half = TAPS_PER_PHASE / 2;
  const table = new Float32Array(factor * TAPS_PER_PHASE);
  table[half - 1] = 1;
  table.set(interpolationTable(factor), TAPS_PER_PHASE);
  const result = { taps: TAPS_PER_PHASE, halfTaps: half, table };
  kernelTableCache.set(factor, result);
  return result;
}

/**
 * Per-sample true-peak envelope of one channel: out[n] = max |x| over the original sample n and
 * the interpolated points between n and n+1. Pass `into` to fold several channels (max).
 */
export function truePeakEnvelope(samples: Float32Array, sampleRate: number, into?: Float32Array): Float32Array {
  const n = samples.length;
  const out = into ?? new Float32Array(n);
  const factor = truePeakOversampling(sampleRate);
  const kernel = polyphaseKernel();
  if (kernel) {
    // Oversample block-wise in the SIMD kernel; output j is at input position j / factor.
    runPolyphaseBlocks(kernel, samples, kernelTable(factor), n * factor, factor, 1, (first, block) => {
      for (let j = 0; j < block.length; j++) {
        const magnitude = Math.abs(block[j] as number);
        const i = ((first + j) / factor) | 0;
        if (magnitude > (out[i] as number)) out[i] = magnitude;
      }
    });
    return out;
  }
  const half = TAPS_PER_PHASE / 2;
  const padded = new Float32Array(n + TAPS_PER_PHASE + 1);
  padded.set(samples, half - 1);
  const table = interpolationTable(factor);
  for (let i = 0; i < n; i++) {
    let peak = Math.abs(samples[i] as number);
    for (let p = 0; p < factor - 1; p++) {
      const row = p * TAPS_PER_PHASE;
      let acc = 0;
      for (let k = 0; k < TAPS_PER_PHASE; k++) acc += (padded[i + k] as number) * (table[row + k] as number);
      const magnitude = Math.abs(acc);
      if (magnitude > peak) peak = magnitude;
    }
    if (peak > (out[i] as number)) out[i] = peak;
  }
  return out;
}

/** Largest true-peak magnitude (linear) over all channels. */
export function truePeakLinear(channels: readonly Float32Array[], sampleRate: number): number {
  let peak = 0;
  for (const samples of channels) {
    const envelope = truePeakEnvelope(samples, sampleRate);
    for (let i = 0; i < envelope.length; i++) if ((envelope[i] as number) > peak) peak = envelope[i] as number;
  }
  return peak;
}
