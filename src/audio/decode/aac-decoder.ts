import { AutoVoiceError } from '../../errors/index.js';
import type { DecodedAudio } from '../audio-info.js';
import type { DecodeBudget } from './decode-budget.js';
import type { DetectedFormat } from './detect-format.js';
import { PcmAccumulator } from './pcm-accumulator.js';

/**
 * Decodes M4A (AAC or ALAC) and ADTS AAC with @audio/decode-aac. That library wraps FAAD2
 * (GPL-2), so it is imported only here, only when such a file arrives.
 */
export async function decodeAac(bytes: Uint8Array, budget: DecodeBudget, detected: DetectedFormat): Promise<DecodedAudio> {
  const { default: decode } = await import('@audio/decode-aac');
  budget.checkTime();
  const result = await decode(bytes.subarray(detected.offset));
  const frames = result.channelData[0]?.length ?? 0;
  if (frames === 0) {
    throw new AutoVoiceError('audio.corrupt', `The ${detected.description} data holds no decodable audio.`);
  }
  const pcm = new PcmAccumulator(budget);
  pcm.push(result.channelData, frames, result.sampleRate);
  const channels = pcm.finish();
  return {
    audio: { channels, sampleRate: pcm.sampleRate },
    info: {
      container: detected.container ?? 'm4a',
      codec: 'aac',
      sampleRate: pcm.sampleRate,
      channels: channels.length,
      durationSeconds: frames / pcm.sampleRate,
      bytes: bytes.length,
    },
  };
}
