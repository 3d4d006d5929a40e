import { AutoVoiceError } from '../errors/index.js';

/**
 * Scale-invariant signal-to-distortion ratio (SI-SDR, Le Roux et al., "SDR – half-baked or well
 * done?", ICASSP 2019). Both signals are made zero-mean, the reference is scaled by the
 * least-squares gain α = ⟨ŝ, s⟩ / ⟨s, s⟩, and
 *   SI-SDR = 10·log10(‖α·s‖² / ‖ŝ − α·s‖²)  dB.
 * A gain change of the estimate does not change the score; +∞ means an exact (scaled) copy.
 */

function validatePair(reference: Float32Array, estimate: Float32Array, what: string): void {
  if (!(reference instanceof Float32Array) || !(estimate instanceof Float32Array)) {
    throw new AutoVoiceError('quality.invalid_input', `${what} takes two Float32Array signals.`);
  }
  if (reference.length !== estimate.length) {
    throw new AutoVoiceError(
      'quality.invalid_input',
      `${what} needs signals of the same length (got ${reference.length} and ${estimate.length} samples); trim both to the shorter one.`,
      { referenceLength: reference.length, estimateLength: estimate.length },
    );
  }
  if (reference.length === 0) {
    throw new AutoVoiceError('quality.invalid_input', `${what} needs at least one sample.`);
  }
}

/**
 * SI-SDR of `estimate` against `reference` (same length, same sample rate), in dB.
 * Returns +Infinity for an exact scaled copy and NaN when the reference is silent (no target to
 * measure against). Typical values: > 20 dB nearly clean, 0 dB equal target and distortion energy.
 */
export function scaleInvariantSdr(reference: Float32Array, estimate: Float32Array): number {
  validatePair(reference, estimate, 'scaleInvariantSdr');
  const n = reference.length;
  let meanR = 0;
  let meanE = 0;
  for (let i = 0; i < n; i++) {
    meanR += reference[i] as number;
    meanE += estimate[i] as number;
  }
  meanR /= n;
  meanE /= n;
  let dot = 0;
  let energyR = 0;
  for (let i = 0; i < n; i++) {
    const r = (reference[i] as number) - meanR;
    dot += r * ((estimate[i] as number) - meanE);
    energyR += r * r;
  }
  if (!(energyR > 0)) return Number.NaN;
  const alpha = dot / energyR;
  let target = 0;
  let noise = 0;
  for (let i = 0; i < n; i++) {
    const t = alpha * ((reference[i] as number) - meanR);
    const d = (estimate[i] as number) - meanE - t;
    target += t * t;
    noise += d * d;
  }
  if (noise === 0) return target > 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  if (target === 0) return Number.NEGATIVE_INFINITY;
  return 10 * Math.log10(target / noise);
}

/**
 * SI-SDR improvement (SI-SDRi) in dB: SI-SDR(reference, estimate) − SI-SDR(reference, mixture).
 * How much a separator improved on simply returning the mixture. All three signals must have the
 * same length.
 */
export function sdrImprovement(reference: Float32Array, estimate: Float32Array, mixture: Float32Array): number {
  validatePair(reference, mixture, 'sdrImprovement');
  return scaleInvariantSdr(reference, estimate) - scaleInvariantSdr(reference, mixture);
}
