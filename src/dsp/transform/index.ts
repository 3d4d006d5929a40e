/** Transformations on a VoiceAnalysis (pure: each returns a new analysis). */
export { shiftPitch, replaceF0 } from './pitch-transforms.js';
export { shiftFormants } from './formant-shift.js';
export { applySpectralTilt, defaultSpectralTiltOptions, type SpectralTiltOptions } from './spectral-tilt.js';
export { scaleBreathiness } from './breathiness.js';
export { stretchTime, interpolateFrame, type InterpolatedFrame } from './time-stretch.js';
