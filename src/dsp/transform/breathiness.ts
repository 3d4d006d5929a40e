import { AutoVoiceError } from '../../errors/index.js';
import type { VoiceAnalysis } from '../analysis.js';
import { allocateFrames } from '../frame-storage.js';

/**
 * Scales the aperiodicity of voiced frames by `factor` (clamped to 1): > 1 = breathier,
 * < 1 = cleaner, 0 = purely periodic. Unvoiced frames stay all noise.
 */
export function scaleBreathiness(analysis: VoiceAnalysis, factor: number): VoiceAnalysis {
  if (!(Number.isFinite(factor) && factor >= 0 && factor <= 100)) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `breathiness factor must be 0..100, got ${factor}; 1 leaves it unchanged`,
    );
  }
  const frames = analysis.aperiodicity.length;
  const bins = analysis.fftSize / 2 + 1;
  const aperiodicity = allocateFrames(frames, bins);
  for (let t = 0; t < frames; t++) {
    const src = analysis.aperiodicity[t] as Float32Array;
    const dst = aperiodicity[t] as Float32Array;
    if ((analysis.voiced[t] as number) === 0) {
      dst.set(src);
      continue;
    }
    for (let k = 0; k < bins; k++) dst[k] = Math.min(1, (src[k] as number) * factor);
  }
  return { ...analysis, aperiodicity };
}
