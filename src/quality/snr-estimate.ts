import { AutoVoiceError } from '../errors/index.js';

/**
 * Blind signal-to-noise estimate for a recording with pauses (speech, singing phrases): the
 * noise floor is the mean power of the quietest `noisePercentile` of short frames, the signal
 * level the mean power of the frames above the median; SNR = 10·log10((P_signal − P_noise) /
 * P_noise), clamped to [minSnrDb, maxSnrDb]. Digital silence between phrases gives maxSnrDb.
 * Continuous sound with no pause underestimates the SNR (no frame shows the floor alone), which
 * errs on the side of warning the user.
 */
export interface SnrEstimateOptions {
  /** Frame length for the power measurements, ms. */
  frameMs: number;
  /** Fraction (0..0.5) of the quietest frames taken as the noise floor. */
  noisePercentile: number;
  /** Upper clamp of the estimate, dB (clean material). */
  maxSnrDb: number;
  /** Lower clamp of the estimate, dB. */
  minSnrDb: number;
}

export const defaultSnrEstimateOptions: SnrEstimateOptions = { frameMs: 20, noisePercentile: 0.1, maxSnrDb: 60, minSnrDb: -10 };

/** Estimated SNR of `signal` (mono, `sampleRate` Hz) in dB; see SnrEstimateOptions. NaN for an empty or all-zero signal. */
export function estimateSnrDb(signal: Float32Array, sampleRate: number, options: Partial<SnrEstimateOptions> = {}): number {
  const opts: SnrEstimateOptions = { ...defaultSnrEstimateOptions, ...options };
  if (!(signal instanceof Float32Array) || !Number.isFinite(sampleRate) || sampleRate <= 0) {
    throw new AutoVoiceError('quality.invalid_input', 'estimateSnrDb takes a Float32Array signal and a positive sample rate in Hz.');
  }
  if (!(opts.noisePercentile > 0 && opts.noisePercentile <= 0.5) || !(opts.frameMs > 0)) {
    throw new AutoVoiceError('quality.invalid_input', 'noisePercentile must be in (0, 0.5] (e.g. 0.1) and frameMs positive (e.g. 20).');
  }
  const frame = Math.max(1, Math.round((opts.frameMs * sampleRate) / 1000));
  const count = Math.floor(signal.length / frame);
  if (count === 0) return Number.NaN;
  const powers = new Float64Array(count);
  for (let f = 0; f < count; f++) {
    let s = 0;
    for (let i = f * frame; i < (f + 1) * frame; i++) s += (signal[i] as number) ** 2;
    powers[f] = s / frame;
  }
  powers.sort();
  if ((powers[count - 1] as number) === 0) return Number.NaN;
  const noiseCount = Math.max(1, Math.floor(count * opts.noisePercentile));
  let noise = 0;
  for (let f = 0; f < noiseCount; f++) noise += powers[f] as number;
  noise /= noiseCount;
  const from = Math.min(count - 1, Math.floor(count / 2));
  let loud = 0;
  for (let f = from; f < count; f++) loud += powers[f] as number;
  loud /= count - from;
  if (noise <= 0) return opts.maxSnrDb;
  const excess = loud - noise;
  if (excess <= 0) return opts.minSnrDb;
  return Math.min(opts.maxSnrDb, Math.max(opts.minSnrDb, 10 * Math.log10(excess / noise)));
}
