/** Source-filter synthesis from (F0, spectral envelope, aperiodicity). */
export {
  synthesizeVoice,
  defaultSynthesizeVoiceOptions,
  type SynthesizeVoiceOptions,
} from './synthesize-voice.js';
export {
  SourceFilterSynthesizer,
  defaultSynthesisOptions,
  type SynthesisOptions,
} from './source-filter-synthesizer.js';
export { PulseResponseBuilder, defaultPulseFftSize } from './pulse-response.js';
export { signalSource, type SourceSignal } from './source-signal.js';
export { MinimumPhaseFilter, resamplePowerSpectrum } from './minimum-phase.js';
