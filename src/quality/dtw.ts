import { AutoVoiceError } from '../errors/index.js';

/**
 * Dynamic time warping between two feature sequences with a Sakoe–Chiba band around the (length-
 * corrected) diagonal, so time and memory are O(n·band) rather than O(n·m). Steps (1,0), (0,1),
 * (1,1); the path starts at (0,0) and ends at (n−1, m−1).
 */
export interface DtwOptions {
  /** Band half-width in frames around the diagonal; the effective band is max(this, fraction·longer length). */
  bandRadiusFrames: number;
  /** Band half-width as a fraction of the longer sequence length. */
  bandFraction: number;
  /** Frame distance: Euclidean over all dimensions, or over dimensions from `firstDimension` on. */
  firstDimension: number;
}

export const defaultDtwOptions: DtwOptions = { bandRadiusFrames: 10, bandFraction: 0.15, firstDimension: 0 };

/** The alignment: paired frame indices along the optimal path and its costs. */
export interface DtwAlignment {
  /** Index into `a` for each path step. */
  pathA: Int32Array;
  /** Index into `b` for each path step. */
  pathB: Int32Array;
  /** Sum of frame distances along the path. */
  totalCost: number;
  /** totalCost / path length. */
  meanCost: number;
}

function frameDistance(x: Float32Array, y: Float32Array, from: number): number {
  let s = 0;
  const n = Math.min(x.length, y.length);
  for (let d = from; d < n; d++) {
    const v = (x[d] as number) - (y[d] as number);
    s += v * v;
  }
  return Math.sqrt(s);
}

/**
 * Aligns sequences `a` (n frames) and `b` (m frames) of equal-dimension feature vectors by DTW with
 * a band constraint (see DtwOptions). Returns the optimal path and its Euclidean cost.
 */
export function dtwAlign(a: readonly Float32Array[], b: readonly Float32Array[], options: Partial<DtwOptions> = {}): DtwAlignment {
  const opts: DtwOptions = { ...defaultDtwOptions, ...options };
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) {
    throw new AutoVoiceError('quality.invalid_input', `dtwAlign needs two non-empty sequences (got ${n} and ${m} frames).`);
  }
  if (!(opts.bandRadiusFrames >= 0) || !(opts.bandFraction >= 0)) {
    throw new AutoVoiceError('quality.invalid_input', 'bandRadiusFrames and bandFraction must be >= 0.');
  }
  // The band must at least cover the slope change so that (n−1, m−1) stays reachable.
  const radius = Math.max(1, Math.ceil(Math.max(opts.bandRadiusFrames, opts.bandFraction * Math.max(n, m))));
  const slope = n > 1 ? (m - 1) / (n - 1) : 0;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const centre = i * slope;
    lo[i] = Math.max(0, Math.floor(centre - radius));
    hi[i] = Math.min(m - 1, Math.ceil(centre + radius));
  }
  // Rows stay connected: each row's window must overlap the previous one.
  for (let i = 1; i < n; i++) if ((lo[i] as number) > (hi[i - 1] as number)) lo[i] = hi[i - 1] as number;
  lo[0] = 0;
  hi[n - 1] = m - 1;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i] as number) + (hi[i] as number) - (lo[i] as number) + 1;
  const cells = offsets[n] as number;
  const cost = new Float64Array(cells).fill(Number.POSITIVE_INFINITY);
  // 0 = diagonal, 1 = from (i−1, j), 2 = from (i, j−1)
  const step = new Uint8Array(cells);
  const at = (i: number, j: number): number => {
    if (i < 0 || j < (lo[i] as number) || j > (hi[i] as number)) return Number.POSITIVE_INFINITY;
    return cost[(offsets[i] as number) + j - (lo[i] as number)] as number;
  };
  for (let i = 0; i < n; i++) {
    const base = offsets[i] as number;
    const rowLo = lo[i] as number;
    for (let j = rowLo; j <= (hi[i] as number); j++) {
      const d = frameDistance(a[i] as Float32Array, b[j] as Float32Array, opts.firstDimension);
      let best: number;
      let dir = 0;
      if (i === 0 && j === 0) {
        best = 0;
      } else {
        best = at(i - 1, j - 1);
        const up = at(i - 1, j);
        if (up < best) {
          best = up;
          dir = 1;
        }
        const left = j - 1 >= rowLo ? (cost[base + j - 1 - rowLo] as number) : Number.POSITIVE_INFINITY;
        if (left < best) {
          best = left;
          dir = 2;
        }
      }
      cost[base + j - rowLo] = best + d;
      step[base + j - rowLo] = dir;
    }
  }
  const totalCost = at(n - 1, m - 1);
  const pa: number[] = [];
  const pb: number[] = [];
  let i = n - 1;
  let j = m - 1;
  for (;;) {
    pa.push(i);
    pb.push(j);
    if (i === 0 && j === 0) break;
    const dir = step[(offsets[i] as number) + j - (lo[i] as number)] as number;
    if (dir === 0) {
      i--;
      j--;
    } else if (dir === 1) {
      i--;
    } else {
      j--;
    }
  }
  pa.reverse();
  pb.reverse();
  return { pathA: Int32Array.from(pa), pathB: Int32Array.from(pb), totalCost, meanCost: totalCost / pa.length };
}
