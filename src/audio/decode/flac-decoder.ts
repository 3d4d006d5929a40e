import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { AutoVoiceError } from '../../errors/index.js';
import type { DecodedAudio } from '../audio-info.js';
import type { DecodeBudget } from './decode-budget.js';
import type { DetectedFormat } from './detect-format.js';
import { PcmAccumulator } from './pcm-accumulator.js';

/** Bytes fed to the decoder per call; the budget is checked between calls. */
const CHUNK_BYTES = 256 * 1024;

/** Reads the STREAMINFO block (right after 'fLaC') to check the declared shape before decoding. */
function checkStreamInfo(bytes: Uint8Array, offset: number, budget: DecodeBudget): { bitDepth: number; totalFrames: number } {
  const p = offset + 4 + 4; // 'fLaC' + metadata block header
  if (bytes.length < p + 18 || ((bytes[offset + 4] ?? 0) & 0x7f) !== 0) {
    throw new AutoVoiceError('audio.corrupt', 'Damaged FLAC file: the STREAMINFO block is missing or truncated.');
  }
  const b = (i: number): number => bytes[p + i] ?? 0;
  const sampleRate = (b(10) << 12) | (b(11) << 4) | (b(12) >> 4);
  const channels = ((b(12) >> 1) & 7) + 1;
  const bitDepth = (((b(12) & 1) << 4) | (b(13) >> 4)) + 1;
  const totalFrames = (b(13) & 0x0f) * 2 ** 32 + ((b(14) << 24) >>> 0) + (b(15) << 16) + (b(16) << 8) + b(17);
  budget.checkFormat(sampleRate, channels);
  if (bitDepth < 4) throw new AutoVoiceError('audio.invalid_header', `The FLAC header declares ${bitDepth}-bit samples.`, { bitDepth });
  if (totalFrames > 0) budget.checkLength(totalFrames, sampleRate, channels);
  return { bitDepth, totalFrames };
}

/**
 * The wasm decoder scales integers by 1 / (2^(bits-1) - 1); AutoVoice (like WAV) uses
 * 1 / 2^(bits-1), so that -1 is the most negative code and lossless round trips are exact.
 * Recover each integer (exact: float32 holds 24 significant bits) and rescale.
 */
function rescaleToPowerOfTwo(channels: Float32Array[], bits: number): void {
  const full = 2 ** (bits - 1);
  const decoderScale = full - 1;
  for (const samples of channels) {
    for (let i = 0; i < samples.length; i++) samples[i] = Math.round((samples[i] as number) * decoderScale) / full;
  }
}

/** Decodes native FLAC (and Ogg FLAC when `detected.codec` is 'flac') with libFLAC (wasm). */
export async function decodeFlac(bytes: Uint8Array, budget: DecodeBudget, detected: DetectedFormat): Promise<DecodedAudio> {
  const isOgg = detected.container === 'ogg';
  const streamInfo = isOgg ? undefined : checkStreamInfo(bytes, detected.offset, budget);
  const bitDepth = streamInfo?.bitDepth;
  const decoder = new FLACDecoder();
  await decoder.ready;
  const pcm = new PcmAccumulator(budget);
  let firstError = '';
  let decodedBits = 0;
  try {
    for (let offset = detected.offset; offset < bytes.length; offset += CHUNK_BYTES) {
      const result = await decoder.decode(bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES)));
      if (firstError === '' && result.errors[0]) firstError = result.errors[0].message;
      if (result.bitDepth > 0) decodedBits = result.bitDepth;
      pcm.push(result.channelData, result.samplesDecoded, result.sampleRate);
    }
    const tail = await decoder.flush();
    if (tail.bitDepth > 0) decodedBits = tail.bitDepth;
    pcm.push(tail.channelData, tail.samplesDecoded, tail.sampleRate);
  } finally {
    decoder.free();
  }
  if (pcm.length === 0) {
    throw new AutoVoiceError('audio.corrupt', `The FLAC data holds no decodable frames${firstError ? ` (${firstError})` : ''}.`);
  }
  if (streamInfo !== undefined && streamInfo.totalFrames > 0 && pcm.length < streamInfo.totalFrames) {
    throw new AutoVoiceError(
      'audio.corrupt',
      `Damaged FLAC file: truncated, ${pcm.length} of the ${streamInfo.totalFrames} samples its header declares could be decoded.`,
      { decodedSamples: pcm.length, declaredSamples: streamInfo.totalFrames },
    );
  }
  const channels = pcm.finish();
  const bits = bitDepth ?? decodedBits;
  if (bits > 0) rescaleToPowerOfTwo(channels, bits);
  return {
    audio: { channels, sampleRate: pcm.sampleRate },
    info: {
      container: isOgg ? 'ogg' : 'flac',
      codec: 'flac',
      sampleRate: pcm.sampleRate,
      channels: channels.length,
      durationSeconds: pcm.length / pcm.sampleRate,
      ...(bits > 0 ? { bitDepth: bits } : {}),
      bytes: bytes.length,
    },
  };
}
