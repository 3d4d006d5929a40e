/**
 * Soft, Wiener-like combination of source estimates. Each cue (harmonic comb, centre panning,
 * harmonic-vs-percussive) gives a prior probability that a time-frequency bin belongs to the
 * vocal; their product times the mixture power is a vocal power estimate, the complement an
 * accompaniment power estimate. Both are smoothed over a small time-frequency neighbourhood —
 * a power spectral density is a local average, and smoothing keeps masks from "musical noise" —
 * and the mask is the generalised Wiener gain V^p / (V^p + A^p).
 */

/** Options of the Wiener-like mask. */
export interface WienerMaskOptions {
  /** Exponent p of the generalised Wiener gain (1 = power-domain Wiener). */
  exponent: number;
  /** Smoothing half-width along frequency, bins. */
  smoothingBins: number;
  /** Smoothing half-width along time, frames. */
  smoothingFrames: number;
}

export const defaultWienerMaskOptions: WienerMaskOptions = {
  exponent: 1,
  smoothingBins: 1,
  smoothingFrames: 1,
};

function boxSmooth(frames: Float32Array[], halfBins: number, halfFrames: number): Float32Array[] {
  const count = frames.length;
  const bins = frames[0]?.length ?? 0;
  // Along frequency (running sum), then along time.
  const freq = frames.map((row) => {
    const out = new Float32Array(bins);
    let sum = 0;
    for (let k = 0; k < Math.min(bins, halfBins); k++) sum += row[k] as number;
    for (let k = 0; k < bins; k++) {
      if (k + halfBins < bins) sum += row[k + halfBins] as number;
      if (k - halfBins - 1 >= 0) sum -= row[k - halfBins - 1] as number;
      out[k] = sum;
    }
    return out;
  });
  if (halfFrames === 0) return freq;
  const out = frames.map(() => new Float32Array(bins));
  const acc = new Float64Array(bins);
  for (let t = 0; t < Math.min(count, halfFrames); t++)
    for (let k = 0; k < bins; k++) acc[k] = (acc[k] as number) + ((freq[t] as Float32Array)[k] as number);
  for (let t = 0; t < count; t++) {
    const add = freq[t + halfFrames];
    if (add !== undefined) for (let k = 0; k < bins; k++) acc[k] = (acc[k] as number) + (add[k] as number);
    const drop = t - halfFrames - 1 >= 0 ? freq[t - halfFrames - 1] : undefined;
    if (drop !== undefined) for (let k = 0; k < bins; k++) acc[k] = (acc[k] as number) - (drop[k] as number);
    const row = out[t] as Float32Array;
    for (let k = 0; k < bins; k++) row[k] = Math.max(0, acc[k] as number);
  }
  return out;
}

/**
 * Wiener-like vocal mask (values in [0, 1], frame-major) from the mixture power `power` and the
 * vocal prior `vocalPrior` (same shape, values in [0, 1]).
 */
export function computeWienerMask(
  power: readonly Float32Array[],
  vocalPrior: readonly Float32Array[],
  options: Partial<WienerMaskOptions> = {},
): Float32Array[] {
  const opts: WienerMaskOptions = { ...defaultWienerMaskOptions, ...options };
  const vocal = power.map((row, t) => row.map((p, k) => p * ((vocalPrior[t] as Float32Array)[k] as number)));
  const accomp = power.map((row, t) =>
    row.map((p, k) => p * (1 - ((vocalPrior[t] as Float32Array)[k] as number))),
  );
  const vs = boxSmooth(vocal, opts.smoothingBins, opts.smoothingFrames);
  const as = boxSmooth(accomp, opts.smoothingBins, opts.smoothingFrames);
  const e = opts.exponent;
  // The result overwrites the smoothed vocal power (no further allocation).
  for (let t = 0; t < vs.length; t++) {
    const row = vs[t] as Float32Array;
    const acc = as[t] as Float32Array;
    for (let k = 0; k < row.length; k++) {
      const v = row[k] as number;
      if (v <= 0) {
        row[k] = 0;
        continue;
      }
      const a = acc[k] as number;
      const ve = e === 1 ? v : v ** e;
      const ae = e === 1 ? a : a ** e;
      row[k] = ve + ae > 1e-30 ? ve / (ve + ae) : 0;
    }
  }
  return vs;
}
