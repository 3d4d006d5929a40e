/**
 * Vocal-tract-length normalisation (VTLN) on ln envelopes sampled on the envelope axis: a
 * piecewise-linear frequency warp f → α·f (α > 1 moves formants up, as from a longer to a shorter
 * vocal tract), bent back at the top so the band edge maps onto itself, and the estimation of α
 * between two average envelopes by grid search.
 */

/** Options of estimateWarpFactor. */
export interface WarpEstimateOptions {
  /** Smallest and largest warp factor tried. */
  minFactor: number;
  maxFactor: number;
  /** Grid step, as a ratio (0.005 = 0.5 %). */
  stepRatio: number;
  /** Band compared (Hz). */
  bandLowHz: number;
  bandHighHz: number;
}

export const defaultWarpEstimateOptions: WarpEstimateOptions = {
  minFactor: 0.75,
  maxFactor: 1.35,
  stepRatio: 0.005,
  bandLowHz: 150,
  bandHighHz: 5500,
};

/** Fraction of the band top below which the warp is linear (f → α·f). */
const WARP_KNEE = 0.8;

/** Inverse of the warp: the input frequency that lands on `fHz` after warping with `alpha` over [0, topHz]. */
export function inverseWarpHz(fHz: number, alpha: number, topHz: number): number {
  const knee = (WARP_KNEE * topHz) / Math.max(alpha, 1);
  const kneeOut = alpha * knee;
  if (fHz <= kneeOut) return fHz / alpha;
  // Straight line from (knee → kneeOut) to (top → top).
  const t = (fHz - kneeOut) / (topHz - kneeOut);
  return knee + t * (topHz - knee);
}

/** A precomputed warp of ln envelopes on one axis. */
export interface EnvelopeWarp {
  readonly alpha: number;
  /** out[j] = env(inverseWarp(axis[j])) by linear interpolation on the axis. */
  apply(logEnvelope: Float32Array, out: Float32Array): void;
}

/** Builds the warp by `alpha` over the whole axis (top = last axis point). */
export function createEnvelopeWarp(axisHz: Float32Array, alpha: number): EnvelopeWarp {
  const n = axisHz.length;
  const top = axisHz[n - 1] as number;
  const lo = new Int32Array(n);
  const w = new Float32Array(n);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const src = inverseWarpHz(axisHz[i] as number, alpha, top);
    while (j < n - 2 && (axisHz[j + 1] as number) < src) j++;
    while (j > 0 && (axisHz[j] as number) > src) j--;
    const a = axisHz[j] as number;
    const b = axisHz[j + 1] as number;
    lo[i] = j;
    w[i] = Math.min(1, Math.max(0, (src - a) / (b - a)));
  }
  return {
    alpha,
    apply(env, out) {
      if (alpha === 1) {
        out.set(env.subarray(0, n));
        return;
      }
      for (let i = 0; i < n; i++) {
        const l = lo[i] as number;
        const a = env[l] as number;
        out[i] = a + (w[i] as number) * ((env[l + 1] as number) - a);
      }
    },
  };
}

/** Residual energy of `d` after removing its least-squares line (level and tilt). */
function detrendedEnergy(d: Float64Array, n: number): number {
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const y = d[i] as number;
    sx += i;
    sy += y;
    sxx += i * i;
    sxy += i * y;
  }
  const den = n * sxx - sx * sx;
  const b = den !== 0 ? (n * sxy - sx * sy) / den : 0;
  const a = (sy - b * sx) / n;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const r = (d[i] as number) - a - b * i;
    e += r * r;
  }
  return e;
}

/**
 * The warp factor α that best maps `sourceLogEnvelope` onto `targetLogEnvelope` (both ln power
 * on `axisHz`): the α minimising the squared difference over the compared band after removing
 * level and spectral tilt (the equaliser takes care of those).
 */
export function estimateWarpFactor(
  sourceLogEnvelope: Float32Array,
  targetLogEnvelope: Float32Array,
  axisHz: Float32Array,
  options: Partial<WarpEstimateOptions> = {},
): number {
  const opts: WarpEstimateOptions = { ...defaultWarpEstimateOptions, ...options };
  const n = axisHz.length;
  let first = 0;
  while (first < n && (axisHz[first] as number) < opts.bandLowHz) first++;
  let last = first;
  while (last < n && (axisHz[last] as number) <= opts.bandHighHz) last++;
  const count = last - first;
  if (count < 4) return 1;
  const warped = new Float32Array(n);
  const diff = new Float64Array(count);
  let best = 1;
  let bestCost = Infinity;
  for (let alpha = opts.minFactor; alpha <= opts.maxFactor * (1 + 1e-9); alpha *= 1 + opts.stepRatio) {
    createEnvelopeWarp(axisHz, alpha).apply(sourceLogEnvelope, warped);
    for (let i = 0; i < count; i++)
      diff[i] = (warped[first + i] as number) - (targetLogEnvelope[first + i] as number);
    // A mild prior toward α = 1 keeps flat, uninformative envelopes from drifting to the edges.
    const cost = detrendedEnergy(diff, count) + 0.5 * count * Math.log(alpha) ** 2;
    if (cost < bestCost) {
      bestCost = cost;
      best = alpha;
    }
  }
  return best;
}

/**
 * A reference ln envelope on `axisHz`: a neutral (uniform-tube, 17 cm) vocal tract — resonances at
 * 500, 1500, 2500, … Hz over a −12 dB/octave source tilt. Profiles report their warp against it.
 */
export function referenceLogEnvelope(axisHz: Float32Array): Float32Array {
  const out = new Float32Array(axisHz.length);
  for (let i = 0; i < axisHz.length; i++) {
    const f = Math.max(axisHz[i] as number, 50);
    let db = -12 * Math.log2(f / 100);
    for (let k = 0; k < 8; k++) {
      const fc = 500 * (2 * k + 1);
      const bw = 80 + 0.05 * fc;
      db += 12 / (1 + ((f - fc) / bw) ** 2);
    }
    out[i] = (db / 10) * Math.LN10;
  }
  return out;
}
