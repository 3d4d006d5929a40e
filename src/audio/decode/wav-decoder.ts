import { AutoVoiceError } from '../../errors/index.js';
import type { DecodedAudio } from '../audio-info.js';
import type { DecodeBudget } from './decode-budget.js';

/** WAVE format tags AutoVoice decodes (others are named in the error message). */
const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const KNOWN_UNSUPPORTED_TAGS: Readonly<Record<number, string>> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x00ff: 'AAC',
};

/** The tail every KSDATAFORMAT_SUBTYPE GUID shares after its 2-byte format tag (bytes 2..15). */
const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Frames converted between two checks of the time budget. */
const FRAMES_PER_CHUNK = 1 << 16;

/** The fields of a parsed `fmt ` chunk that decoding needs. */
export interface WavFormat {
  readonly sampleFormat: 'int' | 'float';
  readonly channels: number;
  readonly sampleRate: number;
  /** Bytes per sample in the container (1, 2, 3, 4 or 8). */
  readonly bytesPerSample: number;
  /** Significant bits (validBitsPerSample for WAVE_FORMAT_EXTENSIBLE). */
  readonly bitDepth: number;
  readonly blockAlign: number;
}

function corrupt(message: string, details?: Record<string, unknown>): AutoVoiceError {
  return new AutoVoiceError('audio.corrupt', `Damaged WAV file: ${message}.`, details);
}

function fourCc(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

/** Parses and strictly validates a `fmt ` chunk body (little-endian). */
export function parseWavFormat(view: DataView, offset: number, size: number, budget: DecodeBudget): WavFormat {
  if (size < 16) throw corrupt(`the fmt chunk is ${size} bytes, at least 16 are required`);
  let formatTag = view.getUint16(offset, true);
  const channels = view.getUint16(offset + 2, true);
  const sampleRate = view.getUint32(offset + 4, true);
  const blockAlign = view.getUint16(offset + 12, true);
  const containerBits = view.getUint16(offset + 14, true);
  let bitDepth = containerBits;

  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40 || view.getUint16(offset + 16, true) < 22) {
      throw corrupt('the WAVE_FORMAT_EXTENSIBLE fmt chunk is shorter than 40 bytes');
    }
    const validBits = view.getUint16(offset + 18, true);
    bitDepth = validBits === 0 ? containerBits : validBits;
    formatTag = view.getUint16(offset + 24, true);
    const isStandardGuid = GUID_TAIL.every((b, i) => view.getUint8(offset + 26 + i) === b);
    if (!isStandardGuid) {
      throw new AutoVoiceError('audio.unsupported_format', 'The WAV file uses a non-standard sub-format GUID; save it as PCM or float WAV.');
    }
    if (bitDepth > containerBits) {
      throw new AutoVoiceError('audio.invalid_header', `The WAV header declares ${bitDepth} valid bits in a ${containerBits}-bit container.`, {
        bitDepth,
        containerBits,
      });
    }
  }

  let sampleFormat: 'int' | 'float';
  if (formatTag === WAVE_FORMAT_PCM) {
    sampleFormat = 'int';
    if (![8, 16, 24, 32].includes(containerBits)) {
      throw new AutoVoiceError('audio.invalid_header', `The WAV header declares ${containerBits}-bit PCM; 8, 16, 24 or 32 bits are readable.`, {
        bitsPerSample: containerBits,
      });
    }
  } else if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    sampleFormat = 'float';
    if (containerBits !== 32 && containerBits !== 64) {
      throw new AutoVoiceError('audio.invalid_header', `The WAV header declares ${containerBits}-bit float; 32 or 64 bits are readable.`, {
        bitsPerSample: containerBits,
      });
    }
  } else {
    const name = KNOWN_UNSUPPORTED_TAGS[formatTag] ?? `format tag 0x${formatTag.toString(16).padStart(4, '0')}`;
    throw new AutoVoiceError(
      'audio.unsupported_format',
      `The WAV file holds ${name} audio; AutoVoice reads PCM (8/16/24/32-bit) and float (32/64-bit) WAV, MP3, FLAC, Ogg Vorbis/Opus and M4A/AAC.`,
      { formatTag },
    );
  }

  budget.checkFormat(sampleRate, channels);
  const bytesPerSample = containerBits / 8;
  if (blockAlign !== channels * bytesPerSample) {
    throw new AutoVoiceError(
      'audio.invalid_header',
      `The WAV header declares a block size of ${blockAlign} bytes; ${channels} channels of ${containerBits} bits need ${channels * bytesPerSample}.`,
      { blockAlign, channels, bitsPerSample: containerBits },
    );
  }
  return { sampleFormat, channels, sampleRate, bytesPerSample, bitDepth, blockAlign };
}

/** Converts interleaved little-endian samples to planar floats in [-1, 1], in budget-checked chunks. */
function convertSamples(view: DataView, dataOffset: number, frames: number, format: WavFormat, budget: DecodeBudget): Float32Array[] {
  const { channels, bytesPerSample, blockAlign, sampleFormat } = format;
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  for (let start = 0; start < frames; start += FRAMES_PER_CHUNK) {
    budget.checkTime();
    const end = Math.min(frames, start + FRAMES_PER_CHUNK);
    for (let c = 0; c < channels; c++) {
      const dst = out[c] as Float32Array;
      let p = dataOffset + start * blockAlign + c * bytesPerSample;
      if (sampleFormat === 'float') {
        if (bytesPerSample === 4) for (let i = start; i < end; i++, p += blockAlign) dst[i] = view.getFloat32(p, true);
        else for (let i = start; i < end; i++, p += blockAlign) dst[i] = view.getFloat64(p, true);
      } else if (bytesPerSample === 1) {
        for (let i = start; i < end; i++, p += blockAlign) dst[i] = (view.getUint8(p) - 128) / 128;
      } else if (bytesPerSample === 2) {
        for (let i = start; i < end; i++, p += blockAlign) dst[i] = view.getInt16(p, true) / 32768;
      } else if (bytesPerSample === 3) {
        for (let i = start; i < end; i++, p += blockAlign) {
          const v = view.getUint8(p) | (view.getUint8(p + 1) << 8) | (view.getInt8(p + 2) << 16);
          dst[i] = v / 8388608;
        }
      } else {
        for (let i = start; i < end; i++, p += blockAlign) dst[i] = view.getInt32(p, true) / 2147483648;
      }
    }
  }
  return out;
}

/**
 * Decodes a RIFF/RF64 WAVE file: PCM 8/16/24/32-bit, IEEE float 32/64-bit, WAVE_FORMAT_EXTENSIBLE,
 * any channel count up to the budget. The header is validated strictly and the declared length is
 * checked against the budget before any sample buffer is allocated.
 */
export function decodeWav(bytes: Uint8Array, budget: DecodeBudget): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw corrupt(`only ${bytes.length} bytes, shorter than a RIFF header`);
  const riff = fourCc(view, 0);
  if ((riff !== 'RIFF' && riff !== 'RF64') || fourCc(view, 8) !== 'WAVE') {
    throw new AutoVoiceError('audio.unsupported_format', `A RIFF file of type '${fourCc(view, 8)}' is not WAVE audio.`);
  }

  let format: WavFormat | undefined;
  let dataOffset = -1;
  let dataSize = 0;
  let rf64DataSize: number | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = fourCc(view, offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === 'ds64' && riff === 'RF64' && size >= 28 && body + 28 <= bytes.length) {
      rf64DataSize = Number(view.getBigUint64(body + 8, true));
    } else if (id === 'fmt ') {
      if (body + size > bytes.length) throw corrupt('the fmt chunk is cut short');
      format = parseWavFormat(view, body, size, budget);
    } else if (id === 'data') {
      dataOffset = body;
      const available = bytes.length - body;
      // 0xFFFFFFFF marks a stream whose length was unknown when the header was written (and RF64).
      dataSize = size === 0xffffffff ? (rf64DataSize ?? available) : size;
      if (dataSize > available) {
        throw corrupt(`truncated: the data chunk declares ${dataSize} bytes but only ${available} follow`, {
          declaredBytes: dataSize,
          availableBytes: available,
        });
      }
      if (format !== undefined) break;
    }
    const next = body + size + (size & 1);
    if (next <= offset || (id !== 'data' && body + size > bytes.length)) {
      if (format !== undefined && dataOffset >= 0) break;
      throw corrupt(`the '${id.replace(/[^\x20-\x7e]/g, '?')}' chunk runs past the end of the file`);
    }
    offset = next;
  }
  if (format === undefined) throw corrupt('no fmt chunk');
  if (dataOffset < 0) throw corrupt('no data chunk');

  const frames = Math.floor(dataSize / format.blockAlign);
  if (frames === 0) {
    throw new AutoVoiceError('audio.no_samples', 'The WAV file holds no samples (its data chunk is empty).');
  }
  budget.checkLength(frames, format.sampleRate, format.channels);
  const channels = convertSamples(view, dataOffset, frames, format, budget);
  const codec = format.sampleFormat === 'float' ? `pcm_f${format.bytesPerSample * 8}le` : format.bytesPerSample === 1 ? 'pcm_u8' : `pcm_s${format.bytesPerSample * 8}le`;
  return {
    audio: { channels, sampleRate: format.sampleRate },
    info: {
      container: 'wav',
      codec,
      sampleRate: format.sampleRate,
      channels: format.channels,
      durationSeconds: frames / format.sampleRate,
      bitDepth: format.bitDepth,
      bytes: bytes.length,
    },
  };
}
