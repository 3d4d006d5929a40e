import { AutoVoiceError } from '../errors/index.js';

/**
 * Diagonal-covariance Gaussian mixture models: EM training (k-means++ seeding from a fixed-seed
 * generator and a few k-means iterations, so training is deterministic), per-frame log-likelihood, and MAP adaptation of the
 * means (Reynolds et al., "Speaker verification using adapted Gaussian mixture models", 2000).
 */
export interface DiagonalGmm {
  /** Mixture weights (sum 1). */
  weights: Float64Array;
  /** Component means, K × D. */
  means: Float64Array[];
  /** Component variances (diagonal), K × D. */
  variances: Float64Array[];
}

export interface GmmTrainingOptions {
  /** Number of mixture components. */
  components: number;
  /** EM iterations after seeding. */
  iterations: number;
  /** Variance floor as a fraction of the data's global per-dimension variance. */
  varianceFloorRatio: number;
  /** Seed of the deterministic generator used for k-means++ seeding. */
  seed: number;
}

export const defaultGmmTrainingOptions: GmmTrainingOptions = { components: 32, iterations: 12, varianceFloorRatio: 0.01, seed: 12345 };

const LOG_2PI = Math.log(2 * Math.PI);

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function sqDist(a: Float32Array, b: Float64Array): number {
  let s = 0;
  for (let d = 0; d < b.length; d++) {
    const v = (a[d] as number) - (b[d] as number);
    s += v * v;
  }
  return s;
}

/** Per-component log-density constants: log w_k − ½·Σ_d log(2π σ²_kd). */
function componentConstants(gmm: DiagonalGmm): Float64Array {
  const K = gmm.weights.length;
  const out = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const v = gmm.variances[k] as Float64Array;
    let s = 0;
    for (let d = 0; d < v.length; d++) s += LOG_2PI + Math.log(v[d] as number);
    out[k] = Math.log(Math.max(gmm.weights[k] as number, 1e-300)) - 0.5 * s;
  }
  return out;
}

/**
 * Fills `logp` (length K) with log(w_k·N(x | μ_k, Σ_k)) and returns log p(x) (log-sum-exp).
 */
function componentLogLikelihoods(gmm: DiagonalGmm, constants: Float64Array, x: Float32Array, logp: Float64Array): number {
  const K = gmm.weights.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) {
    const mu = gmm.means[k] as Float64Array;
    const v = gmm.variances[k] as Float64Array;
    let s = 0;
    for (let d = 0; d < mu.length; d++) {
      const diff = (x[d] as number) - (mu[d] as number);
      s += (diff * diff) / (v[d] as number);
    }
    const l = (constants[k] as number) - 0.5 * s;
    logp[k] = l;
    if (l > max) max = l;
  }
  let sum = 0;
  for (let k = 0; k < K; k++) sum += Math.exp((logp[k] as number) - max);
  return max + Math.log(sum);
}

/** Mean per-frame log-likelihood (nats) of `frames` under `gmm`. */
export function gmmMeanLogLikelihood(gmm: DiagonalGmm, frames: readonly Float32Array[]): number {
  if (frames.length === 0) return Number.NaN;
  const constants = componentConstants(gmm);
  const logp = new Float64Array(gmm.weights.length);
  let total = 0;
  for (const x of frames) total += componentLogLikelihoods(gmm, constants, x, logp);
  return total / frames.length;
}

/** Trains a diagonal GMM on `frames` (N × D feature vectors) by k-means++ seeding and EM. */
export function trainGmm(frames: readonly Float32Array[], options: Partial<GmmTrainingOptions> = {}): DiagonalGmm {
  const opts: GmmTrainingOptions = { ...defaultGmmTrainingOptions, ...options };
  const N = frames.length;
  const K = opts.components;
  if (!Number.isInteger(K) || K < 1) throw new AutoVoiceError('quality.invalid_input', `components must be a positive integer, got ${K}.`);
  if (N < K * 2) {
    throw new AutoVoiceError('quality.invalid_input', `A ${K}-component GMM needs at least ${K * 2} frames, got ${N}; give more audio or fewer components.`);
  }
  const D = (frames[0] as Float32Array).length;
  // Global statistics for the variance floor and the initial variances.
  const gMean = new Float64Array(D);
  const gVar = new Float64Array(D);
  for (const x of frames) for (let d = 0; d < D; d++) gMean[d] = (gMean[d] as number) + (x[d] as number) / N;
  for (const x of frames) for (let d = 0; d < D; d++) gVar[d] = (gVar[d] as number) + ((x[d] as number) - (gMean[d] as number)) ** 2 / N;
  const floor = Float64Array.from(gVar, (v) => Math.max(v * opts.varianceFloorRatio, 1e-8));

  // k-means++ seeding.
  const rand = lcg(opts.seed);
  const means: Float64Array[] = [Float64Array.from(frames[Math.floor(rand() * N)] as Float32Array)];
  const nearest = new Float64Array(N).fill(Number.POSITIVE_INFINITY);
  while (means.length < K) {
    const last = means[means.length - 1] as Float64Array;
    let total = 0;
    for (let i = 0; i < N; i++) {
      const d = sqDist(frames[i] as Float32Array, last);
      if (d < (nearest[i] as number)) nearest[i] = d;
      total += nearest[i] as number;
    }
    let r = rand() * total;
    let pick = N - 1;
    for (let i = 0; i < N; i++) {
      r -= nearest[i] as number;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    means.push(Float64Array.from(frames[pick] as Float32Array));
  }
  // A few Lloyd (k-means) iterations, then per-cluster weights and variances: starting EM from
  // broad global variances lets one low-variance dimension decide all responsibilities.
  const assign = new Int32Array(N);
  for (let it = 0; it < 5; it++) {
    for (let i = 0; i < N; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let k = 0; k < K; k++) {
        const d = sqDist(frames[i] as Float32Array, means[k] as Float64Array);
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      }
      assign[i] = best;
    }
    const counts = new Float64Array(K);
    const sums = Array.from({ length: K }, () => new Float64Array(D));
    for (let i = 0; i < N; i++) {
      const k = assign[i] as number;
      counts[k] = (counts[k] as number) + 1;
      const sk = sums[k] as Float64Array;
      const x = frames[i] as Float32Array;
      for (let d = 0; d < D; d++) sk[d] = (sk[d] as number) + (x[d] as number);
    }
    for (let k = 0; k < K; k++) {
      const c = counts[k] as number;
      if (c > 0) means[k] = Float64Array.from(sums[k] as Float64Array, (v) => v / c);
    }
  }
  const counts = new Float64Array(K);
  const variances = Array.from({ length: K }, () => new Float64Array(D));
  for (let i = 0; i < N; i++) {
    const k = assign[i] as number;
    counts[k] = (counts[k] as number) + 1;
    const vk = variances[k] as Float64Array;
    const mk = means[k] as Float64Array;
    const x = frames[i] as Float32Array;
    for (let d = 0; d < D; d++) vk[d] = (vk[d] as number) + ((x[d] as number) - (mk[d] as number)) ** 2;
  }
  const gmm: DiagonalGmm = {
    weights: Float64Array.from(counts, (c) => Math.max(c, 1) / N),
    means,
    variances: variances.map((vk, k) =>
      Float64Array.from(vk, (v, d) => ((counts[k] as number) > 1 ? Math.max(v / (counts[k] as number), floor[d] as number) : (gVar[d] as number))),
    ),
  };

  const logp = new Float64Array(K);
  for (let it = 0; it < opts.iterations; it++) {
    const constants = componentConstants(gmm);
    const n = new Float64Array(K);
    const sx = Array.from({ length: K }, () => new Float64Array(D));
    const sxx = Array.from({ length: K }, () => new Float64Array(D));
    for (const x of frames) {
      const total = componentLogLikelihoods(gmm, constants, x, logp);
      for (let k = 0; k < K; k++) {
        const g = Math.exp((logp[k] as number) - total);
        if (g < 1e-8) continue;
        n[k] = (n[k] as number) + g;
        const a = sx[k] as Float64Array;
        const b = sxx[k] as Float64Array;
        for (let d = 0; d < D; d++) {
          const v = x[d] as number;
          a[d] = (a[d] as number) + g * v;
          b[d] = (b[d] as number) + g * v * v;
        }
      }
    }
    for (let k = 0; k < K; k++) {
      const nk = n[k] as number;
      if (nk < 1e-3) {
        // A starved component restarts on a random frame rather than dying.
        gmm.means[k] = Float64Array.from(frames[Math.floor(rand() * N)] as Float32Array);
        gmm.variances[k] = Float64Array.from(gVar);
        gmm.weights[k] = 1 / N;
        continue;
      }
      const mu = gmm.means[k] as Float64Array;
      const v = gmm.variances[k] as Float64Array;
      for (let d = 0; d < D; d++) {
        const m = ((sx[k] as Float64Array)[d] as number) / nk;
        mu[d] = m;
        v[d] = Math.max(((sxx[k] as Float64Array)[d] as number) / nk - m * m, floor[d] as number);
      }
      gmm.weights[k] = nk / N;
    }
    let wsum = 0;
    for (const w of gmm.weights) wsum += w;
    for (let k = 0; k < K; k++) gmm.weights[k] = (gmm.weights[k] as number) / wsum;
  }
  return gmm;
}

/**
 * MAP adaptation of the UBM's means to `frames` with relevance factor `relevance` (default 16):
 * μ_k' = α_k·E_k[x] + (1 − α_k)·μ_k with α_k = n_k / (n_k + relevance). Weights and variances are
 * shared with the UBM.
 */
export function mapAdaptMeans(ubm: DiagonalGmm, frames: readonly Float32Array[], relevance = 16): DiagonalGmm {
  const K = ubm.weights.length;
  const D = (ubm.means[0] as Float64Array).length;
  const constants = componentConstants(ubm);
  const logp = new Float64Array(K);
  const n = new Float64Array(K);
  const sx = Array.from({ length: K }, () => new Float64Array(D));
  for (const x of frames) {
    const total = componentLogLikelihoods(ubm, constants, x, logp);
    for (let k = 0; k < K; k++) {
      const g = Math.exp((logp[k] as number) - total);
      if (g < 1e-8) continue;
      n[k] = (n[k] as number) + g;
      const a = sx[k] as Float64Array;
      for (let d = 0; d < D; d++) a[d] = (a[d] as number) + g * (x[d] as number);
    }
  }
  const means = ubm.means.map((mu, k) => {
    const nk = n[k] as number;
    if (nk <= 0) return Float64Array.from(mu);
    const alpha = nk / (nk + relevance);
    return Float64Array.from(mu, (m, d) => alpha * (((sx[k] as Float64Array)[d] as number) / nk) + (1 - alpha) * m);
  });
  return { weights: ubm.weights, variances: ubm.variances, means };
}
