import { AutoVoiceError } from '../../errors/index.js';
import type { DecodedAudio } from '../audio-info.js';
import type { DecodeBudget } from './decode-budget.js';
import type { DetectedFormat } from './detect-format.js';
import { PcmAccumulator } from './pcm-accumulator.js';

/** Bytes fed to the decoder per call; the budget is checked between calls. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Duration (seconds) that an MP4 file's movie header ('moov'/'mvhd') declares, or undefined.
 * Read before decoding, because an M4A whose 'moov' box comes last yields all its audio at once.
 */
export function mp4DeclaredSeconds(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (offset: number): string => String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
  const findBox = (from: number, to: number, wanted: string): number => {
    for (let offset = from; offset + 8 <= to; ) {
      let size = view.getUint32(offset);
      if (size === 1 && offset + 16 <= to) size = Number(view.getBigUint64(offset + 8));
      else if (size === 0) size = to - offset;
      if (type(offset) === wanted) return offset;
      if (size < 8) return -1;
      offset += size;
    }
    return -1;
  };
  const moov = findBox(0, bytes.length, 'moov');
  if (moov < 0) return undefined;
  const mvhd = findBox(moov + 8, Math.min(bytes.length, moov + view.getUint32(moov)), 'mvhd');
  if (mvhd < 0 || mvhd + 40 > bytes.length) return undefined;
  const version = bytes[mvhd + 8];
  const timescale = view.getUint32(mvhd + (version === 1 ? 28 : 20));
  const duration = version === 1 ? Number(view.getBigUint64(mvhd + 32)) : view.getUint32(mvhd + 24);
  return timescale > 0 ? duration / timescale : undefined;
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
  try {
    for (let offset = detected.offset; offset < bytes.length; offset += CHUNK_BYTES) {
      const result = aac.decode(bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES)));
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
