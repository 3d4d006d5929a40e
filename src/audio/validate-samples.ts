import { AutoVoiceError } from '../errors/index.js';
import type { RawAudio } from './raw-audio.js';

/**
 * Throws audio.invalid_samples when any sample is NaN or infinite, naming the first offender
 * (channel, sample index). Call it on audio that comes from outside (decoders, uploads).
 */
export function validateSamples(audio: RawAudio): void {
  audio.channels.forEach((samples, channel) => {
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i] as number;
      // v - v is NaN exactly when v is NaN or ±Infinity; one subtraction beats two calls.
      if (v - v !== 0) {
        throw new AutoVoiceError(
          'audio.invalid_samples',
          `The audio holds a non-finite sample (${v}) in channel ${channel} at sample ${i}; re-export it as PCM or clean float audio.`,
          { channel, sampleIndex: i },
        );
      }
    }
  });
}

/** Options for assertAudible. */
export interface AudibleOptions {
  /** Peak level (dBFS) at or below which audio counts as silent. */
  silenceThresholdDbfs: number;
}

/** Default: anything below -90 dBFS peak (below 16-bit dither) is silence. */
export const defaultAudibleOptions: AudibleOptions = { silenceThresholdDbfs: -90 };

/**
 * Throws audio.silent when every sample's magnitude is at or below the threshold. Decoding
 * silence is fine; callers that need sound (profiles, conversion) call this.
 */
export function assertAudible(audio: RawAudio, options: Partial<AudibleOptions> = {}): void {
  const { silenceThresholdDbfs } = { ...defaultAudibleOptions, ...options };
  const threshold = 10 ** (silenceThresholdDbfs / 20);
  for (const samples of audio.channels) {
    for (let i = 0; i < samples.length; i++) {
      if (Math.abs(samples[i] as number) > threshold) return;
    }
  }
  throw new AutoVoiceError(
    'audio.silent',
    `The audio is silent (no sample above ${silenceThresholdDbfs} dBFS); give a recording with sound in it.`,
    { silenceThresholdDbfs },
  );
}
