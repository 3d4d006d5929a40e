// The public face of src/audio: decode/encode at the edges, and the operations on RawAudio.
export * from './raw-audio.js';
export * from './audio-info.js';
export { decodeAudio } from './decode/decode-audio.js';
export { detectAudioFormat, type DetectedFormat } from './decode/detect-format.js';
export * from './encode/encode-audio.js';
export * from './audio-file.js';
export * from './resample.js';
export * from './channels.js';
export * from './validate-samples.js';
export * from './loudness.js';
export * from './limiter.js';
export { truePeakEnvelope, truePeakOversampling } from './true-peak.js';
export { applyKWeighting, kWeightingShelf, kWeightingHighPass } from './k-weighting.js';
export * from './edit.js';
