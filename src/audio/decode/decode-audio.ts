import { AutoVoiceError, isAutoVoiceError } from '../../errors/index.js';
import { defaultDecodeOptions, type AudioContainer, type DecodeOptions, type DecodedAudio } from '../audio-info.js';
import { validateSamples } from '../validate-samples.js';
import { DecodeBudget } from './decode-budget.js';
import { detectAudioFormat, type DetectedFormat } from './detect-format.js';

/** A decoder for one container: bytes in, planar floats out, within the budget. */
export type ContainerDecoder = (bytes: Uint8Array, budget: DecodeBudget, detected: DetectedFormat) => Promise<DecodedAudio> | DecodedAudio;

/**
 * Decoders by container, each loaded on first use (the wasm decoders cost start-up time and
 * the AAC decoder is GPL-2 FAAD2 — it is loaded only when an AAC stream arrives).
 */
const DECODERS: Record<AudioContainer, () => Promise<ContainerDecoder>> = {
  wav: async () => (await import('./wav-decoder.js')).decodeWav,
  mp3: async () => (await import('./mp3-decoder.js')).decodeMp3,
  flac: async () => (await import('./flac-decoder.js')).decodeFlac,
  ogg: async () => (await import('./ogg-decoder.js')).decodeOgg,
  m4a: async () => (await import('./aac-decoder.js')).decodeAac,
  aac: async () => (await import('./aac-decoder.js')).decodeAac,
};

function checkOptions(options: DecodeOptions): void {
  for (const [name, value] of Object.entries(options)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new AutoVoiceError('usage.invalid_argument', `Decode option ${name} must be a positive number (got ${String(value)}).`, {
        option: name,
      });
    }
  }
}

/**
 * Decodes an audio file held in memory. The format comes from the content, never a file
 * name. Every failure is an AutoVoiceError: audio.empty, audio.too_large, audio.unsupported_format,
 * audio.corrupt, audio.invalid_header, audio.no_samples, audio.too_long, audio.invalid_samples,
 * audio.decode_timeout. Silence decodes fine (see assertAudible).
 */
export async function decodeAudio(bytes: Uint8Array, options: Partial<DecodeOptions> = {}): Promise<DecodedAudio> {
  const opts: DecodeOptions = { ...defaultDecodeOptions, ...options };
  checkOptions(opts);
  if (bytes.length === 0) throw new AutoVoiceError('audio.empty', 'The audio input is empty (0 bytes); pass a WAV, MP3, FLAC, Ogg or M4A file.');
  if (bytes.length > opts.maxBytes) {
    throw new AutoVoiceError('audio.too_large', `The input is ${bytes.length} bytes; the limit is ${opts.maxBytes} bytes (maxBytes).`, {
      bytes: bytes.length,
      maxBytes: opts.maxBytes,
    });
  }
  const detected = detectAudioFormat(bytes);
  if (detected.container === undefined) {
    throw new AutoVoiceError(
      'audio.unsupported_format',
      `Not a supported audio file (${detected.description}); AutoVoice reads WAV, MP3, FLAC, Ogg Vorbis, Ogg Opus and M4A/AAC.`,
    );
  }
  const budget = new DecodeBudget(opts);
  let decoded: DecodedAudio;
  try {
    const decode = await DECODERS[detected.container]();
    decoded = await decode(bytes, budget, detected);
  } catch (error) {
    if (isAutoVoiceError(error)) throw error;
    if (error instanceof RangeError && /allocation|memory|Array buffer/i.test(error.message)) {
      throw new AutoVoiceError('audio.too_large', `Decoding ran out of memory: ${error.message}`, undefined, { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new AutoVoiceError('audio.corrupt', `The ${detected.description} data cannot be decoded: ${message}`, undefined, { cause: error });
  }
  if (decoded.info.durationSeconds === 0) {
    throw new AutoVoiceError('audio.no_samples', `The ${detected.description} file decodes to zero samples.`);
  }
  validateSamples(decoded.audio);
  return decoded;
}
