import { BUTTERWORTH4_Q, filterInPlace, highPassBiquad } from '../biquad.js';

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
 * Butterworth high-pass) over a `windowMs` window centred on each of `frameCount` frames
 * (frame i at i·framePeriodMs). The signal is not modified.
 */
export function voiceBandFrameLevels(
  signal: Float32Array,
  rate: number,
  frameCount: number,
  framePeriodMs: number,
  windowMs: number,
): Float32Array {
  const filtered = signal.slice();
  for (const q of BUTTERWORTH4_Q) filterInPlace(filtered, highPassBiquad(VOICE_BAND_FLOOR_HZ / rate, q));
  const window = Math.max(2, Math.round((windowMs * rate) / 1000));
  const levels = new Float32Array(frameCount);
  for (let t = 0; t < frameCount; t++) {
    const first = Math.round((t * framePeriodMs * rate) / 1000) - (window >> 1);
    const from = Math.min(filtered.length, Math.max(0, first));
    const to = Math.min(filtered.length, Math.max(0, first + window));
    let sum = 0;
    for (let i = from; i < to; i++) sum += (filtered[i] as number) * (filtered[i] as number);
    levels[t] = sum / window;
  }
  return levels;
}
