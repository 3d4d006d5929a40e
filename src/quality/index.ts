// Public surface of src/quality: pure metrics over signals, F0 tracks and features.
export * from './pitch-accuracy.js';
export * from './si-sdr.js';
export * from './mfcc.js';
export * from './dtw.js';
export * from './mel-cepstrum.js';
export * from './speaker-embedding.js';
export * from './snr-estimate.js';
export * from './clipping.js';
export * from './result-metrics.js';
export * from './gmm.js';
export * from './speaker-id.js';
