/** Band aperiodicity (inter-harmonic valley to total power). */
export {
  AperiodicityAnalyzer,
  defaultAperiodicityOptions,
  type AperiodicityOptions,
} from './band-aperiodicity.js';
