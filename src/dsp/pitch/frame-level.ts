import { BUTTERWORTH4_Q, BiquadCascade, highPassBiquad } from '../biquad.js';
import { SlidingBuffer } from '../sliding-buffer.js';

/**
 * Per-frame level for the tracker's silence gate, measured above `VOICE_BAND_FLOOR_HZ`. Mains
 * hum and room rumble sit below it, often 20-35 dB above a quiet voice in a home recording
 * (vocadito); measured with them, the gate passed faint passages on the strength of the rumble,
 * and a resynthesis — which renders no sound below a voiced frame's F0 — lost those frames.
 * Every voice in the F0 range keeps most of its power above the floor (a 50 Hz voice's
 * harmonics from the second up), so the gate now answers "is there voice-band sound here".
 */
export const VOICE_BAND_FLOOR_HZ = 80;

/**
 * Mean-square level of `signal` (sampled at `rate` Hz) above `VOICE_BAND_FLOOR_HZ` (4th-order
 * Butterworth high-pass, from rest) over a `windowMs` window centred on each of `frameCount`
 * frames (frame i at i·framePeriodMs); window samples outside the signal count as silence.
 * One pass, filtering on the fly into a running sum: no filtered copy of the signal is held.
 */
export function voiceBandFrameLevels(
  signal: Float32Array,
  rate: number,
  frameCount: number,
  framePeriodMs: number,
  windowMs: number,
): Float32Array {
  const filter = new BiquadCascade(BUTTERWORTH4_Q.map((q) => highPassBiquad(VOICE_BAND_FLOOR_HZ / rate, q)));
  const window = Math.max(2, Math.round((windowMs * rate) / 1000));
  // Squared outputs of the samples now in the window (at most `window` of them), by index mod window.
  const squares = new Float64Array(window);
  const levels = new Float32Array(frameCount);
  let sum = 0;
  let lo = 0; // first sample in the running sum
  let hi = 0; // next sample to filter
  for (let t = 0; t < frameCount; t++) {
    const first = Math.round((t * framePeriodMs * rate) / 1000) - (window >> 1);
    const from = Math.min(signal.length, Math.max(0, first));
    const to = Math.min(signal.length, Math.max(0, first + window));
    for (; lo < from && lo < hi; lo++) sum -= squares[lo % window] as number;
    for (; hi < from; hi++) filter.next(signal[hi] as number); // a jump past samples never summed
    lo = Math.max(lo, from);
    for (; hi < to; hi++) {
      const y = filter.next(signal[hi] as number);
      squares[hi % window] = y * y;
      sum += y * y;
    }
    levels[t] = Math.max(0, sum) / window;
  }
  return levels;
}

/**
 * `voiceBandFrameLevels` over a stream: samples arrive in pieces, are filtered once, and a
 * frame's level is read from a running sum of squares whenever it is asked for. Samples not yet
 * received count as silence, as samples past the end of a whole signal do.
 */
export class StreamingVoiceBandLevels {
  private readonly filter: BiquadCascade;
  private readonly rate: number;
  private readonly framePeriodMs: number;
  private readonly window: number;
  /** Value i: Σ of squared filtered samples j < i. */
  private readonly squares = new SlidingBuffer((n) => new Float64Array(n));

  constructor(rate: number, framePeriodMs: number, windowMs: number) {
    this.filter = new BiquadCascade(BUTTERWORTH4_Q.map((q) => highPassBiquad(VOICE_BAND_FLOOR_HZ / rate, q)));
    this.rate = rate;
    this.framePeriodMs = framePeriodMs;
    this.window = Math.max(2, Math.round((windowMs * rate) / 1000));
    this.squares.push(0);
  }

  /** Filters and appends samples (at `rate` Hz). */
  append(chunk: ArrayLike<number>): void {
    let sum = this.squares.at(this.squares.end - 1);
    for (let i = 0; i < chunk.length; i++) {
      const y = this.filter.next(chunk[i] as number);
      sum += y * y;
      this.squares.push(sum);
    }
  }

  /** Samples received so far. */
  get received(): number {
    return this.squares.end - 1;
  }

  /** Values held (running sums of the frames still to be read). */
  get storageSize(): number {
    return this.squares.data.length;
  }

  /** A mark to return to with `rollback` (undoing provisional samples). */
  checkpoint(): { readonly received: number; readonly filter: Float64Array } {
    return { received: this.received, filter: this.filter.saveState() };
  }

  rollback(mark: { readonly received: number; readonly filter: Float64Array }): void {
    this.squares.truncate(mark.received + 1);
    this.filter.restoreState(mark.filter);
  }

  /** Mean-square level of frame `frame` from what has been received. */
  level(frame: number): number {
    const received = this.squares.end - 1;
    const first = this.firstSample(frame);
    const from = Math.min(received, Math.max(0, first));
    const to = Math.min(received, Math.max(0, first + this.window));
    return Math.max(0, this.squares.at(to) - this.squares.at(from)) / this.window;
  }

  /** Whether frame `frame`'s level is final. */
  isComplete(frame: number): boolean {
    return this.squares.end - 1 >= this.firstSample(frame) + this.window;
  }

  /** Releases what frames before `frame` alone needed (amortised). */
  discardBefore(frame: number): void {
    this.squares.discardBefore(Math.max(0, this.firstSample(frame)));
  }

  private firstSample(frame: number): number {
    return Math.round((frame * this.framePeriodMs * this.rate) / 1000) - (this.window >> 1);
  }
}
