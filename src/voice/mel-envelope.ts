/**
 * The envelope axis of the timbre model: spectral envelopes (power per FFT bin, as the vocoder's
 * analysis gives them) are resampled as ln power at a fixed set of mel-spaced frequencies, so
 * profiles are independent of sample rate and FFT size, and so distances weigh frequencies
 * roughly as hearing does.
 */

/** Number of points on the envelope axis. */
export const ENVELOPE_AXIS_POINTS = 64;
/** Highest frequency of the envelope axis (Hz). Above it, conversion follows the source's envelope. */
export const ENVELOPE_AXIS_MAX_HZ = 12000;
/** Upper edge (Hz) of the band used for frame matching and level: present at every sample rate >= 16 kHz. */
export const MATCHING_BAND_MAX_HZ = 7600;
/** Smallest power the log takes (avoids -Infinity on zero bins). */
const POWER_FLOOR = 1e-20;

/** HTK mel scale: mel = 2595·log10(1 + f/700). */
export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

/** Inverse of hzToMel. */
export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/** The envelope axis (Hz): `points` frequencies equally spaced in mel from 0 to `maxHz`. */
export function melEnvelopeAxisHz(points = ENVELOPE_AXIS_POINTS, maxHz = ENVELOPE_AXIS_MAX_HZ): Float32Array {
  const axis = new Float32Array(points);
  const top = hzToMel(maxHz);
  for (let i = 0; i < points; i++) axis[i] = melToHz((top * i) / (points - 1));
  return axis;
}

/** Number of leading axis points at or below `maxHz`. */
export function axisPointsBelow(axisHz: Float32Array, maxHz: number): number {
  let n = 0;
  while (n < axisHz.length && (axisHz[n] as number) <= maxHz) n++;
  return n;
}

/** Converts between per-bin power envelopes of one (sampleRate, fftSize) and ln envelopes on the axis. */
export interface EnvelopeAxisMapper {
  readonly axisHz: Float32Array;
  readonly sampleRate: number;
  readonly fftSize: number;
  readonly binCount: number;
  /** Axis points at or below Nyquist (the rest are held at the last one). */
  readonly observedPoints: number;
  /** ln power at each axis point from a power envelope of binCount bins. */
  toAxis(power: Float32Array, out: Float32Array): void;
  /** Power per bin from ln power on the axis (bins above the axis top get the top value). */
  toBins(logAxis: Float32Array, out: Float32Array): void;
  /** Index of the first bin above the axis top (binCount when the axis covers Nyquist). */
  readonly firstBinAboveAxis: number;
}

/** Builds the interpolation tables between FFT bins and the envelope axis. */
export function createEnvelopeAxisMapper(
  sampleRate: number,
  fftSize: number,
  axisHz: Float32Array = melEnvelopeAxisHz(),
): EnvelopeAxisMapper {
  const binCount = fftSize / 2 + 1;
  const binHz = sampleRate / fftSize;
  const nyquist = sampleRate / 2;
  const points = axisHz.length;
  const observedPoints = Math.max(1, axisPointsBelow(axisHz, nyquist));
  // axis point → fractional bin
  const pLo = new Int32Array(points);
  const pW = new Float32Array(points);
  for (let j = 0; j < points; j++) {
    const f = Math.min(axisHz[j] as number, axisHz[observedPoints - 1] as number);
    const b = Math.min(f / binHz, binCount - 1);
    const lo = Math.min(Math.floor(b), binCount - 2);
    pLo[j] = lo;
    pW[j] = b - lo;
  }
  // bin → fractional axis index
  const axisTop = axisHz[points - 1] as number;
  let firstBinAboveAxis = binCount;
  const bLo = new Int32Array(binCount);
  const bW = new Float32Array(binCount);
  let j = 0;
  for (let k = 0; k < binCount; k++) {
    const f = k * binHz;
    if (f > axisTop) {
      if (firstBinAboveAxis === binCount) firstBinAboveAxis = k;
      bLo[k] = points - 2;
      bW[k] = 1;
      continue;
    }
    while (j < points - 2 && (axisHz[j + 1] as number) < f) j++;
    const a = axisHz[j] as number;
    const b = axisHz[j + 1] as number;
    bLo[k] = j;
    bW[k] = b > a ? Math.min(1, Math.max(0, (f - a) / (b - a))) : 0;
  }
  return {
    axisHz,
    sampleRate,
    fftSize,
    binCount,
    observedPoints,
    firstBinAboveAxis,
    toAxis(power, out) {
      for (let p = 0; p < points; p++) {
        const lo = pLo[p] as number;
        const w = pW[p] as number;
        const a = Math.log(Math.max(power[lo] as number, POWER_FLOOR));
        const b = Math.log(Math.max(power[lo + 1] as number, POWER_FLOOR));
        out[p] = a + w * (b - a);
      }
    },
    toBins(logAxis, out) {
      for (let k = 0; k < binCount; k++) {
        const lo = bLo[k] as number;
        const w = bW[k] as number;
        const a = logAxis[lo] as number;
        const b = logAxis[lo + 1] as number;
        out[k] = Math.exp(a + w * (b - a));
      }
    },
  };
}

/** Mean of `values[0..count)` (the level of an ln envelope over the matching band). */
export function meanOf(values: Float32Array, count: number): number {
  let s = 0;
  for (let i = 0; i < count; i++) s += values[i] as number;
  return count > 0 ? s / count : 0;
}
