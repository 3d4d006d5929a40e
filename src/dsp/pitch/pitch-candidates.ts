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
  /**
   * Extra local cost of each candidate for being a subharmonic of a shorter candidate period
   * (set by the band merge; 0 for the shortest period of a harmonic family).
   */
  readonly penalty: Float32Array;
  /** Number of valid candidates per frame. */
  readonly count: Uint8Array;
  /**
   * Per-frame level for the silence gate (mean square above 80 Hz, `frame-level.ts`): `estimateF0`
   * fills it on the merged table; band tables leave it at 0.
   */
  readonly level: Float32Array;
}

/** An empty table for `frameCount` frames of up to `maxCandidates` candidates each. */
export function createCandidateTable(frameCount: number, maxCandidates: number): PitchCandidateTable {
  return {
    frameCount,
    maxCandidates,
    lag: new Float32Array(frameCount * maxCandidates),
    strength: new Float32Array(frameCount * maxCandidates),
    penalty: new Float32Array(frameCount * maxCandidates),
    count: new Uint8Array(frameCount),
    level: new Float32Array(frameCount),
  };
}

/** Lags beyond each side of a peak used by the interpolator (the NCCF row must extend this far). */
export const PEAK_INTERPOLATION_HALF_TAPS = 4;
const HALF = PEAK_INTERPOLATION_HALF_TAPS;
const STEPS = 4; // quarter-lag grid; a parabola through the best three finishes the job
const TAPS = 2 * HALF;
const { kernels: interpKernels, firstTap: interpFirstTap } = buildInterpolators();

/**
 * 8-point Lagrange interpolators for fractional offsets d = s/STEPS - 0.5 (s = 0..STEPS) from
 * lag i: value at i + d = Σ_k kernel[s][k]·row[i + firstTap[s] + k], the nodes placed
 * symmetrically around the point (lags i-3..i+4 for d >= 0, i-4..i+3 for d < 0). Lagrange is
 * exact for polynomials, so a broad, smooth NCCF peak is located without bias, while the
 * oscillation at the formant frequency that ruins a 3-point parabola is still followed; wrong
 * peak heights are what turn into octave errors.
 */
function buildInterpolators(): { kernels: Float64Array; firstTap: Int32Array } {
  const kernels = new Float64Array((STEPS + 1) * TAPS);
  const firstTap = new Int32Array(STEPS + 1);
  for (let s = 0; s <= STEPS; s++) {
    const d = s / STEPS - 0.5;
    const first = d >= 0 ? -HALF + 1 : -HALF;
    firstTap[s] = first;
    for (let k = 0; k < TAPS; k++) {
      const mk = first + k;
      let w = 1;
      for (let j = 0; j < TAPS; j++) {
        if (j === k) continue;
        const mj = first + j;
        w *= (d - mj) / (mk - mj);
      }
      kernels[s * TAPS + k] = w;
    }
  }
  return { kernels, firstTap };
}

const scratchValue = { lag: 0, value: 0 };

/** Interpolated maximum of `row` within half a lag of integer index i. */
function interpolatePeak(row: Float32Array, offset: number, i: number, out: { lag: number; value: number }): void {
  const values = interpValues;
  let bestS = STEPS / 2;
  let bestV = -Infinity;
  for (let s = 0; s <= STEPS; s++) {
    let v: number;
    if (s === STEPS / 2) {
      v = row[offset + i] as number; // d = 0: the interpolator is the identity there
    } else {
      v = 0;
      const t0 = s * TAPS;
      const base = offset + i + (interpFirstTap[s] as number);
      for (let k = 0; k < TAPS; k++) v += (interpKernels[t0 + k] as number) * (row[base + k] as number);
    }
    values[s] = v;
    if (v > bestV) {
      bestV = v;
      bestS = s;
    }
  }
  if (bestS > 0 && bestS < STEPS) {
    const prevV = values[bestS - 1] as number;
    const nextV = values[bestS + 1] as number;
    const denom = prevV - 2 * bestV + nextV;
    const delta = denom < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (prevV - nextV)) / denom)) : 0;
    out.lag = i + (bestS + delta) / STEPS - 0.5;
    out.value = bestV - 0.25 * (prevV - nextV) * delta;
  } else {
    out.lag = i + bestS / STEPS - 0.5;
    out.value = bestV;
  }
}
const interpValues = new Float64Array(STEPS + 1);

/**
 * Fills frame `frame` of `table` from one NCCF row (`nccf[rowOffset + i]` is lag lagLo + i).
 * Only peaks with interpolated lag in [lagMin, lagMax] and value >= threshold qualify. The row
 * must hold PEAK_INTERPOLATION_HALF_TAPS lags beyond [lagMin, lagMax] on both sides.
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
  const peak = scratchValue;
  let n = 0;
  for (let i = HALF; i < lagCount - HALF; i++) {
    const b = nccf[rowOffset + i] as number;
    if (b < threshold) continue;
    const a = nccf[rowOffset + i - 1] as number;
    const c = nccf[rowOffset + i + 1] as number;
    if (!(b >= a && b > c)) continue;
    // Cheap reject before interpolating: a peak cannot gain much between lags.
    if (n === K && b + 0.1 < (strOut[base + K - 1] as number)) continue;
    interpolatePeak(nccf, rowOffset, i, peak);
    const lag = lagLo + peak.lag;
    if (lag < lagMin || lag > lagMax) continue;
    const value = Math.min(1, peak.value);
    if (value < threshold) continue;
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
