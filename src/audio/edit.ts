import { AutoVoiceError } from '../errors/index.js';
import type { RawAudio } from './raw-audio.js';

/** Which part of the audio to keep (seconds from the start). */
export interface TrimOptions {
  startSeconds: number;
  /** End of the kept part; Infinity keeps to the end. */
  endSeconds: number;
}

/** Fade shapes: 'linear' ramps amplitude; 'equal-power' ramps sin/cos so cross-fades keep their power. */
export type FadeCurve = 'linear' | 'equal-power';

/** Fade-in and fade-out lengths (seconds) and their shape. */
export interface FadeOptions {
  fadeInSeconds: number;
  fadeOutSeconds: number;
  curve: FadeCurve;
}

/** Defaults: no fades, linear. */
export const defaultFadeOptions: FadeOptions = { fadeInSeconds: 0, fadeOutSeconds: 0, curve: 'linear' };

/** Settings of silence detection. */
export interface SilenceOptions {
  /** A frame whose RMS is at or below this level (dBFS) is silent. */
  thresholdDbfs: number;
  /** Only silent stretches at least this long count (seconds). */
  minSilenceSeconds: number;
  /** Analysis frame length (ms). */
  frameMs: number;
}

/** Defaults: -50 dBFS RMS, 0.3 s, 10 ms frames. */
export const defaultSilenceOptions: SilenceOptions = { thresholdDbfs: -50, minSilenceSeconds: 0.3, frameMs: 10 };

/** A stretch of audio (seconds). */
export interface TimeRange {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** Keeps [startSeconds, endSeconds) of every channel (copied); the range is clamped to the audio. */
export function trimAudio(audio: RawAudio, options: Partial<TrimOptions>): RawAudio {
  const { startSeconds, endSeconds } = { startSeconds: 0, endSeconds: Infinity, ...options };
  if (!(startSeconds >= 0) || !(endSeconds >= startSeconds)) {
    throw new AutoVoiceError('usage.invalid_argument', `Trim needs 0 <= startSeconds <= endSeconds (got ${startSeconds}, ${endSeconds}).`);
  }
  const length = audio.channels[0]?.length ?? 0;
  const start = Math.min(length, Math.round(startSeconds * audio.sampleRate));
  const end = endSeconds === Infinity ? length : Math.min(length, Math.round(endSeconds * audio.sampleRate));
  return { channels: audio.channels.map((c) => c.slice(start, end)), sampleRate: audio.sampleRate };
}

/** Gain of a fade at position `t` in [0, 1] (0 = silent end, 1 = full level). */
export function fadeGain(t: number, curve: FadeCurve): number {
  const x = Math.min(1, Math.max(0, t));
  return curve === 'linear' ? x : Math.sin((x * Math.PI) / 2);
}

/** Applies a fade-in at the start and a fade-out at the end (returns new audio). */
export function applyFades(audio: RawAudio, options: Partial<FadeOptions>): RawAudio {
  const { fadeInSeconds, fadeOutSeconds, curve } = { ...defaultFadeOptions, ...options };
  if (!(fadeInSeconds >= 0) || !(fadeOutSeconds >= 0) || (curve !== 'linear' && curve !== 'equal-power')) {
    throw new AutoVoiceError('usage.invalid_argument', "Fades need non-negative lengths and curve 'linear' or 'equal-power'.");
  }
  const length = audio.channels[0]?.length ?? 0;
  const fadeIn = Math.min(length, Math.round(fadeInSeconds * audio.sampleRate));
  const fadeOut = Math.min(length, Math.round(fadeOutSeconds * audio.sampleRate));
  const channels = audio.channels.map((samples) => {
    const out = samples.slice();
    for (let i = 0; i < fadeIn; i++) out[i] = (out[i] as number) * fadeGain(i / fadeIn, curve);
    for (let i = 0; i < fadeOut; i++) {
      const index = length - 1 - i;
      out[index] = (out[index] as number) * fadeGain(i / fadeOut, curve);
    }
    return out;
  });
  return { channels, sampleRate: audio.sampleRate };
}

/** Finds the silent stretches of `audio` (all channels below the threshold), in time order. */
export function detectSilence(audio: RawAudio, options: Partial<SilenceOptions> = {}): TimeRange[] {
  const { thresholdDbfs, minSilenceSeconds, frameMs } = { ...defaultSilenceOptions, ...options };
  if (!(frameMs > 0) || !(minSilenceSeconds >= 0)) {
    throw new AutoVoiceError('usage.invalid_argument', 'Silence detection needs frameMs > 0 and minSilenceSeconds >= 0.');
  }
  const length = audio.channels[0]?.length ?? 0;
  const frame = Math.max(1, Math.round((frameMs / 1000) * audio.sampleRate));
  const thresholdPower = 10 ** (thresholdDbfs / 10);
  const ranges: TimeRange[] = [];
  let silentFrom = -1;
  const close = (endSample: number): void => {
    if (silentFrom >= 0 && (endSample - silentFrom) / audio.sampleRate >= minSilenceSeconds) {
      ranges.push({ startSeconds: silentFrom / audio.sampleRate, endSeconds: endSample / audio.sampleRate });
    }
    silentFrom = -1;
  };
  for (let start = 0; start < length; start += frame) {
    const end = Math.min(length, start + frame);
    let loudest = 0;
    for (const samples of audio.channels) {
      let sum = 0;
      for (let i = start; i < end; i++) sum += (samples[i] as number) ** 2;
      loudest = Math.max(loudest, sum / (end - start));
    }
    if (loudest <= thresholdPower) {
      if (silentFrom < 0) silentFrom = start;
    } else {
      close(start);
    }
  }
  close(length);
  return ranges;
}

/** Removes leading and trailing silence (as detectSilence defines it, any length). */
export function trimSilence(audio: RawAudio, options: Partial<Omit<SilenceOptions, 'minSilenceSeconds'>> = {}): RawAudio {
  const silences = detectSilence(audio, { ...options, minSilenceSeconds: 0 });
  const length = audio.channels[0]?.length ?? 0;
  const duration = length / audio.sampleRate;
  let startSeconds = 0;
  let endSeconds = duration;
  const first = silences[0];
  const last = silences[silences.length - 1];
  if (first && first.startSeconds === 0) startSeconds = first.endSeconds;
  if (last && last.endSeconds >= duration - 1e-9) endSeconds = Math.max(startSeconds, last.startSeconds);
  return trimAudio(audio, { startSeconds, endSeconds });
}
