import { MPEGDecoder } from 'mpg123-decoder';
import { AutoVoiceError } from '../../errors/index.js';
import type { DecodedAudio } from '../audio-info.js';
import type { DecodeBudget } from './decode-budget.js';
import type { DetectedFormat } from './detect-format.js';
import { PcmAccumulator } from './pcm-accumulator.js';

/** Bytes fed to mpg123 per call; the budget is checked between calls. */
const CHUNK_BYTES = 256 * 1024;

/** Largest decoded magnitude accepted (full scale 1): lossy overshoot stays within a few dB. */
const MP3_MAX_PEAK = 8;

function peakMagnitude(channels: readonly Float32Array[]): number {
  let peak = 0;
  for (const samples of channels) for (const v of samples) peak = Math.max(peak, Math.abs(v));
  return peak;
}

/** Decodes MPEG-1/2/2.5 Layer I/II/III audio with mpg123 (wasm), gapless (LAME/Xing delay trimmed). */
export async function decodeMp3(bytes: Uint8Array, budget: DecodeBudget, detected: DetectedFormat): Promise<DecodedAudio> {
  const decoder = new MPEGDecoder({ enableGapless: true });
  await decoder.ready;
  const pcm = new PcmAccumulator(budget);
  let errorCount = 0;
  let firstError = '';
  try {
    for (let offset = detected.offset; offset < bytes.length; offset += CHUNK_BYTES) {
      const result = decoder.decode(bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK_BYTES)));
      errorCount += result.errors.length;
      if (firstError === '' && result.errors[0]) firstError = result.errors[0].message;
      pcm.push(result.channelData, result.samplesDecoded, result.sampleRate);
    }
  } finally {
    decoder.free();
  }
  if (pcm.length === 0) {
    throw new AutoVoiceError('audio.corrupt', `The MP3 data holds no decodable frames${firstError ? ` (${firstError})` : ''}.`, { errorCount });
  }
  // MP3 frames carry no checksum, so garbage can parse as a few frames; mpg123 then reports
  // errors. A glitch or two in a long file is normal; errors out of proportion are damage.
  const framesDecoded = pcm.length / 576;
  if (errorCount > 2 + 0.05 * framesDecoded) {
    throw new AutoVoiceError(
      'audio.corrupt',
      `The MP3 data is damaged: ${errorCount} decoding errors for about ${Math.round(framesDecoded)} frames${firstError ? ` (${firstError})` : ''}.`,
      { errorCount },
    );
  }
  const channels = pcm.finish();
  // Damaged frames can also decode "cleanly" into huge values (a flipped scale factor). Real MP3s
  // overshoot full scale by a few dB at most; +18 dBFS (8×) is damage, not audio.
  const peak = peakMagnitude(channels);
  if (peak > MP3_MAX_PEAK) {
    throw new AutoVoiceError(
      'audio.corrupt',
      `The MP3 data is damaged: it decodes to peaks of ${(20 * Math.log10(peak)).toFixed(0)} dBFS, which no encoded recording reaches.`,
      { peak },
    );
  }
  return {
    audio: { channels, sampleRate: pcm.sampleRate },
    info: {
      container: 'mp3',
      codec: 'mp3',
      sampleRate: pcm.sampleRate,
      channels: channels.length,
      durationSeconds: pcm.length / pcm.sampleRate,
      bytes: bytes.length,
    },
  };
}
