import { readFile, stat, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { AutoVoiceError } from '../errors/index.js';
import { defaultDecodeOptions, type DecodeOptions, type DecodedAudio } from './audio-info.js';
import { decodeAudio } from './decode/decode-audio.js';
import { encodeAudio, type AudioEncoding, type EncodeOptions } from './encode/encode-audio.js';
import type { RawAudio } from './raw-audio.js';

/** Output encoding implied by a file extension ('.wav' → 16-bit WAV). */
const ENCODING_BY_EXTENSION: Readonly<Record<string, AudioEncoding>> = { '.wav': 'wav', '.flac': 'flac', '.mp3': 'mp3' };

/**
 * Reads and decodes an audio file. The format comes from the content, not the extension. A
 * missing file is usage.invalid_argument; a file over maxBytes fails before it is read.
 */
export async function readAudioFile(path: string, options: Partial<DecodeOptions> = {}): Promise<DecodedAudio> {
  const maxBytes = options.maxBytes ?? defaultDecodeOptions.maxBytes;
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (error) {
    throw new AutoVoiceError('usage.invalid_argument', `Cannot read audio file '${path}': ${(error as Error).message}.`, { path }, { cause: error });
  }
  if (size > maxBytes) {
    throw new AutoVoiceError('audio.too_large', `'${path}' is ${size} bytes; the limit is ${maxBytes} bytes (maxBytes).`, { bytes: size, maxBytes });
  }
  const bytes = await readFile(path);
  return decodeAudio(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), options);
}

/**
 * Encodes `audio` and writes it to `path`. Without `format`, the extension decides
 * (.wav → 16-bit PCM, .flac, .mp3); an unknown extension is audio.unsupported_encoding.
 */
export async function writeAudioFile(path: string, audio: RawAudio, format?: AudioEncoding, options: Partial<EncodeOptions> = {}): Promise<void> {
  await writeFile(path, await encodeAudio(audio, format ?? audioEncodingForPath(path), options));
}

/** The encoding a file name implies (.wav, .flac, .mp3); audio.unsupported_encoding otherwise. */
export function audioEncodingForPath(path: string): AudioEncoding {
  const encoding = ENCODING_BY_EXTENSION[extname(path).toLowerCase()];
  if (encoding === undefined) {
    throw new AutoVoiceError(
      'audio.unsupported_encoding',
      `Cannot tell the output format from '${path}'; use a .wav, .flac or .mp3 name or pass a format.`,
    );
  }
  return encoding;
}
