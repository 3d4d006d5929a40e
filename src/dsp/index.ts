/**
 * Public API of the analysis/synthesis engine: F0 (re-exported from ./pitch), spectral envelope,
 * aperiodicity, the source-filter synthesiser, transforms and the streaming vocoder.
 */
export * from './pitch/index.js';
export {
  analyzeVoice,
  capAperiodicity,
  defaultVoiceAnalysisOptions,
  f0Slope,
  frameCenterSample,
  voiceFrameCount,
  VoiceFrameAnalyzer,
  type F0Contour,
  type VoiceAnalysis,
  type VoiceAnalysisOptions,
} from './analysis.js';
export * from './envelope/index.js';
export * from './aperiodicity/index.js';
export * from './synthesis/index.js';
export * from './transform/index.js';
export * from './streaming/index.js';
export {
  refineAnalysis,
  defaultAnalysisRefinementOptions,
  type AnalysisRefinementOptions,
} from './analysis-refinement.js';
export { allocateFrames } from './frame-storage.js';
export {
  repairF0Glitches,
  repairF0Frame,
  createF0RepairState,
  defaultF0RepairOptions,
  type F0RepairOptions,
  type F0RepairState,
} from './f0-glitch-repair.js';
export { getRealFft, nextPowerOfTwo, RealFft } from './fft.js';
export { makeWindow, kaiserWindow, besselI0, type WindowName } from './window.js';
export {
  stft,
  istft,
  stftFrameCount,
  defaultStftOptions,
  type Spectrogram,
  type StftOptions,
} from './stft.js';
