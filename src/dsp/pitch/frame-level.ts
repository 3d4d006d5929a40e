import { BUTTERWORTH4_Q, BiquadCascade, highPassBiquad } from '../biquad.js';

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
