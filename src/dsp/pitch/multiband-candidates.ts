import { decimateForPitch } from './decimate.js';
import { NccfAnalyzer } from './nccf.js';
import { createCandidateTable, PEAK_INTERPOLATION_HALF_TAPS, pickCandidates, type PitchCandidateTable } from './pitch-candidates.js';

/**
 * Candidate search over octave bands. The NCCF costs one multiply-add per sample per lag, and
 * both the sample count and the lag count grow with the rate, so a single 8 kHz search over
 * 50-1200 Hz is dominated by the long lags of low voices, which need no such resolution. Each
 * band therefore runs at half the rate of the one above and covers two octaves of F0, the bands
 * overlapping by one octave:
 *
 *   band 0: rate R,   F0 in [top/4, top]        band 1: rate R/2, F0 in [top/8, top/2] ...
 *
 * The overlap guarantees that a true F0 and its subharmonic F0/2 are always scored in the same
 * band (the NCCF of a lower-rate, narrower band is systematically higher, so comparing a peak
 * from one band with a peak from another would bias the tracker towards octave errors): where
 * two bands find the same F0, the lower band's strength is kept, the higher band's lag.
 *
 * A band also sees only part of the spectrum: a high voice whose fundamental alone passes a low
 * band's filter looks like a pure tone there, so every multiple of its period — a subharmonic
 * candidate — scores nearly 1 while the true F0, measured in the noisier wide band, scores less.
 * Hence a harmonic-consistency rule: a candidate whose 2nd..5th harmonic is also a candidate of
 * nearly equal strength cannot be stronger than that harmonic (the tracker's low-pitch cost then
 * prefers the shorter period, as YIN's "first dip" rule does).
 */

/** One band of the search. */
interface PitchBand {
  readonly factor: number; // decimation relative to the analysis rate (1, 2, 4, ...)
  readonly analyzer: NccfAnalyzer;
  readonly lagMin: number;
  readonly lagMax: number;
  readonly table: PitchCandidateTable;
}

/** Search settings (see F0Options for meanings). */
export interface MultibandSearchOptions {
  readonly framePeriodMs: number;
  readonly f0FloorHz: number;
  readonly f0CeilHz: number;
  readonly windowMs: number;
  readonly minPeriodsPerWindow: number;
  readonly candidateThreshold: number;
  readonly maxCandidates: number;
  readonly lowPitchCostPerOctave: number;
}

/** Lowest rate a band may run at, Hz: keeps at least ~7 harmonics of a 100 Hz voice. */
const MIN_BAND_RATE_HZ = 1500;
/** Frames per NCCF block (bounds scratch memory whatever the input length). */
const BLOCK_FRAMES = 256;
/** Candidates from different bands closer than this (ratio) are the same candidate. */
const SAME_CANDIDATE_RATIO = 1.03;

/**
 * Candidate table for `frameCount` frames of `signal` (already high-passed, at `rate` Hz).
 * Lags in the table are in samples at `rate`; `level` comes from the top band.
 */
export function collectPitchCandidates(
  signal: Float32Array,
  rate: number,
  frameCount: number,
  o: MultibandSearchOptions,
): PitchCandidateTable {
  const bands = planBands(signal, rate, frameCount, o);
  const out = createCandidateTable(frameCount, o.maxCandidates);
  let maxLag = 0;
  for (const band of bands) maxLag = Math.max(maxLag, band.analyzer.lagCount);
  const nccf = new Float32Array(BLOCK_FRAMES * maxLag);
  const level = new Float32Array(BLOCK_FRAMES);
  for (const band of bands) {
    const a = band.analyzer;
    for (let first = 0; first < frameCount; first += BLOCK_FRAMES) {
      const count = Math.min(BLOCK_FRAMES, frameCount - first);
      a.computeBlock(first, count, nccf, level);
      for (let f = 0; f < count; f++) {
        pickCandidates(nccf, f * a.lagCount, a.lagLo, a.lagCount, band.lagMin, band.lagMax, o.candidateThreshold, band.table, first + f);
        band.table.level[first + f] = level[f] as number;
      }
    }
  }
  const top = bands[0];
  if (top !== undefined) out.level.set(top.table.level);
  mergeBands(bands, out, o.lowPitchCostPerOctave);
  return out;
}

function planBands(signal: Float32Array, rate: number, frameCount: number, o: MultibandSearchOptions): PitchBand[] {
  const bands: PitchBand[] = [];
  let bandSignal = signal;
  let factor = 1;
  let topHz = o.f0CeilHz;
  for (;;) {
    const bandRate = rate / factor;
    const canSplit = bandRate / 2 >= MIN_BAND_RATE_HZ && topHz / 4 > o.f0FloorHz * 1.05;
    const bottomHz = canSplit ? topHz / 4 : o.f0FloorHz;
    const lagMin = bandRate / topHz;
    const lagMax = bandRate / bottomHz;
    const analyzer = new NccfAnalyzer(
      bandSignal,
      (o.framePeriodMs * bandRate) / 1000,
      Math.max(1, Math.floor(lagMin) - PEAK_INTERPOLATION_HALF_TAPS - 1),
      Math.ceil(lagMax) + PEAK_INTERPOLATION_HALF_TAPS + 1,
      Math.max(2, Math.round((o.windowMs * bandRate) / 1000)),
      o.minPeriodsPerWindow,
    );
    bands.push({ factor, analyzer, lagMin, lagMax, table: createCandidateTable(frameCount, o.maxCandidates) });
    if (!canSplit) break;
    bandSignal = decimateForPitch(bandSignal, 2);
    factor *= 2;
    topHz /= 2;
  }
  return bands;
}

/** Merges per-band candidates (strongest first, lower band's strength for shared F0s) into `out`. */
function mergeBands(bands: readonly PitchBand[], out: PitchCandidateTable, lowPitchCostPerOctave: number): void {
  const K = out.maxCandidates;
  const capacity = K * bands.length;
  const lags = new Float64Array(capacity);
  const strengths = new Float64Array(capacity);
  const bandOf = new Int32Array(capacity);
  const keys = new Float64Array(capacity);
  for (let t = 0; t < out.frameCount; t++) {
    let n = 0;
    for (let b = 0; b < bands.length; b++) {
      const band = bands[b] as PitchBand;
      const count = band.table.count[t] as number;
      for (let k = 0; k < count; k++) {
        const lag = (band.table.lag[t * K + k] as number) * band.factor;
        const strength = band.table.strength[t * K + k] as number;
        let merged = false;
        for (let m = 0; m < n; m++) {
          const ratio = lag > (lags[m] as number) ? lag / (lags[m] as number) : (lags[m] as number) / lag;
          if (ratio < SAME_CANDIDATE_RATIO && bandOf[m] !== b) {
            // Same F0 seen by two bands: the lower band (b > bandOf[m]) decides the strength.
            strengths[m] = strength;
            bandOf[m] = b;
            merged = true;
            break;
          }
        }
        if (!merged) {
          lags[n] = lag;
          strengths[n] = strength;
          bandOf[n] = b;
          n++;
        }
      }
    }
    applyHarmonicConsistency(lags, strengths, bandOf, n);
    // Best K by the tracker's own local cost (strength less the low-pitch cost), so that ties
    // between a period and its multiples keep the period. Selection sort; n is tiny.
    for (let m = 0; m < n; m++) keys[m] = (strengths[m] as number) - lowPitchCostPerOctave * Math.log2(lags[m] as number);
    const base = t * K;
    let kept = 0;
    while (kept < K && n > 0) {
      let best = 0;
      for (let m = 1; m < n; m++) if ((keys[m] as number) > (keys[best] as number)) best = m;
      out.lag[base + kept] = lags[best] as number;
      out.strength[base + kept] = strengths[best] as number;
      kept++;
      n--;
      lags[best] = lags[n] as number;
      strengths[best] = strengths[n] as number;
      bandOf[best] = bandOf[n] as number;
      keys[best] = keys[n] as number;
    }
    out.count[t] = kept;
  }
}

/**
 * Margin within which a harmonic candidate counts as "nearly as strong" as its subharmonic: small
 * within one band, larger across bands, where the wider band's extra noise lowers the harmonic's
 * strength (10 dB SNR white noise costs the top band ~0.1-0.2 more than the band below).
 */
const HARMONIC_MARGIN_SAME_BAND = 0.1;
const HARMONIC_MARGIN_CROSS_BAND = 0.15;

/** Caps subharmonic candidates at the strength of a nearly-as-strong harmonic candidate. */
function applyHarmonicConsistency(lags: Float64Array, strengths: Float64Array, bandOf: Int32Array, n: number): void {
  for (let a = 0; a < n; a++) {
    const lagA = lags[a] as number;
    let cap = strengths[a] as number;
    for (let b = 0; b < n; b++) {
      const ratio = lagA / (lags[b] as number);
      if (ratio < 1.5) continue;
      const m = Math.round(ratio);
      if (m > 5 || Math.abs(ratio / m - 1) > SAME_CANDIDATE_RATIO - 1) continue;
      const sb = strengths[b] as number;
      const margin = bandOf[a] === bandOf[b] ? HARMONIC_MARGIN_SAME_BAND : HARMONIC_MARGIN_CROSS_BAND;
      if (sb >= (strengths[a] as number) - margin && sb < cap) cap = sb;
    }
    strengths[a] = cap;
  }
}
