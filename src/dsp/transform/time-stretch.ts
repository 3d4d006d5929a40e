import { AutoVoiceError } from '../../errors/index.js';
import type { VoiceAnalysis } from '../analysis.js';
import { allocateFrames } from '../frame-storage.js';

/**
 * Time stretch by `factor` (> 1 = longer/slower) on the frame grid: new frame j reads the old
 * timeline at j/factor, interpolating envelope and aperiodicity linearly and F0 in log
 * frequency (nearest frame at voicing edges). Pitch and formants are kept; signalLength scales.
 */
export function stretchTime(analysis: VoiceAnalysis, factor: number): VoiceAnalysis {
  if (!(Number.isFinite(factor) && factor >= 0.1 && factor <= 10)) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `time-stretch factor must be 0.1..10, got ${factor}; 1 keeps the length`,
    );
  }
  const oldFrames = analysis.f0Hz.length;
  const bins = analysis.fftSize / 2 + 1;
  const signalLength = Math.round(analysis.signalLength * factor);
  const frames =
    Math.floor(((signalLength / analysis.sampleRate) * 1000) / analysis.framePeriodMs + 1e-9) + 1;
  const f0Hz = new Float32Array(frames);
  const voiced = new Uint8Array(frames);
  const spectralEnvelope = allocateFrames(frames, bins);
  const aperiodicity = allocateFrames(frames, bins);
  const last = oldFrames - 1;
  for (let j = 0; j < frames; j++) {
    const pos = Math.min(last, j / factor);
    const i0 = Math.min(Math.floor(pos), Math.max(0, last - 1));
    const i1 = Math.min(i0 + 1, last);
    const frac = i1 === i0 ? 0 : pos - i0;
    const v0 = (analysis.voiced[i0] as number) !== 0;
    const v1 = (analysis.voiced[i1] as number) !== 0;
    if (v0 && v1) {
      const a = Math.log(analysis.f0Hz[i0] as number);
      const b = Math.log(analysis.f0Hz[i1] as number);
      f0Hz[j] = Math.exp(a + (b - a) * frac);
      voiced[j] = 1;
    } else {
      const nearest = frac < 0.5 ? i0 : i1;
      const v = (analysis.voiced[nearest] as number) !== 0;
      f0Hz[j] = v ? (analysis.f0Hz[nearest] as number) : 0;
      voiced[j] = v ? 1 : 0;
    }
    lerpFrame(
      analysis.spectralEnvelope[i0] as Float32Array,
      analysis.spectralEnvelope[i1] as Float32Array,
      frac,
      spectralEnvelope[j] as Float32Array,
    );
    lerpFrame(
      analysis.aperiodicity[i0] as Float32Array,
      analysis.aperiodicity[i1] as Float32Array,
      frac,
      aperiodicity[j] as Float32Array,
    );
  }
  return { ...analysis, f0Hz, voiced, spectralEnvelope, aperiodicity, signalLength };
}

function lerpFrame(a: Float32Array, b: Float32Array, frac: number, out: Float32Array): void {
  if (frac === 0) {
    out.set(a);
    return;
  }
  for (let k = 0; k < out.length; k++)
    out[k] = (a[k] as number) + ((b[k] as number) - (a[k] as number)) * frac;
}
