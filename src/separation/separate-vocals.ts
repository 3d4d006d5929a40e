import type { RawAudio } from '../audio/raw-audio.js';
import { AutoVoiceError, throwIfAborted } from '../errors/index.js';
import type { ProgressCallback } from '../pipelines/progress.js';
import { getSeparationEngine } from './separation-registry.js';
import type { SeparatedStems } from './separation-types.js';

/** Options of separateVocals. */
export interface SeparateVocalsOptions {
  /** Engine id: 'dsp' (default, no model) or 'onnx' (needs modelPath). */
  readonly engine?: string;
  /** ONNX model file for the 'onnx' engine. */
  readonly modelPath?: string;
  /** Progress as `{ stage: 'separate', fraction }`. */
  readonly onProgress?: ProgressCallback;
  readonly signal?: AbortSignal;
  /** Engine-specific tuning (DspSeparatorOptions / MdxOnnxOptions fields). */
  readonly engineOptions?: Readonly<Record<string, unknown>>;
}

/**
 * Splits a mixture into vocals and accompaniment (same channels, rate and length as `audio`;
 * the stems sum to the input). Throws `usage.invalid_argument` for empty or non-finite audio,
 * `separation.unknown_engine` for an unknown engine, `operation.cancelled` when aborted.
 */
export async function separateVocals(
  audio: RawAudio,
  options: SeparateVocalsOptions = {},
): Promise<SeparatedStems> {
  const length = audio.channels[0]?.length ?? 0;
  if (audio.channels.length === 0 || length === 0) {
    throw new AutoVoiceError(
      'audio.no_samples',
      'There is no audio to separate; give a mixture with at least one channel of samples.',
    );
  }
  if (!(audio.sampleRate >= 8000)) {
    throw new AutoVoiceError(
      'audio.unsupported_sample_rate',
      `Separation needs a sample rate of at least 8000 Hz (got ${audio.sampleRate}); record or export the input at a higher rate.`,
      { sampleRate: audio.sampleRate },
    );
  }
  if (audio.channels.some((c) => c.length !== length)) {
    throw new AutoVoiceError('usage.invalid_argument', 'All channels must have the same length.');
  }
  throwIfAborted(options.signal);
  const engine = await getSeparationEngine(options.engine ?? 'dsp');
  options.onProgress?.({ stage: 'separate', fraction: 0 });
  const stems = await engine.separate(audio, {
    modelPath: options.modelPath,
    signal: options.signal,
    engineOptions: options.engineOptions,
    onFraction: (fraction) => options.onProgress?.({ stage: 'separate', fraction }),
  });
  return stems;
}
