import { AutoVoiceError } from '../errors/index.js';

/**
 * Clipping detection. A sample counts as clipped when it lies in a run of at least `runSamples`
 * consecutive samples whose magnitude is within `levelTolerance` (relative) of the signal's peak —
 * the flat tops a clipper leaves, wherever full scale happened to be — or when it reaches
 * `fullScale` (1.0) or beyond. A smooth waveform touches its peak for one or two samples only, so
 * ordinary loud audio scores 0.
 */
export interface ClippingOptions {
  /** Relative closeness to the peak counted as "at the peak" (1e-4 = 0.001 dB). */
  levelTolerance: number;
  /** Shortest run of at-peak samples that counts as a clipped flat top. */
  runSamples: number;
  /** Magnitude at or above which every sample counts as clipped (digital full scale). */
  fullScale: number;
}

export const defaultClippingOptions: ClippingOptions = { levelTolerance: 1e-4, runSamples: 4, fullScale: 1 };

/** Clipping facts of a signal: clipped sample count, fraction (0..1) and the peak magnitude. */
export interface ClippingReport {
  clippedSamples: number;
  clippedFraction: number;
  peak: number;
}

/** Detects clipped samples in `signal` (any scale; see ClippingOptions). */
export function detectClipping(signal: Float32Array, options: Partial<ClippingOptions> = {}): ClippingReport {
  const opts: ClippingOptions = { ...defaultClippingOptions, ...options };
  if (!(signal instanceof Float32Array)) throw new AutoVoiceError('quality.invalid_input', 'detectClipping takes a Float32Array signal.');
  if (!(opts.runSamples >= 1) || !(opts.levelTolerance >= 0) || !(opts.fullScale > 0)) {
    throw new AutoVoiceError('quality.invalid_input', 'runSamples >= 1, levelTolerance >= 0 and fullScale > 0 are required.');
  }
  let peak = 0;
  for (const v of signal) {
    const a = Math.abs(v);
    if (a > peak) peak = a;
  }
  if (peak === 0) return { clippedSamples: 0, clippedFraction: 0, peak };
  const level = peak * (1 - opts.levelTolerance);
  let clipped = 0;
  let run = 0;
  for (let i = 0; i <= signal.length; i++) {
    const a = i < signal.length ? Math.abs(signal[i] as number) : 0;
    if (i < signal.length && a >= level) {
      run++;
      continue;
    }
    if (run >= opts.runSamples) clipped += run;
    else if (run > 0 && peak >= opts.fullScale) {
      // Short runs still count when they sit at or beyond full scale.
      for (let k = i - run; k < i; k++) if (Math.abs(signal[k] as number) >= opts.fullScale) clipped++;
    }
    run = 0;
  }
  return { clippedSamples: clipped, clippedFraction: signal.length > 0 ? clipped / signal.length : 0, peak };
}
