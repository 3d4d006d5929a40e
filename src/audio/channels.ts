import { AutoVoiceError } from '../errors/index.js';
import type { RawAudio } from './raw-audio.js';

/** -3 dB: the gain ITU-R BS.775 gives centre and surround channels in a stereo down-mix. */
const MINUS_3_DB = Math.SQRT1_2;

/** Averages all channels into one (the mono fold-down; a mono input is returned as a copy). */
export function mixToMono(audio: RawAudio): Float32Array {
  const count = audio.channels.length;
  const length = audio.channels[0]?.length ?? 0;
  const out = new Float32Array(length);
  if (count === 0) return out;
  if (count === 1) {
    out.set(audio.channels[0] as Float32Array);
    return out;
  }
  const left = audio.channels[0] as Float32Array;
  const right = audio.channels[1] as Float32Array;
  if (count === 2) {
    for (let i = 0; i < length; i++) out[i] = 0.5 * ((left[i] as number) + (right[i] as number));
    return out;
  }
  for (const samples of audio.channels) for (let i = 0; i < length; i++) out[i] = (out[i] as number) + (samples[i] as number);
  const scale = 1 / count;
  for (let i = 0; i < length; i++) out[i] = (out[i] as number) * scale;
  return out;
}

/**
 * Re-maps `audio` to `channelCount` channels: to mono by averaging; from mono by copying to every
 * channel; 5.1 (L R C LFE Ls Rs) to stereo per ITU-R BS.775 (C and surrounds at -3 dB, LFE
 * dropped, then scaled so a full-scale input cannot clip); otherwise channel i folds into i mod
 * channelCount (averaged), and extra output channels beyond the input's stay silent.
 */
export function remixChannels(audio: RawAudio, channelCount: number): RawAudio {
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > 1024) {
    throw new AutoVoiceError('usage.invalid_argument', `channelCount must be an integer from 1 to 1024 (got ${channelCount}).`);
  }
  const source = audio.channels;
  const length = source[0]?.length ?? 0;
  if (source.length === channelCount) return audio;
  if (channelCount === 1) return { channels: [mixToMono(audio)], sampleRate: audio.sampleRate };
  if (source.length === 1) {
    const only = source[0] as Float32Array;
    return { channels: Array.from({ length: channelCount }, () => only.slice()), sampleRate: audio.sampleRate };
  }
  if (source.length === 6 && channelCount === 2) {
    const [l, r, c, , ls, rs] = source as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const scale = 1 / (1 + 2 * MINUS_3_DB);
    const outL = new Float32Array(length);
    const outR = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const centre = MINUS_3_DB * (c[i] as number);
      outL[i] = scale * ((l[i] as number) + centre + MINUS_3_DB * (ls[i] as number));
      outR[i] = scale * ((r[i] as number) + centre + MINUS_3_DB * (rs[i] as number));
    }
    return { channels: [outL, outR], sampleRate: audio.sampleRate };
  }
  const out = Array.from({ length: channelCount }, () => new Float32Array(length));
  const folds = new Array<number>(channelCount).fill(0);
  source.forEach((samples, i) => {
    const target = out[i % channelCount] as Float32Array;
    folds[i % channelCount] = (folds[i % channelCount] as number) + 1;
    for (let j = 0; j < length; j++) target[j] = (target[j] as number) + (samples[j] as number);
  });
  out.forEach((samples, i) => {
    const n = folds[i] as number;
    if (n > 1) for (let j = 0; j < length; j++) samples[j] = (samples[j] as number) / n;
  });
  return { channels: out, sampleRate: audio.sampleRate };
}
