import { AutoVoiceError } from '../../errors/index.js';
import type { VoiceAnalysis } from '../analysis.js';
import { allocateFrames } from '../frame-storage.js';

/**
 * Formant shift by frequency warping: the new envelope at f is the old one at f/factor, so a
 * peak at F moves to factor·F (factor > 1 = shorter vocal tract, brighter). Aperiodicity is
 * warped the same way; beyond the old Nyquist the last bin is held. F0 is unchanged.
 */
export function shiftFormants(analysis: VoiceAnalysis, factor: number): VoiceAnalysis {
  if (!(Number.isFinite(factor) && factor >= 0.25 && factor <= 4)) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `formant factor must be 0.25..4, got ${factor}; 1 leaves the formants in place`,
    );
  }
  const frames = analysis.spectralEnvelope.length;
  const bins = analysis.fftSize / 2 + 1;
  const spectralEnvelope = allocateFrames(frames, bins);
  const aperiodicity = allocateFrames(frames, bins);
  for (let t = 0; t < frames; t++) {
    warpFrame(analysis.spectralEnvelope[t] as Float32Array, spectralEnvelope[t] as Float32Array, factor);
    warpFrame(analysis.aperiodicity[t] as Float32Array, aperiodicity[t] as Float32Array, factor);
  }
  return { ...analysis, spectralEnvelope, aperiodicity };
}

/** out[k] = src(k / factor), linear interpolation, last bin held. */
function warpFrame(src: Float32Array, out: Float32Array, factor: number): void {
  const last = src.length - 1;
  const inv = 1 / factor;
  for (let k = 0; k < out.length; k++) {
    const pos = k * inv;
    if (pos >= last) {
      out[k] = src[last] as number;
      continue;
    }
    const i0 = Math.floor(pos);
    const frac = pos - i0;
    out[k] = (src[i0] as number) * (1 - frac) + (src[i0 + 1] as number) * frac;
  }
}
