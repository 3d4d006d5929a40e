import { AutoVoiceError } from '../../errors/index.js';
import type { VoiceAnalysis } from '../analysis.js';
import {
  SourceFilterSynthesizer,
  defaultSynthesisOptions,
  type SynthesisOptions,
} from './source-filter-synthesizer.js';

/** Options of `synthesizeVoice` (see `SynthesisOptions`), plus an output length override. */
export interface SynthesizeVoiceOptions extends SynthesisOptions {
  /** Output length in samples; 0 = analysis.signalLength. */
  lengthSamples: number;
}

export const defaultSynthesizeVoiceOptions: SynthesizeVoiceOptions = {
  ...defaultSynthesisOptions,
  lengthSamples: 0,
};

/**
 * Renders a VoiceAnalysis back to audio with the source-filter synthesiser.
 * @returns mono samples at analysis.sampleRate, analysis.signalLength long (unless overridden).
 */
export function synthesizeVoice(
  analysis: VoiceAnalysis,
  options: Partial<SynthesizeVoiceOptions> = {},
): Float32Array {
  const opts: SynthesizeVoiceOptions = { ...defaultSynthesizeVoiceOptions, ...options };
  const frames = analysis.f0Hz.length;
  if (analysis.spectralEnvelope.length !== frames || analysis.aperiodicity.length !== frames) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `analysis has ${frames} F0 frames but ${analysis.spectralEnvelope.length} envelope and ${analysis.aperiodicity.length} aperiodicity frames`,
    );
  }
  const length = opts.lengthSamples > 0 ? opts.lengthSamples : analysis.signalLength;
  const out = new Float32Array(length);
  if (frames === 0 || length === 0) return out;
  const synth = new SourceFilterSynthesizer(
    analysis.sampleRate,
    analysis.framePeriodMs,
    analysis.fftSize,
    opts,
  );
  let written = 0;
  for (let t = 0; t < frames; t++) {
    const voiced = (analysis.voiced[t] as number) !== 0;
    synth.pushFrame(
      voiced ? (analysis.f0Hz[t] as number) : 0,
      analysis.spectralEnvelope[t] as Float32Array,
      analysis.aperiodicity[t] as Float32Array,
    );
    written += synth.readInto(out, written);
    if (written >= length) break;
  }
  synth.finish();
  synth.readInto(out, written);
  return out;
}
