import { AutoVoiceError } from '../../errors/index.js';
import type { DecodedAudio } from '../audio-info.js';
import type { DecodeBudget } from './decode-budget.js';
import { checkDecodedLength } from './declared-length.js';
import type { DetectedFormat } from './detect-format.js';
import { scanOggPages } from './ogg-pages.js';
import { PcmAccumulator } from './pcm-accumulator.js';

/** Bytes fed to the decoder per call; the budget is checked between calls. */
const CHUNK_BYTES = 128 * 1024;

/** The streaming interface the Ogg decoders share. */
interface OggStreamDecoder {
  ready: Promise<void>;
  decode(data: Uint8Array): Promise<DecodedBlock> | DecodedBlock;
  flush(): Promise<DecodedBlock>;
  free(): void;
}
interface DecodedBlock {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

async function createDecoder(codec: string): Promise<OggStreamDecoder> {
  if (codec === 'vorbis') return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder();
  if (codec === 'opus') return new (await import('ogg-opus-decoder')).OggOpusDecoder();
  throw new AutoVoiceError(
    'audio.unsupported_format',
    `The Ogg file holds ${codec === 'unknown' ? 'an unknown codec' : codec} audio; AutoVoice reads Ogg Vorbis, Ogg Opus and Ogg FLAC.`,
    { codec },
  );
}

/**
 * Decodes Ogg Vorbis and Ogg Opus (wasm decoders); Ogg FLAC goes to the FLAC decoder. The pages
 * are checked first (length, CRC): the decoders skip damage and resynchronise, returning audio
 * of the wrong length — silence from a lone header page, noise from garbled packets. A packet
 * the decoder rejects, or a decoded length outside what the granule positions allow, is
 * audio.corrupt as well.
 */
export async function decodeOgg(bytes: Uint8Array, budget: DecodeBudget, detected: DetectedFormat): Promise<DecodedAudio> {
  const codec = detected.codec ?? 'unknown';
  if (codec === 'flac') return (await import('./flac-decoder.js')).decodeFlac(bytes, budget, detected);
  const decoder = await createDecoder(codec);
  const scan = scanOggPages(bytes, detected.offset, budget);
  await decoder.ready;
  const pcm = new PcmAccumulator(budget);
  let errorCount = 0;
  let firstError = '';
  try {
    for (let offset = detected.offset; offset < bytes.length; offset += CHUNK_BYTES) {
      const result = await decoder.decode(bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES)));
      errorCount += result.errors.length;
      if (firstError === '' && result.errors[0]) firstError = result.errors[0].message;
      pcm.push(result.channelData, result.samplesDecoded, result.sampleRate);
    }
    const tail = await decoder.flush();
    errorCount += tail.errors.length;
    if (firstError === '' && tail.errors[0]) firstError = tail.errors[0].message;
    pcm.push(tail.channelData, tail.samplesDecoded, tail.sampleRate);
  } finally {
    decoder.free();
  }
  if (pcm.length === 0) {
    throw new AutoVoiceError('audio.corrupt', `The Ogg ${codec} data holds no decodable audio${firstError ? ` (${firstError})` : ''}.`);
  }
  // Pages carry checksums, so a packet that still fails to decode is damage, never a glitch.
  if (errorCount > 0) {
    const fail = errorCount === 1 ? 'packet fails' : 'packets fail';
    throw new AutoVoiceError('audio.corrupt', `Damaged Ogg ${codec} file: ${errorCount} ${fail} to decode (${firstError}).`, {
      errorCount,
    });
  }
  // Granules count samples at the decoder's output rate for Vorbis and at 48 kHz for Opus.
  const granuleRate = codec === 'opus' ? 48000 : pcm.sampleRate;
  checkDecodedLength(
    pcm.length / pcm.sampleRate,
    { minSeconds: scan.declaredSamples.min / granuleRate, maxSeconds: scan.declaredSamples.max / granuleRate },
    `Ogg ${codec}`,
  );
  const channels = pcm.finish();
  return {
    audio: { channels, sampleRate: pcm.sampleRate },
    info: {
      container: 'ogg',
      codec,
      sampleRate: pcm.sampleRate,
      channels: channels.length,
      durationSeconds: pcm.length / pcm.sampleRate,
      bytes: bytes.length,
    },
  };
}
