import { AutoVoiceError } from '../errors/index.js';
import type { RawAudio } from './raw-audio.js';

/** Options of validateSamples. */
export interface ValidateSamplesOptions {
  /** Largest sample magnitude accepted (full scale = 1); Infinity checks finiteness only. */
  maxMagnitude: number;
}

/**
 * Default: ±1000 (+60 dBFS). Float files may run hot (peaks of 2-10 from a mix bus are real
 * audio and are accepted); a thousand times full scale is not audio scaled to ±1 — integer
 * codes stored as float, or garbage — and its loudness would overflow every later stage.
 */
export const defaultValidateSamplesOptions: ValidateSamplesOptions = { maxMagnitude: 1000 };

/**
 * Throws audio.invalid_samples when any sample is NaN, infinite or beyond ±maxMagnitude, naming
 * the first offender (channel, sample index). Call it on audio that comes from outside
 * (decoders, uploads).
 */
export function validateSamples(audio: RawAudio, options: Partial<ValidateSamplesOptions> = {}): void {
  const { maxMagnitude } = { ...defaultValidateSamplesOptions, ...options };
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
      if (v > maxMagnitude || v < -maxMagnitude) {
        throw new AutoVoiceError(
          'audio.invalid_samples',
          `The audio holds a sample of ${v.toPrecision(3)} (${(20 * Math.log10(Math.abs(v))).toFixed(0)} dBFS) in channel ${channel} at sample ${i}; ` +
            `samples up to ±${maxMagnitude} are accepted (full scale is ±1). Re-export it as PCM or as float audio normalised to ±1.`,
          { channel, sampleIndex: i, maxMagnitude },
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
