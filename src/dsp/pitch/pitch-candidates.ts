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

/** Lags beyond each side of a peak used by the interpolator (the NCCF row must extend this far). */
export const PEAK_INTERPOLATION_HALF_TAPS = 4;
const HALF = PEAK_INTERPOLATION_HALF_TAPS;
const STEPS = 8; // fractional positions per lag
const sincTable = buildSincTable();

/**
 * Kaiser-windowed sinc kernels for fractional offsets d = s/STEPS - 0.5 (s = 0..STEPS): value at
 * i + d from lags i-HALF+1 .. i+HALF. The NCCF numerator is an autocorrelation of a band-limited
 * signal, hence band-limited in lag, so sinc interpolation recovers peak heights between lags
 * where a parabola, fitted to a curve that oscillates at the formant frequency, does not; wrong
 * heights are what turns into octave errors.
 */
function buildSincTable(): Float64Array {
  const taps = 2 * HALF;
  const table = new Float64Array((STEPS + 1) * taps);
  const beta = 5;
  const i0 = (x: number): number => {
    let sum = 1;
    let term = 1;
    for (let k = 1; k < 30; k++) {
      term *= (x / (2 * k)) ** 2;
      sum += term;
    }
    return sum;
  };
  for (let s = 0; s <= STEPS; s++) {
    const d = s / STEPS - 0.5;
    let norm = 0;
    for (let k = 0; k < taps; k++) {
      const m = k - HALF + 1; // lag offset of this tap relative to i
      const x = d - m;
      const sinc = Math.abs(x) < 1e-12 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = x / (HALF + 0.5);
      const w = Math.abs(r) >= 1 ? 0 : i0(beta * Math.sqrt(1 - r * r)) / i0(beta);
      table[s * taps + k] = sinc * w;
      norm += sinc * w;
    }
    for (let k = 0; k < taps; k++) table[s * taps + k] = (table[s * taps + k] as number) / norm;
  }
  return table;
}

const scratchValue = { lag: 0, value: 0 };

/** Sinc-interpolated maximum of `row` within half a lag of integer index i. */
function interpolatePeak(row: Float32Array, offset: number, i: number, out: { lag: number; value: number }): void {
  const taps = 2 * HALF;
  const values = interpValues;
  const base = offset + i - HALF + 1;
  let bestS = STEPS / 2;
  let bestV = -Infinity;
  for (let s = 0; s <= STEPS; s++) {
    let v = 0;
    const t0 = s * taps;
    for (let k = 0; k < taps; k++) v += (sincTable[t0 + k] as number) * (row[base + k] as number);
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
