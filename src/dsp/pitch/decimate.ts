import { filterInPlace, highPassBiquad } from '../biquad.js';
import { SlidingBuffer } from '../sliding-buffer.js';
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
 * remove DC offset and sub-F0 rumble. With `inPlace` the result overwrites `signal` (saves a copy).
 */
export function highPassForPitch(
  signal: Float32Array,
  sampleRate: number,
  cutoffHz: number,
  inPlace = false,
): Float32Array {
  const out = inPlace ? signal : Float32Array.from(signal);
  // Start the state as if the first sample had always been there, so a DC offset does not ring.
  filterInPlace(
    out,
    highPassBiquad(cutoffHz / sampleRate, Math.SQRT1_2),
    signal.length > 0 ? (signal[0] as number) : 0,
  );
  return out;
}

/**
 * Low-pass FIR (Kaiser-windowed sinc, ~45 dB stop band) and keep every `factor`-th sample:
 * output sample k corresponds to input sample k·factor (zero-phase, so frame times line up).
 * Cutoff is `cutoffFraction` of the output rate (default 0.42: content up to ~3.4 kHz at 8 kHz).
 * 8·factor+1 taps (~35 dB stop band): aliasing only disturbs the top of the band, and this
 * filter is about a sixth of the tracker's time.
 */
export function decimateForPitch(signal: Float32Array, factor: number, cutoffFraction = 0.42): Float32Array {
  if (factor <= 1) return signal;
  const n = signal.length;
  const outLength = Math.floor((n - 1) / factor) + 1;
  const out = new Float32Array(outLength);
  const half = 4 * factor;
  const h = makeLowPassHalf(half, cutoffFraction / factor); // h[t] = tap at ±t
  const h0 = h[0] as number;
  // Interior outputs need no bounds checks; the few at the edges treat outside samples as 0.
  const kFirst = Math.min(outLength, Math.ceil(half / factor));
  const kLast = Math.floor((n - 1 - half) / factor);
  // Two outputs per pass share each tap load (about a quarter faster than one at a time).
  let k = kFirst;
  for (; k + 1 <= kLast; k += 2) {
    const c = k * factor;
    const d = c + factor;
    let acc = h0 * (signal[c] as number);
    let acc2 = h0 * (signal[d] as number);
    for (let t = 1; t <= half; t++) {
      const tap = h[t] as number;
      acc += tap * ((signal[c - t] as number) + (signal[c + t] as number));
      acc2 += tap * ((signal[d - t] as number) + (signal[d + t] as number));
    }
    out[k] = acc;
    out[k + 1] = acc2;
  }
  for (; k <= kLast; k++) {
    const c = k * factor;
    let acc = h0 * (signal[c] as number);
    for (let t = 1; t <= half; t++)
      acc += (h[t] as number) * ((signal[c - t] as number) + (signal[c + t] as number));
    out[k] = acc;
  }
  for (let k = 0; k < outLength; k++) {
    if (k >= kFirst && k <= kLast) continue;
    const c = k * factor;
    let acc = h0 * (signal[c] as number);
    for (let t = 1; t <= half; t++) {
      const a = c - t >= 0 ? (signal[c - t] as number) : 0;
      const b = c + t < n ? (signal[c + t] as number) : 0;
      acc += (h[t] as number) * (a + b);
    }
    out[k] = acc;
  }
  return out;
}

/**
 * `decimateForPitch` over a stream: input arrives in pieces, and output sample k is emitted as
 * soon as the filter's reach (4·factor input samples past k·factor) has arrived — the same
 * filter and summation order, so the outputs equal the whole-signal decimation's bit for bit.
 * `finish` emits the rest, treating samples past the end as 0 as the batch function does.
 */
export class StreamingDecimator {
  readonly factor: number;
  private readonly half: number;
  private readonly taps: Float64Array;
  private readonly input = new SlidingBuffer((n) => new Float32Array(n));
  /** Outputs emitted so far. */
  private produced = 0;
  /** Reads absolute input sample i (made once: edge outputs go through it). */
  private readonly readInput = (i: number): number => this.input.at(i);

  constructor(factor: number, cutoffFraction = 0.42) {
    this.factor = Math.max(1, Math.round(factor));
    this.half = 4 * this.factor;
    this.taps = makeLowPassHalf(this.half, cutoffFraction / this.factor);
  }

  /** Input samples held (bounded: the filter's reach). */
  get storageSize(): number {
    return this.input.data.length;
  }

  /** Appends `chunk` and passes every output that became final to `emit`, in order. */
  push(chunk: ArrayLike<number>, emit: (sample: number) => void): void {
    if (this.factor === 1) {
      for (let i = 0; i < chunk.length; i++) emit(Math.fround(chunk[i] as number));
      this.produced += chunk.length;
      return;
    }
    this.input.append(chunk);
    this.emitUpTo(Math.floor((this.input.end - 1 - this.half) / this.factor) + 1, emit);
  }

  /** Emits the outputs left once the input has ended (a whole-signal decimation's length). */
  finish(emit: (sample: number) => void): void {
    if (this.factor === 1 || this.input.end === 0) return;
    this.emitUpTo(Math.floor((this.input.end - 1) / this.factor) + 1, emit);
  }

  /**
   * What `push(extra)` followed by `finish` would emit, without changing the state: the tail a
   * whole signal ending here would have (a stream's provisional view of its end).
   */
  peekFinish(extra: ArrayLike<number>, emit: (sample: number) => void): void {
    if (this.factor === 1) {
      for (let i = 0; i < extra.length; i++) emit(Math.fround(extra[i] as number));
      return;
    }
    const x = this.input;
    const end = x.end;
    const at = (i: number): number => (i < end ? x.at(i) : (extra[i - end] as number));
    const n = end + extra.length;
    const count = n === 0 ? 0 : Math.floor((n - 1) / this.factor) + 1;
    for (let k = this.produced; k < count; k++) emit(this.output(k, at, n));
  }

  private emitUpTo(count: number, emit: (sample: number) => void): void {
    const x = this.input;
    const data = x.data; // emit does not touch the input, so its storage stays put in this loop
    const h = this.taps;
    const h0 = h[0] as number;
    const half = this.half;
    for (; this.produced < count; this.produced++) {
      const c = this.produced * this.factor;
      if (c < half || c + half >= x.end) {
        emit(this.output(this.produced, this.readInput, x.end));
        continue;
      }
      // Interior output: read the storage directly (same taps and summation order as `output`).
      const j = c - x.start;
      let acc = h0 * (data[j] as number);
      for (let t = 1; t <= half; t++)
        acc += (h[t] as number) * ((data[j - t] as number) + (data[j + t] as number));
      emit(Math.fround(acc));
    }
    x.discardBefore(this.produced * this.factor - half);
  }

  /** Output k from input read by `at`, samples from `length` on (and before 0) being 0. */
  private output(k: number, at: (i: number) => number, length: number): number {
    const h = this.taps;
    const c = k * this.factor;
    let acc = (h[0] as number) * at(c);
    for (let t = 1; t <= this.half; t++) {
      const a = c - t >= 0 ? at(c - t) : 0;
      const b = c + t < length ? at(c + t) : 0;
      acc += (h[t] as number) * (a + b);
    }
    return Math.fround(acc);
  }
}

/**
 * Symmetric low-pass of 2·half+1 taps (cutoff in cycles per input sample, unit DC gain),
 * returned as its right half: element t is the tap at offsets ±t.
 */
function makeLowPassHalf(half: number, cutoff: number): Float64Array {
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
  const right = new Float64Array(half + 1);
  for (let t = 0; t <= half; t++) right[t] = (taps[half + t] as number) / sum;
  return right;
}
