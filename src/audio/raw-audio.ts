/**
 * The one audio type of AutoVoice: planar float samples in [-1, 1] plus the sample rate.
 * Decoding and encoding happen only at the edges (src/audio/decode, src/audio/encode);
 * everything in between passes RawAudio or a mono Float32Array with its sample rate.
 */
export interface RawAudio {
  /** One Float32Array per channel, all the same length, nominal range [-1, 1]. */
  readonly channels: readonly Float32Array[];
  /** Samples per second (Hz). */
  readonly sampleRate: number;
}

/** Number of samples per channel. */
export function audioLengthSamples(audio: RawAudio): number {
  return audio.channels[0]?.length ?? 0;
}

/** Duration in seconds. */
export function audioDurationSeconds(audio: RawAudio): number {
  return audio.sampleRate > 0 ? audioLengthSamples(audio) / audio.sampleRate : 0;
}

/** Wraps one mono signal as RawAudio (no copy). */
export function monoAudio(samples: Float32Array, sampleRate: number): RawAudio {
  return { channels: [samples], sampleRate };
}
