import { AutoVoiceError } from '../../errors/index.js';
import type { VoiceAnalysis } from '../analysis.js';
import { allocateFrames } from '../frame-storage.js';

/** Options of `applySpectralTilt`. */
export interface SpectralTiltOptions {
  /** Frequency whose level is unchanged, Hz. */
  referenceHz: number;
  /** Below this frequency the gain is held (avoids boosting rumble without bound), Hz. */
  minimumHz: number;
}

export const defaultSpectralTiltOptions: SpectralTiltOptions = { referenceHz: 1000, minimumHz: 50 };

/**
 * Tilts every envelope frame by `dbPerOctave` around `referenceHz` (positive = brighter):
 * gain(f) = dbPerOctave·log2(f / referenceHz) dB.
 */
export function applySpectralTilt(
  analysis: VoiceAnalysis,
  dbPerOctave: number,
  options: Partial<SpectralTiltOptions> = {},
): VoiceAnalysis {
  const opts: SpectralTiltOptions = { ...defaultSpectralTiltOptions, ...options };
  if (!(Number.isFinite(dbPerOctave) && Math.abs(dbPerOctave) <= 24)) {
    throw new AutoVoiceError('dsp.invalid_option', `dbPerOctave must be within ±24, got ${dbPerOctave}`);
  }
  if (!(opts.referenceHz > 0 && opts.minimumHz > 0)) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      'referenceHz and minimumHz must be positive (1000 and 50 work)',
    );
  }
  const bins = analysis.fftSize / 2 + 1;
  const gain = new Float32Array(bins);
  for (let k = 0; k < bins; k++) {
    const f = Math.max(opts.minimumHz, (k * analysis.sampleRate) / analysis.fftSize);
    gain[k] = 10 ** ((dbPerOctave * Math.log2(f / opts.referenceHz)) / 10);
  }
  const frames = analysis.spectralEnvelope.length;
  const spectralEnvelope = allocateFrames(frames, bins);
  for (let t = 0; t < frames; t++) {
    const src = analysis.spectralEnvelope[t] as Float32Array;
    const dst = spectralEnvelope[t] as Float32Array;
    for (let k = 0; k < bins; k++) dst[k] = (src[k] as number) * (gain[k] as number);
  }
  return { ...analysis, spectralEnvelope };
}
