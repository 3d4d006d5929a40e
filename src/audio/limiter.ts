import { AutoVoiceError } from '../errors/index.js';
import { dbToAmplitude, measureIntegratedLoudness } from './loudness.js';
import type { RawAudio } from './raw-audio.js';
import { truePeakEnvelope } from './true-peak.js';

/** Settings of the true-peak limiter. */
export interface LimiterOptions {
  /** Highest true peak allowed in the output (dBTP). */
  ceilingDbtp: number;
  /** Look-ahead = attack time (ms): the gain starts falling this long before a peak. */
  lookAheadMs: number;
  /** Release time constant (ms) of the exponential return to unity gain. */
  releaseMs: number;
}

/** Defaults: -1 dBTP ceiling (EBU R128), 5 ms look-ahead, 50 ms release. */
export const defaultLimiterOptions: LimiterOptions = { ceilingDbtp: -1, lookAheadMs: 5, releaseMs: 50 };

/** Loudness normalisation target. */
export interface NormalizeLoudnessOptions {
  /** Integrated loudness to reach (LUFS). */
  targetLufs: number;
  /** True-peak ceiling the limiter enforces after the gain (dBTP). */
  truePeakCeilingDbtp: number;
}

/** Loudest integrated loudness normalizeLoudness aims for (LUFS); the quietest is -70, BS.1770's gate. */
export const MAX_TARGET_LUFS = 0;

/** Defaults: EBU R128 broadcast, -23 LUFS with a -1 dBTP ceiling. */
export const defaultNormalizeLoudnessOptions: NormalizeLoudnessOptions = { targetLufs: -23, truePeakCeilingDbtp: -1 };

/** Gain per sample that keeps the true-peak envelope under `ceiling`: look-ahead min, release, then box smoothing. */
function limiterGain(envelope: Float32Array, ceiling: number, lookAhead: number, releaseCoefficient: number): Float32Array {
  const n = envelope.length;
  const required = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const peak = envelope[i] as number;
    required[i] = peak > ceiling ? ceiling / peak : 1;
  }
  // m[k] = min(required[k .. k+L-1]) for k = -(L-1) .. n-1 (a monotonic deque), with an
  // exponential release; held[k + L - 1] stores it.
  const held = new Float32Array(n + lookAhead - 1);
  const deque = new Int32Array(n);
  let head = 0;
  let tail = 0;
  let next = 0;
  let released = 1;
  for (let k = -(lookAhead - 1); k < n; k++) {
    const last = Math.min(n - 1, k + lookAhead - 1);
    for (; next <= last; next++) {
      while (tail > head && (required[deque[tail - 1] as number] as number) >= (required[next] as number)) tail--;
      deque[tail++] = next;
    }
    while (head < tail && (deque[head] as number) < k) head++;
    const windowMin = head < tail ? (required[deque[head] as number] as number) : 1;
    released = Math.min(windowMin, 1 - (1 - released) * releaseCoefficient);
    held[k + lookAhead - 1] = released;
  }
  // Box filter of length L: G[i] = mean(m[i-L+1 .. i]) <= required[i], since each of those
  // windows contains i. It turns the gain steps into ramps, so the limiter makes no clicks.
  const gain = new Float32Array(n);
  let sum = 0;
  for (let j = 0; j < lookAhead - 1; j++) sum += held[j] as number;
  for (let i = 0; i < n; i++) {
    sum += held[i + lookAhead - 1] as number;
    gain[i] = sum / lookAhead;
    sum -= held[i] as number;
  }
  return gain;
}

/**
 * Keeps the true peak of `audio` at or below `ceilingDbtp` with a look-ahead limiter: one gain
 * for all channels (so the stereo image stays put), smooth attack over the look-ahead, exponential
 * release. Audio already under the ceiling is returned unchanged.
 */
export function limitPeaks(audio: RawAudio, options: Partial<LimiterOptions> = {}): RawAudio {
  const opts: LimiterOptions = { ...defaultLimiterOptions, ...options };
  if (!Number.isFinite(opts.ceilingDbtp) || opts.ceilingDbtp > 0 || opts.lookAheadMs <= 0 || opts.releaseMs <= 0) {
    throw new AutoVoiceError('usage.invalid_argument', 'ceilingDbtp must be <= 0 dBTP and lookAheadMs, releaseMs > 0.', { ...opts });
  }
  const length = audio.channels[0]?.length ?? 0;
  const lookAhead = Math.max(1, Math.round((opts.lookAheadMs / 1000) * audio.sampleRate));
  const releaseCoefficient = Math.exp(-1 / ((opts.releaseMs / 1000) * audio.sampleRate));
  // Aim 0.05 dB under the ceiling: the gain itself reshapes the waveform slightly between samples.
  const ceiling = dbToAmplitude(opts.ceilingDbtp - 0.05);
  let current = audio;
  for (let pass = 0; pass < 3; pass++) {
    const envelope = new Float32Array(length);
    for (const samples of current.channels) truePeakEnvelope(samples, current.sampleRate, envelope);
    let peak = 0;
    for (let i = 0; i < length; i++) if ((envelope[i] as number) > peak) peak = envelope[i] as number;
    if (peak <= dbToAmplitude(opts.ceilingDbtp)) return current;
    const gain = limiterGain(envelope, ceiling, lookAhead, releaseCoefficient);
    current = {
      channels: current.channels.map((samples) => samples.map((v, i) => v * (gain[i] as number))),
      sampleRate: current.sampleRate,
    };
  }
  return current;
}

/** Multiplies every sample by the linear gain for `gainDb`. */
export function applyGainDb(audio: RawAudio, gainDb: number): RawAudio {
  const gain = dbToAmplitude(gainDb);
  return { channels: audio.channels.map((samples) => samples.map((v) => v * gain)), sampleRate: audio.sampleRate };
}

/**
 * Brings `audio` to `targetLufs` integrated loudness with one gain, then limits true peaks to
 * `truePeakCeilingDbtp`. Silence (integrated loudness -Infinity) is returned unchanged. The
 * limiter may leave the result slightly under the target when it has to work hard.
 */
export function normalizeLoudness(audio: RawAudio, options: Partial<NormalizeLoudnessOptions> = {}): RawAudio {
  const opts: NormalizeLoudnessOptions = { ...defaultNormalizeLoudnessOptions, ...options };
  if (!Number.isFinite(opts.targetLufs) || opts.targetLufs > MAX_TARGET_LUFS || opts.targetLufs < -70) {
    throw new AutoVoiceError('usage.invalid_argument', `targetLufs must be between -70 and 0 LUFS (got ${opts.targetLufs}); -23 (EBU R128) or -16 (podcasts) are common.`);
  }
  const integratedLufs = measureIntegratedLoudness(audio);
  if (integratedLufs === -Infinity) return audio;
  const gained = applyGainDb(audio, opts.targetLufs - integratedLufs);
  return limitPeaks(gained, { ceilingDbtp: opts.truePeakCeilingDbtp });
}
