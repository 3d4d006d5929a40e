/**
 * Frame selection by k-nearest-neighbour regression over the target's own spectral frames (the
 * idea behind kNN-VC and exemplar-based conversion, here on envelopes instead of learned
 * features): every source frame is described by speaker-normalised cepstral features (its ln
 * envelope, VTLN-warped toward the target, minus the speaker's mean envelope, then a DCT over the
 * matching band), and replaced by the average of the k target frames nearest in that space.
 */

/** Options of the matching features. */
export interface MatchingFeatureOptions {
  /** Cepstral coefficients kept (c1..cD; c0 — the level — is left out). */
  coefficientCount: number;
  /** Axis points of the matching band (from the start of the axis). */
  bandPoints: number;
}

/** A DCT-II basis of `coefficientCount` rows (c1..cD) over `bandPoints` points, row-major. */
export function createCepstralBasis(options: MatchingFeatureOptions): Float32Array {
  const { coefficientCount: d, bandPoints: m } = options;
  const basis = new Float32Array(d * m);
  for (let c = 0; c < d; c++) {
    for (let j = 0; j < m; j++)
      basis[c * m + j] = Math.cos((Math.PI * (c + 1) * (j + 0.5)) / m) * Math.sqrt(2 / m);
  }
  return basis;
}

/**
 * Features of `frameCount` ln envelopes (frame-major, `stride` values each): for each frame,
 * basis · (env − mean) over the matching band. Returns frameCount × coefficientCount values.
 */
export function computeMatchingFeatures(
  envelopes: Float32Array,
  frameCount: number,
  stride: number,
  meanEnvelope: Float32Array,
  basis: Float32Array,
  options: MatchingFeatureOptions,
): Float32Array {
  const { coefficientCount: d, bandPoints: m } = options;
  const out = new Float32Array(frameCount * d);
  const centred = new Float32Array(m);
  for (let t = 0; t < frameCount; t++) {
    const base = t * stride;
    for (let j = 0; j < m; j++) centred[j] = (envelopes[base + j] as number) - (meanEnvelope[j] as number);
    for (let c = 0; c < d; c++) {
      let s = 0;
      const row = c * m;
      for (let j = 0; j < m; j++) s += (basis[row + j] as number) * (centred[j] as number);
      out[t * d + c] = s;
    }
  }
  return out;
}

/**
 * The `k` nearest codebook rows (squared Euclidean distance) to `query` (length d), written to
 * `outIndex` (ascending distance) with their distances in `outDistance`. Brute force with
 * partial-distance early exit: codebooks hold a few thousand frames, and this is exact.
 */
export function findNearestFrames(
  query: Float32Array,
  codebook: Float32Array,
  codebookFrames: number,
  d: number,
  k: number,
  outIndex: Int32Array,
  outDistance: Float64Array,
): number {
  const kk = Math.min(k, codebookFrames);
  outDistance.fill(Infinity, 0, kk);
  outIndex.fill(-1, 0, kk);
  for (let n = 0; n < codebookFrames; n++) {
    const worst = outDistance[kk - 1] as number;
    let dist = 0;
    const base = n * d;
    let c = 0;
    for (; c < d; c++) {
      const diff = (query[c] as number) - (codebook[base + c] as number);
      dist += diff * diff;
      if (dist >= worst) break;
    }
    if (c < d) continue;
    // Insert into the sorted k-best list.
    let pos = kk - 1;
    while (pos > 0 && (outDistance[pos - 1] as number) > dist) {
      outDistance[pos] = outDistance[pos - 1] as number;
      outIndex[pos] = outIndex[pos - 1] as number;
      pos--;
    }
    outDistance[pos] = dist;
    outIndex[pos] = n;
  }
  return kk;
}

/** out = mean of the codebook envelopes (`stride` values each) at `indices[0..count)`. */
export function averageFrames(
  envelopes: Float32Array,
  stride: number,
  indices: Int32Array,
  count: number,
  out: Float32Array,
): void {
  out.fill(0, 0, stride);
  for (let i = 0; i < count; i++) {
    const base = (indices[i] as number) * stride;
    for (let j = 0; j < stride; j++) out[j] = (out[j] as number) + (envelopes[base + j] as number);
  }
  const inv = 1 / Math.max(1, count);
  for (let j = 0; j < stride; j++) out[j] = (out[j] as number) * inv;
}
