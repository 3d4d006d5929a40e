import { AutoVoiceError } from '../../errors/index.js';
import type { DecodedAudio } from '../audio-info.js';
import type { DecodeBudget } from './decode-budget.js';
import { checkDecodedLength } from './declared-length.js';
import type { DetectedFormat } from './detect-format.js';
import { PcmAccumulator } from './pcm-accumulator.js';

/** Bytes fed to the decoder per call; the budget is checked between calls. */
const CHUNK_BYTES = 256 * 1024;

/** A block from @audio/decode-aac: its FAAD2 path also counts the frames it had to skip. */
interface DecodedChunk {
  readonly channelData: Float32Array[];
  readonly sampleRate: number;
  readonly errors?: number;
}

/** Offset of the first box of type `wanted` in [from, to), or -1 (ISO/IEC 14496-12 box headers). */
function findBox(bytes: Uint8Array, from: number, to: number, wanted: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = from; offset + 8 <= to; ) {
    let size = view.getUint32(offset);
    if (size === 1 && offset + 16 <= to) size = Number(view.getBigUint64(offset + 8));
    else if (size === 0) size = to - offset;
    if (String.fromCharCode(...bytes.subarray(offset + 4, offset + 8)) === wanted) return offset;
    if (size < 8) return -1;
    offset += size;
  }
  return -1;
}

/** End of the box at `offset` (clamped to the data). */
function boxEnd(bytes: Uint8Array, offset: number): number {
  const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset);
  return Math.min(bytes.length, size < 8 ? bytes.length : offset + size);
}

/** A full box's duration field and its timescale: mvhd/mdhd hold both, version 0 or 1. */
function timedBox(bytes: Uint8Array, box: number): { duration: number; timescale: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[box + 8];
  if (box + (version === 1 ? 40 : 32) > bytes.length) return undefined;
  const timescale = view.getUint32(box + (version === 1 ? 28 : 20));
  const duration = version === 1 ? Number(view.getBigUint64(box + 32)) : view.getUint32(box + 24);
  return { duration, timescale };
}

/**
 * Duration (seconds) that an MP4 file's movie header ('moov'/'mvhd') declares, or undefined.
 * Read before decoding, because an M4A whose 'moov' box comes last yields all its audio at once.
 */
export function mp4DeclaredSeconds(bytes: Uint8Array): number | undefined {
  const moov = findBox(bytes, 0, bytes.length, 'moov');
  if (moov < 0) return undefined;
  const mvhd = findBox(bytes, moov + 8, boxEnd(bytes, moov), 'mvhd');
  const timed = mvhd < 0 ? undefined : timedBox(bytes, mvhd);
  return timed && timed.timescale > 0 ? timed.duration / timed.timescale : undefined;
}

/**
 * Duration (seconds) of the first sound track as presented: its track header's duration (the
 * edit list's span, in the movie's timescale), else its media header's. The movie header is no
 * guide here: a video track can make it longer than the audio. Undefined when not stated
 * (fragmented files carry 0).
 */
export function mp4AudioTrackSeconds(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const moov = findBox(bytes, 0, bytes.length, 'moov');
  if (moov < 0) return undefined;
  const moovEnd = boxEnd(bytes, moov);
  const mvhd = findBox(bytes, moov + 8, moovEnd, 'mvhd');
  const movieScale = mvhd < 0 ? 0 : (timedBox(bytes, mvhd)?.timescale ?? 0);
  for (let trak = findBox(bytes, moov + 8, moovEnd, 'trak'); trak >= 0; ) {
    const trakEnd = boxEnd(bytes, trak);
    const mdia = findBox(bytes, trak + 8, trakEnd, 'mdia');
    const hdlr = mdia < 0 ? -1 : findBox(bytes, mdia + 8, boxEnd(bytes, mdia), 'hdlr');
    if (hdlr >= 0 && hdlr + 20 <= bytes.length && String.fromCharCode(...bytes.subarray(hdlr + 16, hdlr + 20)) === 'soun') {
      const tkhd = findBox(bytes, trak + 8, trakEnd, 'tkhd');
      if (tkhd >= 0 && movieScale > 0) {
        const v1 = bytes[tkhd + 8] === 1;
        if (tkhd + (v1 ? 44 : 32) <= bytes.length) {
          const duration = v1 ? Number(view.getBigUint64(tkhd + 36)) : view.getUint32(tkhd + 28);
          // All ones means "unknown" in either version.
          if (duration > 0 && duration !== 0xffffffff && duration < Number.MAX_SAFE_INTEGER) return duration / movieScale;
        }
      }
      const mdhd = findBox(bytes, mdia + 8, boxEnd(bytes, mdia), 'mdhd');
      const timed = mdhd < 0 ? undefined : timedBox(bytes, mdhd);
      return timed && timed.timescale > 0 && timed.duration > 0 ? timed.duration / timed.timescale : undefined;
    }
    trak = findBox(bytes, trakEnd, moovEnd, 'trak');
  }
  return undefined;
}

/**
 * Decodes M4A (AAC or ALAC) and ADTS AAC with @audio/decode-aac, chunk by chunk. That library
 * wraps FAAD2 (GPL-2), so it is imported only here, only when such a file arrives.
 */
export async function decodeAac(bytes: Uint8Array, budget: DecodeBudget, detected: DetectedFormat): Promise<DecodedAudio> {
  if (detected.container === 'm4a') {
    const declared = mp4DeclaredSeconds(bytes);
    if (declared !== undefined) budget.checkDeclaredSeconds(declared);
  }
  const { decoder } = await import('@audio/decode-aac');
  const aac = await decoder();
  const pcm = new PcmAccumulator(budget);
  let errorCount = 0;
  try {
    for (let offset = detected.offset; offset < bytes.length; offset += CHUNK_BYTES) {
      const result: DecodedChunk = aac.decode(bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES)));
      errorCount += result.errors ?? 0;
      pcm.push(result.channelData, result.channelData[0]?.length ?? 0, result.sampleRate);
    }
    const tail = aac.flush();
    pcm.push(tail.channelData, tail.channelData[0]?.length ?? 0, tail.sampleRate);
  } finally {
    aac.free();
  }
  if (pcm.length === 0) {
    throw new AutoVoiceError('audio.corrupt', `The ${detected.description} data holds no decodable audio.`);
  }
  // FAAD2 skips a frame it cannot decode and carries on; each one is audio lost. The wrapper
  // also counts the first frame, which FAAD2 withholds (no output yet), so one is normal.
  if (errorCount > 1) {
    const lost = errorCount - 1;
    const fail = lost === 1 ? 'frame fails' : 'frames fail';
    throw new AutoVoiceError('audio.corrupt', `Damaged ${detected.description} file: ${lost} AAC ${fail} to decode.`, {
      errorCount: lost,
    });
  }
  // A damaged sample table or a cut 'mdat' decodes short without any frame error.
  const declared = detected.container === 'm4a' ? mp4AudioTrackSeconds(bytes) : undefined;
  if (declared !== undefined) {
    checkDecodedLength(pcm.length / pcm.sampleRate, { minSeconds: declared, maxSeconds: declared }, detected.description);
  }
  const channels = pcm.finish();
  return {
    audio: { channels, sampleRate: pcm.sampleRate },
    info: {
      container: detected.container ?? 'm4a',
      codec: 'aac',
      sampleRate: pcm.sampleRate,
      channels: channels.length,
      durationSeconds: pcm.length / pcm.sampleRate,
      bytes: bytes.length,
    },
  };
}
