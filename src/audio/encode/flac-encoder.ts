import { AutoVoiceError } from '../../errors/index.js';
import type { RawAudio } from '../raw-audio.js';
import type { EncodeOptions } from './encode-audio.js';

/** FLAC encoder (placeholder until the native encoder lands). */
export function encodeFlac(_audio: RawAudio, _options: EncodeOptions): Uint8Array {
  throw new AutoVoiceError('audio.unsupported_encoding', 'FLAC encoding is not available yet; use wav or wav-f32.');
}
