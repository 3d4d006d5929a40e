/** Source-filter synthesis from (F0, spectral envelope, aperiodicity). */
export {
  synthesizeVoice,
  defaultSynthesizeVoiceOptions,
  type SynthesizeVoiceOptions,
} from './synthesize-voice.js';
export {
  SourceFilterSynthesizer,
  defaultSynthesisOptions,
  defaultPulseFftSize,
  signalSource,
  type SourceSignal,
  type SynthesisOptions,
} from './source-filter-synthesizer.js';
export { MinimumPhaseFilter, resamplePowerSpectrum } from './minimum-phase.js';
