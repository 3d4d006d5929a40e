/** Pitch-adaptive spectral envelope (CheapTrick-like). */
export {
  EnvelopeAnalyzer,
  defaultSpectralEnvelopeOptions,
  envelopeFftSize,
  ENVELOPE_FLOOR_POWER,
  type SpectralEnvelopeOptions,
} from './cheap-trick.js';
