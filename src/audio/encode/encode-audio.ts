import { AutoVoiceError } from '../../errors/index.js';
import type { RawAudio } from '../raw-audio.js';
import { validateSamples } from '../validate-samples.js';

/** Output encodings: 'wav' = 16-bit PCM WAV, 'wav-f32' = 32-bit float WAV, 'flac' = 16-bit FLAC, 'mp3' = LAME MP3. */
export type AudioEncoding = 'wav' | 'wav-f32' | 'flac' | 'mp3';

/** Every encoding, for validation and help texts. */
export const AUDIO_ENCODINGS: readonly AudioEncoding[] = ['wav', 'wav-f32', 'flac', 'mp3'];

/** Encoder settings (each encoder reads the ones that apply to it). */
export interface EncodeOptions {
  /** MP3 bit rate (kbit/s, constant bit rate). */
  mp3BitrateKbps: number;
  /** FLAC bits per sample (16 or 24). */
  flacBitDepth: 16 | 24;
}

/** Defaults: 320 kbit/s MP3 (lamejs loses level at lower rates: about -0.26 dB at 192, -0.45 dB at 128), 16-bit FLAC. */
export const defaultEncodeOptions: EncodeOptions = { mp3BitrateKbps: 320, flacBitDepth: 16 };

type Encoder = (audio: RawAudio, options: EncodeOptions) => Uint8Array | Promise<Uint8Array>;

/** Encoders by name, loaded on first use. */
const ENCODERS: Record<AudioEncoding, () => Promise<Encoder>> = {
  wav: async () => {
    const { encodeWav } = await import('./wav-encoder.js');
    return (audio) => encodeWav(audio, 'pcm16');
  },
  'wav-f32': async () => {
    const { encodeWav } = await import('./wav-encoder.js');
    return (audio) => encodeWav(audio, 'float32');
  },
  flac: async () => (await import('./flac-encoder.js')).encodeFlac,
  mp3: async () => (await import('./mp3-encoder.js')).encodeMp3,
};

/** True when `name` is one of the AudioEncoding names. */
export function isAudioEncoding(name: string): name is AudioEncoding {
  return (AUDIO_ENCODINGS as readonly string[]).includes(name);
}

/**
 * Encodes RawAudio to file bytes in `format`. Throws audio.unsupported_encoding for an unknown
 * format, audio.invalid_samples for NaN/Inf samples and usage.invalid_argument for an audio
 * object with no channels, unequal channel lengths or a bad sample rate.
 */
export async function encodeAudio(audio: RawAudio, format: AudioEncoding, options: Partial<EncodeOptions> = {}): Promise<Uint8Array> {
  if (!isAudioEncoding(format)) {
    throw new AutoVoiceError('audio.unsupported_encoding', `Cannot encode '${String(format)}'; choose one of ${AUDIO_ENCODINGS.join(', ')}.`);
  }
  const length = audio.channels[0]?.length;
  if (length === undefined || audio.channels.some((c) => c.length !== length)) {
    throw new AutoVoiceError('usage.invalid_argument', 'Audio to encode needs at least one channel, all of the same length.');
  }
  if (!Number.isInteger(audio.sampleRate) || audio.sampleRate < 1 || audio.sampleRate > 768_000) {
    throw new AutoVoiceError('usage.invalid_argument', `Cannot encode a sample rate of ${audio.sampleRate} Hz; use an integer from 1 to 768000.`);
  }
  // Output is ours to write as it is: refuse only what no format can hold.
  validateSamples(audio, { maxMagnitude: Infinity });
  const encode = await ENCODERS[format]();
  return encode(audio, { ...defaultEncodeOptions, ...options });
}
