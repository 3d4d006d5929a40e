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
  const bins = analysis.fftSize / 2 + 1;
  const signalLength = Math.round(analysis.signalLength * factor);
  const frames =
    Math.floor(((signalLength / analysis.sampleRate) * 1000) / analysis.framePeriodMs + 1e-9) + 1;
  const f0Hz = new Float32Array(frames);
  const voiced = new Uint8Array(frames);
  const spectralEnvelope = allocateFrames(frames, bins);
  const aperiodicity = allocateFrames(frames, bins);
  const frame: InterpolatedFrame = {
    f0Hz: 0,
    envelope: new Float32Array(0),
    aperiodicity: new Float32Array(0),
  };
  for (let j = 0; j < frames; j++) {
    frame.envelope = spectralEnvelope[j] as Float32Array;
    frame.aperiodicity = aperiodicity[j] as Float32Array;
    interpolateFrame(analysis, j / factor, frame);
    f0Hz[j] = frame.f0Hz;
    voiced[j] = frame.f0Hz > 0 ? 1 : 0;
  }
  return { ...analysis, f0Hz, voiced, spectralEnvelope, aperiodicity, signalLength };
}

/** One frame read between an analysis' frames: F0 (0 = unvoiced), envelope and aperiodicity. */
export interface InterpolatedFrame {
  f0Hz: number;
  /** Written in place (analysis bins). */
  envelope: Float32Array;
  /** Written in place (analysis bins). */
  aperiodicity: Float32Array;
}

/**
 * The analysis read at fractional frame `position` (clamped to its frames) into `out`: envelope
 * and aperiodicity interpolated linearly, F0 in log frequency between two voiced frames, and
 * voicing and F0 of the nearer frame at a voicing edge.
 */
export function interpolateFrame(analysis: VoiceAnalysis, position: number, out: InterpolatedFrame): void {
  const last = analysis.f0Hz.length - 1;
  const pos = Math.max(0, Math.min(last, position));
  const i0 = Math.min(Math.floor(pos), Math.max(0, last - 1));
  const i1 = Math.min(i0 + 1, last);
  const frac = i1 === i0 ? 0 : pos - i0;
  const v0 = (analysis.voiced[i0] as number) !== 0;
  const v1 = (analysis.voiced[i1] as number) !== 0;
  if (v0 && v1) {
    const a = Math.log(analysis.f0Hz[i0] as number);
    const b = Math.log(analysis.f0Hz[i1] as number);
    out.f0Hz = Math.exp(a + (b - a) * frac);
  } else {
    const nearest = frac < 0.5 ? i0 : i1;
    out.f0Hz = (analysis.voiced[nearest] as number) !== 0 ? (analysis.f0Hz[nearest] as number) : 0;
  }
  lerpFrame(
    analysis.spectralEnvelope[i0] as Float32Array,
    analysis.spectralEnvelope[i1] as Float32Array,
    frac,
    out.envelope,
  );
  lerpFrame(
    analysis.aperiodicity[i0] as Float32Array,
    analysis.aperiodicity[i1] as Float32Array,
    frac,
    out.aperiodicity,
  );
}

function lerpFrame(a: Float32Array, b: Float32Array, frac: number, out: Float32Array): void {
  if (frac === 0) {
    out.set(a);
    return;
  }
  for (let k = 0; k < out.length; k++)
    out[k] = (a[k] as number) + ((b[k] as number) - (a[k] as number)) * frac;
}
