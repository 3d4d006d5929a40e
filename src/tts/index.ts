/** Text-to-speech: engines behind one interface, text handling, synthesis and voice listing. */
export type { TtsEngine, TtsEngineId, TtsVoice, EngineSynthesisRequest } from './tts-engine.js';
export {
  TtsEngineRegistry,
  createTtsRegistry,
  defaultTtsRegistry,
  preloadTtsEngines,
  configureDefaultTtsRegistry,
  type TtsEngineLoader,
  type TtsRegistryOptions,
} from './tts-registry.js';
export {
  synthesizeSpeech,
  synthesizeSpeechStream,
  listTtsVoices,
  resolveTtsVoice,
  concatAudio,
  type SynthesizeSpeechOptions,
  type ListTtsVoicesOptions,
  type ResolvedTtsVoice,
} from './synthesize-speech.js';
export {
  planSpeech,
  validateProsody,
  defaultSpeechPlanOptions,
  type SpeechSegment,
  type SpeechPlanOptions,
} from './text/speech-plan.js';
export { parseSsml, looksLikeSsml, type SsmlPiece } from './text/ssml.js';
export { sanitizeText } from './text/sanitize-text.js';
export { splitSentences } from './text/split-sentences.js';
export { SerialExecutor } from './serial-executor.js';
