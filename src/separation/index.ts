// The public face of src/separation: one entry point, engines registered by id.
export * from './separation-types.js';
export * from './separate-vocals.js';
export {
  listSeparationEngines,
  registerSeparationEngine,
  getSeparationEngine,
} from './separation-registry.js';
export { separateVocalsDsp, defaultDspSeparatorOptions, type DspSeparatorOptions } from './dsp-separator.js';
// The ONNX engine is loaded through the registry only (it pulls in onnxruntime).
export type { MdxOnnxOptions } from './mdx-onnx-separator.js';
export { computeMelodySalience, suppressStationaryPartials, type MelodySalience } from './melody-salience.js';
export { trackMelody, type MelodyTrack } from './melody-tracker.js';
