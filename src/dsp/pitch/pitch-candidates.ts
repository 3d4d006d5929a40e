/**
 * Pitch candidates: the strongest local maxima of each frame's NCCF row, each refined to a
 * fractional lag by parabolic interpolation. Subharmonic peaks (2τ, 3τ...) are kept on purpose:
 * choosing between them is the tracker's job, with context from neighbouring frames.
 */

/** Per-frame candidate lists, stored flat (frame f, slot k at f·maxCandidates + k), strongest first. */
export interface PitchCandidateTable {
  readonly frameCount: number;
  readonly maxCandidates: number;
  /** Candidate lag in analysis-rate samples (fractional). */
  readonly lag: Float32Array;
  /** Interpolated NCCF peak value (periodicity), about -1..1. */
  readonly strength: Float32Array;
  /** Number of valid candidates per frame. */
  readonly count: Uint8Array;
  /** Mean-square level per frame (analysis-rate signal). */
  readonly level: Float32Array;
}

/** An empty table for `frameCount` frames of up to `maxCandidates` candidates each. */
export function createCandidateTable(frameCount: number, maxCandidates: number): PitchCandidateTable {
  return {
    frameCount,
    maxCandidates,
    lag: new Float32Array(frameCount * maxCandidates),
    strength: new Float32Array(frameCount * maxCandidates),
    count: new Uint8Array(frameCount),
    level: new Float32Array(frameCount),
  };
}

/**
 * Fills frame `frame` of `table` from one NCCF row (`nccf[rowOffset + i]` is lag lagLo + i).
 * Only peaks with interpolated lag in [lagMin, lagMax] and value >= threshold qualify.
 */
export function pickCandidates(
  nccf: Float32Array,
  rowOffset: number,
  lagLo: number,
  lagCount: number,
  lagMin: number,
  lagMax: number,
  threshold: number,
  table: PitchCandidateTable,
  frame: number,
): void {
  const K = table.maxCandidates;
  const base = frame * K;
  const lagOut = table.lag;
  const strOut = table.strength;
  let n = 0;
  for (let i = 1; i < lagCount - 1; i++) {
    const b = nccf[rowOffset + i] as number;
    if (b < threshold) continue;
    const a = nccf[rowOffset + i - 1] as number;
    const c = nccf[rowOffset + i + 1] as number;
    if (!(b >= a && b > c)) continue;
    const denom = a - 2 * b + c;
    let delta = denom < 0 ? (0.5 * (a - c)) / denom : 0;
    if (delta > 0.5) delta = 0.5;
    else if (delta < -0.5) delta = -0.5;
    const lag = lagLo + i + delta;
    if (lag < lagMin || lag > lagMax) continue;
    const value = Math.min(1, b - 0.25 * (a - c) * delta);
    // Insert into the strongest-first list, dropping the weakest when full.
    let pos = n < K ? n : K;
    while (pos > 0 && (strOut[base + pos - 1] as number) < value) pos--;
    if (pos >= K) continue;
    const last = n < K ? n : K - 1;
    for (let k = last; k > pos; k--) {
      strOut[base + k] = strOut[base + k - 1] as number;
      lagOut[base + k] = lagOut[base + k - 1] as number;
    }
    strOut[base + pos] = value;
    lagOut[base + pos] = lag;
    if (n < K) n++;
  }
  table.count[frame] = n;
}
