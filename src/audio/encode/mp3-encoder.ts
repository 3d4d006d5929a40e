import { Mp3Encoder } from '@breezystack/lamejs';
import { AutoVoiceError } from '../../errors/index.js';
import { remixChannels } from '../channels.js';
import type { RawAudio } from '../raw-audio.js';
import { resampleAudio } from '../resample.js';
import type { EncodeOptions } from './encode-audio.js';

/** Sample rates MPEG-1/2/2.5 Layer III can carry (Hz). */
export const MP3_SAMPLE_RATES_HZ = [8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000] as const;
/** Constant bit rates LAME accepts (kbit/s). */
const MP3_BITRATES_KBPS = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
/** Samples per channel per encoder call (a multiple of the 1152-sample MP3 frame). */
const BLOCK_SAMPLES = 1152 * 16;

/** The lowest MP3 sample rate at or above `rateHz` (48 kHz for anything higher). */
export function mp3SampleRateFor(rateHz: number): number {
  return MP3_SAMPLE_RATES_HZ.find((r) => r >= rateHz) ?? 48000;
}

function toInt16(samples: Float32Array, start: number, end: number): Int16Array {
  const out = new Int16Array(end - start);
  for (let i = start; i < end; i++) {
    const v = Math.round((samples[i] as number) * 32768);
    out[i - start] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/**
 * Encodes MP3 (constant bit rate) with LAME (lamejs). Audio with more than two channels is mixed
 * to stereo; a sample rate MP3 cannot carry is resampled to the next one up (at most 48 kHz).
 * The decoded result starts after the encoder delay (about 1105 samples plus the decoder's 529),
 * since lamejs writes no gapless (LAME/Xing) tag.
 */
export function encodeMp3(audio: RawAudio, options: EncodeOptions): Uint8Array {
  if (!MP3_BITRATES_KBPS.includes(options.mp3BitrateKbps)) {
    throw new AutoVoiceError('usage.invalid_argument', `mp3BitrateKbps must be one of ${MP3_BITRATES_KBPS.join(', ')} (got ${options.mp3BitrateKbps}).`);
  }
  const rate = mp3SampleRateFor(audio.sampleRate);
  const prepared = resampleAudio(audio.channels.length > 2 ? remixChannels(audio, 2) : audio, rate);
  const channels = prepared.channels.length;
  const encoder = new Mp3Encoder(channels, rate, options.mp3BitrateKbps);
  const parts: Uint8Array[] = [];
  const length = prepared.channels[0]?.length ?? 0;
  const left = prepared.channels[0] as Float32Array;
  const right = prepared.channels[1];
  for (let start = 0; start < length; start += BLOCK_SAMPLES) {
    const end = Math.min(length, start + BLOCK_SAMPLES);
    const block = right
      ? encoder.encodeBuffer(toInt16(left, start, end), toInt16(right, start, end))
      : encoder.encodeBuffer(toInt16(left, start, end));
    if (block.length > 0) parts.push(block.slice());
  }
  parts.push(encoder.flush().slice());
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
