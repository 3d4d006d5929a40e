import type { AudioContainer } from '../audio-info.js';

/** What the first bytes of a file say it is. `container` is undefined when nothing matched. */
export interface DetectedFormat {
  readonly container: AudioContainer | undefined;
  /** Codec when the container's first bytes name it (Ogg: 'vorbis' | 'opus' | 'flac'). */
  readonly codec?: string;
  /** Offset where the audio stream starts (after an ID3v2 tag). */
  readonly offset: number;
  /** A short human description for error messages when nothing matched. */
  readonly description: string;
}

const MPEG_BITRATE_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0];

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = 0; i < length && offset + i < bytes.length; i++) s += String.fromCharCode(bytes[offset + i] ?? 0);
  return s;
}

/** Length of an ID3v2 tag at `offset` (header + body + footer), or 0 when there is none. */
function id3v2Length(bytes: Uint8Array, offset: number): number {
  if (ascii(bytes, offset, 3) !== 'ID3' || bytes.length < offset + 10) return 0;
  const size = ((bytes[offset + 6] ?? 0) << 21) | ((bytes[offset + 7] ?? 0) << 14) | ((bytes[offset + 8] ?? 0) << 7) | (bytes[offset + 9] ?? 0);
  const hasFooter = ((bytes[offset + 5] ?? 0) & 0x10) !== 0;
  return 10 + size + (hasFooter ? 10 : 0);
}

/** True when a plausible MPEG audio frame header (any layer/version) starts at `offset`. */
export function isMpegFrameHeader(bytes: Uint8Array, offset: number): boolean {
  if (offset + 4 > bytes.length) return false;
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  if (bytes[offset] !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 3;
  const layer = (b1 >> 1) & 3;
  const bitrateIndex = b2 >> 4;
  const rateIndex = (b2 >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrateIndex !== 15 && rateIndex !== 3;
}

/** Length in bytes of an MPEG-1 Layer III frame at `offset`, or 0 when not computable. */
function mpeg1Layer3FrameLength(bytes: Uint8Array, offset: number): number {
  const b1 = bytes[offset + 1] ?? 0;
  const b2 = bytes[offset + 2] ?? 0;
  if (((b1 >> 3) & 3) !== 3 || ((b1 >> 1) & 3) !== 1) return 0;
  const kbps = MPEG_BITRATE_V1_L3[b2 >> 4] ?? 0;
  const rate = [44100, 48000, 32000][(b2 >> 2) & 3] ?? 0;
  if (kbps === 0 || rate === 0) return 0;
  return Math.floor((144000 * kbps) / rate) + ((b2 >> 1) & 1);
}

/** True when an ADTS (raw AAC) frame header starts at `offset`. */
function isAdtsHeader(bytes: Uint8Array, offset: number): boolean {
  const b1 = bytes[offset + 1] ?? 0;
  return bytes[offset] === 0xff && (b1 & 0xf6) === 0xf0 && offset + 7 <= bytes.length;
}

function detectOggCodec(bytes: Uint8Array): string {
  // First page: 27-byte header + segment table; the first packet follows.
  const segments = bytes[26] ?? 0;
  const packet = 27 + segments;
  if (ascii(bytes, packet, 8) === 'OpusHead') return 'opus';
  if (ascii(bytes, packet + 1, 6) === 'vorbis' && bytes[packet] === 1) return 'vorbis';
  if (ascii(bytes, packet + 1, 4) === 'FLAC' && bytes[packet] === 0x7f) return 'flac';
  if (ascii(bytes, packet, 8) === 'Speex   ') return 'speex';
  if (ascii(bytes, packet + 1, 6) === 'theora') return 'theora';
  return 'unknown';
}

/**
 * Detects the container from the content (magic bytes), never from a file name: RIFF/RF64 WAVE,
 * FLAC, Ogg (with its codec), ISO-BMFF (M4A), ADTS AAC and MPEG audio (after an optional ID3v2 tag).
 */
export function detectAudioFormat(bytes: Uint8Array): DetectedFormat {
  const head = ascii(bytes, 0, 4);
  if (head === 'RIFF' || head === 'RF64') {
    const type = ascii(bytes, 8, 4);
    if (type === 'WAVE') return { container: 'wav', offset: 0, description: 'WAV' };
    return { container: undefined, offset: 0, description: `a RIFF '${type.replace(/[^\x20-\x7e]/g, '?')}' file (not WAVE audio)` };
  }
  if (head === 'OggS') return { container: 'ogg', codec: detectOggCodec(bytes), offset: 0, description: 'Ogg' };
  if (ascii(bytes, 4, 4) === 'ftyp') return { container: 'm4a', offset: 0, description: 'MPEG-4 (M4A)' };

  const offset = id3v2Length(bytes, 0);
  if (ascii(bytes, offset, 4) === 'fLaC') return { container: 'flac', offset, description: 'FLAC' };
  if (isAdtsHeader(bytes, offset)) return { container: 'aac', offset, description: 'ADTS AAC' };
  if (isMpegFrameHeader(bytes, offset)) {
    // Without an ID3 tag, demand a second frame header where the first frame ends, so that
    // random bytes starting with 0xFFE are not taken for MP3.
    const frameLength = mpeg1Layer3FrameLength(bytes, offset);
    const confirmed = offset > 0 || frameLength === 0 || offset + frameLength >= bytes.length || isMpegFrameHeader(bytes, offset + frameLength);
    if (confirmed) return { container: 'mp3', offset, description: 'MPEG audio' };
  }
  if (offset > 0) return { container: 'mp3', offset, description: 'MPEG audio after an ID3 tag' };

  const printable = ascii(bytes, 0, 16).replace(/[^\x20-\x7e]/g, '.');
  return { container: undefined, offset: 0, description: `unrecognised content starting '${printable}'` };
}
