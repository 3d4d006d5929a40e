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
 * two bands find the same F0, the higher band's lag and the better of the two strengths are
 * kept (a band can underrate a period it sees, never overrate it much).
 *
 * A band also sees only part of the spectrum: a high voice whose fundamental alone passes a low
 * band's filter looks like a pure tone there, so every multiple of its period — a subharmonic
 * candidate — scores nearly 1 while the true F0, measured in the noisier wide band, scores less.
 * Hence a harmonic-consistency rule: a candidate whose 2nd..5th harmonic is also a candidate of
 * nearly equal strength (with all the multiples in between, see `applyHarmonicConsistency`)
 * cannot be stronger than that harmonic, and pays a small cost per octave below it, so the
 * tracker prefers the shorter period, as YIN's "first dip" rule does.
 */

/** One band of the search, as planned: where it runs and which periods it looks for. */
export interface PitchBandLayout {
  /** Decimation relative to the analysis rate (1, 2, 4, ...). */
  readonly factor: number;
  /** Hop between frames, samples at the band's rate. */
  readonly hopSamples: number;
  /** Periods the band reports, samples at its rate. */
  readonly lagMin: number;
  readonly lagMax: number;
  /** Lags its NCCF computes (the reported range plus the peak interpolator's reach). */
  readonly lagLo: number;
  readonly lagHi: number;
  /** Minimum correlation window, samples at its rate. */
  readonly windowSamples: number;
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
/**
 * Low-pass cutoff of each lower band, as a fraction of its rate. Content near a band's Nyquist
 * frequency makes its NCCF oscillate within a couple of lags, faster than the peak interpolator
 * can follow: the peak of a short period is underrated (0.85 where it is 1.0) while its multiples,
 * sampled more luckily, are not — a 262 Hz note with a strong 3rd harmonic came out at 87 Hz.
 * Each band is the one above decimated by 2 with this cutoff (`decimateForPitch`).
 */
export const BAND_CUTOFF_FRACTION = 0.3;
/** Frames per NCCF block (bounds scratch memory whatever the input length). */
const BLOCK_FRAMES = 256;
/** Candidates from different bands closer than this (ratio) are the same candidate. */
const SAME_CANDIDATE_RATIO = 1.03;

/**
 * Candidate table for `frameCount` frames of `signal` (already high-passed, at `rate` Hz).
 * Lags in the table are in samples at `rate`; `level` is left for the caller to fill.
 */
export function collectPitchCandidates(
  signal: Float32Array,
  rate: number,
  frameCount: number,
  o: MultibandSearchOptions,
): PitchCandidateTable {
  const layouts = planPitchBands(rate, o);
  const out = createCandidateTable(frameCount, o.maxCandidates);
  const tables = layouts.map(() => createCandidateTable(frameCount, o.maxCandidates));
  let maxLag = 0;
  for (const band of layouts) maxLag = Math.max(maxLag, band.lagHi - band.lagLo + 1);
  const nccf = new Float32Array(BLOCK_FRAMES * maxLag);
  let bandSignal = signal;
  layouts.forEach((band, b) => {
    if (b > 0) bandSignal = decimateForPitch(bandSignal, 2, BAND_CUTOFF_FRACTION);
    const a = new NccfAnalyzer(bandSignal, band.hopSamples, band.lagLo, band.lagHi, band.windowSamples, o.minPeriodsPerWindow);
    const table = tables[b] as PitchCandidateTable;
    for (let first = 0; first < frameCount; first += BLOCK_FRAMES) {
      const count = Math.min(BLOCK_FRAMES, frameCount - first);
      a.computeBlock(first, count, nccf);
      for (let f = 0; f < count; f++) {
        pickCandidates(nccf, f * a.lagCount, a.lagLo, a.lagCount, band.lagMin, band.lagMax, o.candidateThreshold, table, first + f);
      }
    }
  });
  const merger = new BandCandidateMerger(layouts, o.maxCandidates, o.lowPitchCostPerOctave);
  for (let t = 0; t < frameCount; t++) merger.merge(tables, t, out, t);
  return out;
}

/**
 * The bands for a search at `rate` Hz: the top band covers [f0CeilHz/4, f0CeilHz] at `rate`,
 * each next one two octaves an octave lower at half the rate, down to f0FloorHz.
 */
export function planPitchBands(rate: number, o: MultibandSearchOptions): PitchBandLayout[] {
  const bands: PitchBandLayout[] = [];
  let factor = 1;
  let topHz = o.f0CeilHz;
  for (;;) {
    const bandRate = rate / factor;
    const canSplit = bandRate / 2 >= MIN_BAND_RATE_HZ && topHz / 4 > o.f0FloorHz * 1.05;
    const bottomHz = canSplit ? topHz / 4 : o.f0FloorHz;
    const lagMin = bandRate / topHz;
    const lagMax = bandRate / bottomHz;
    bands.push({
      factor,
      hopSamples: (o.framePeriodMs * bandRate) / 1000,
      lagMin,
      lagMax,
      lagLo: Math.max(1, Math.floor(lagMin) - PEAK_INTERPOLATION_HALF_TAPS - 1),
      lagHi: Math.ceil(lagMax) + PEAK_INTERPOLATION_HALF_TAPS + 1,
      windowSamples: Math.max(2, Math.round((o.windowMs * bandRate) / 1000)),
    });
    if (!canSplit) break;
    factor *= 2;
    topHz /= 2;
  }
  return bands;
}

/** Merges per-band candidates (strongest first, best band's strength for shared F0s), frame by frame. */
export class BandCandidateMerger {
  private readonly factors: readonly number[];
  private readonly lowPitchCostPerOctave: number;
  private readonly lags: Float64Array;
  private readonly strengths: Float64Array;
  private readonly penalties: Float64Array;
  private readonly bandOf: Int32Array;
  private readonly keys: Float64Array;
  private readonly scratch: Float64Array;
  private readonly order: Int32Array;

  constructor(bands: readonly Pick<PitchBandLayout, 'factor'>[], maxCandidates: number, lowPitchCostPerOctave: number) {
    this.factors = bands.map((b) => b.factor);
    this.lowPitchCostPerOctave = lowPitchCostPerOctave;
    const capacity = maxCandidates * bands.length;
    this.lags = new Float64Array(capacity);
    this.strengths = new Float64Array(capacity);
    this.penalties = new Float64Array(capacity);
    this.bandOf = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
    this.scratch = new Float64Array(capacity);
    this.order = new Int32Array(capacity);
  }

  /** Merges frame `bandFrame` of every band's table (one per band, in band order) into frame `outFrame` of `out`. */
  merge(bandTables: readonly PitchCandidateTable[], bandFrame: number, out: PitchCandidateTable, outFrame: number): void {
    const { lags, strengths, penalties, bandOf, keys } = this;
    const K = out.maxCandidates;
    let n = 0;
    for (let b = 0; b < bandTables.length; b++) {
      const table = bandTables[b] as PitchCandidateTable;
      const count = table.count[bandFrame] as number;
      const factor = this.factors[b] as number;
      for (let k = 0; k < count; k++) {
        const lag = (table.lag[bandFrame * K + k] as number) * factor;
        const strength = table.strength[bandFrame * K + k] as number;
        let merged = false;
        for (let m = 0; m < n; m++) {
          const ratio = lag > (lags[m] as number) ? lag / (lags[m] as number) : (lags[m] as number) / lag;
          if (ratio < SAME_CANDIDATE_RATIO && bandOf[m] !== b) {
            // Same F0 seen by two bands: keep the better periodicity. A band can only underrate a
            // period it sees (noise, a formant near its edge, interpolation near its Nyquist
            // frequency), and the lower band decides the bookkeeping band of the candidate.
            if (strength > (strengths[m] as number)) strengths[m] = strength;
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
    applyHarmonicConsistency(lags, strengths, penalties, bandOf, n, this.lowPitchCostPerOctave, this.scratch, this.order);
    // Best K by the tracker's own local cost (strength less the subharmonic penalty), so that
    // ties between a period and its multiples keep the period. Selection sort; n is tiny.
    for (let m = 0; m < n; m++) keys[m] = (strengths[m] as number) - (penalties[m] as number);
    const base = outFrame * K;
    let kept = 0;
    while (kept < K && n > 0) {
      let best = 0;
      for (let m = 1; m < n; m++) if ((keys[m] as number) > (keys[best] as number)) best = m;
      out.lag[base + kept] = lags[best] as number;
      out.strength[base + kept] = strengths[best] as number;
      out.penalty[base + kept] = penalties[best] as number;
      kept++;
      n--;
      lags[best] = lags[n] as number;
      strengths[best] = strengths[n] as number;
      penalties[best] = penalties[n] as number;
      bandOf[best] = bandOf[n] as number;
      keys[best] = keys[n] as number;
    }
    out.count[outFrame] = kept;
  }
}

/**
 * Margin within which a harmonic candidate counts as "nearly as strong" as its subharmonic: small
 * within one band, larger across bands, where the wider band's extra noise lowers the harmonic's
 * strength (10 dB SNR white noise costs the top band ~0.1-0.2 more than the band below).
 */
const HARMONIC_MARGIN_SAME_BAND = 0.1;
const HARMONIC_MARGIN_CROSS_BAND = 0.15;
/** An octave-related pair pays the octave cost when the shorter period is at most this much less periodic. */
const OCTAVE_PENALTY_MARGIN = 0.3;
/** Largest period multiple m (lag ratio) checked by the harmonic-consistency rule. */
const MAX_SUBHARMONIC = 5;

/**
 * Harmonic consistency between a candidate at lag a and a shorter one at b with a ≈ m·b
 * (m = 2..5), where b is nearly as periodic as a. Then a is treated as a subharmonic of b: its
 * strength is capped at b's, and it pays `costPerOctave`·log2(m) more than b (accumulated along
 * chains, candidates visited shortest first). For m > 2 every multiple k·b (k = 2..m-1) must
 * also be a candidate nearly as strong as a: the signature of a band that sees a (near) pure
 * tone, where all multiples of the period score alike. A strong formant harmonic of a low voice
 * (b = its 3rd..5th harmonic) fails that test — the multiples of b that are not multiples of the
 * true period are clearly weaker — so the true F0 is neither capped nor penalised. Everything is
 * decided on the strengths as merged, so the result does not depend on candidate order.
 */
function applyHarmonicConsistency(
  lags: Float64Array,
  strengths: Float64Array,
  penalties: Float64Array,
  bandOf: Int32Array,
  n: number,
  costPerOctave: number,
  original: Float64Array,
  order: Int32Array,
): void {
  for (let i = 0; i < n; i++) {
    original[i] = strengths[i] as number;
    penalties[i] = 0;
    // Insertion sort by lag (n is at most a few dozen).
    let j = i;
    while (j > 0 && (lags[order[j - 1] as number] as number) > (lags[i] as number)) {
      order[j] = order[j - 1] as number;
      j--;
    }
    order[j] = i;
  }
  for (let ia = 0; ia < n; ia++) {
    const a = order[ia] as number;
    const lagA = lags[a] as number;
    const sa = original[a] as number;
    let cap = sa;
    let penalty = 0;
    for (let ib = 0; ib < ia; ib++) {
      const b = order[ib] as number;
      const ratio = lagA / (lags[b] as number);
      if (ratio < 1.5) continue;
      const m = Math.round(ratio);
      if (m > MAX_SUBHARMONIC || Math.abs(ratio / m - 1) > SAME_CANDIDATE_RATIO - 1) continue;
      const sb = original[b] as number;
      const margin = bandOf[a] === bandOf[b] ? HARMONIC_MARGIN_SAME_BAND : HARMONIC_MARGIN_CROSS_BAND;
      if (m === 2) {
        // An octave below a clearly periodic candidate: pay the octave cost even when the lower
        // octave is more periodic (period doubling in a creaky or pressed voice), capped only
        // when the two are nearly equal.
        if (sb < sa - OCTAVE_PENALTY_MARGIN) continue;
        if (sb >= sa - margin && sb < cap) cap = sb;
      } else {
        if (sb < sa - margin) continue;
        if (!allMultiplesStrong(lags, original, n, lags[b] as number, m, sa - HARMONIC_MARGIN_CROSS_BAND)) continue;
        if (sb < cap) cap = sb;
      }
      penalty = Math.max(penalty, (penalties[b] as number) + costPerOctave * Math.log2(m));
    }
    strengths[a] = cap;
    penalties[a] = penalty;
  }
}

/** Whether every lag k·lagB (k = 2..m-1) is a candidate with strength >= floor. */
function allMultiplesStrong(lags: Float64Array, strengths: Float64Array, n: number, lagB: number, m: number, floor: number): boolean {
  for (let k = 2; k < m; k++) {
    const target = k * lagB;
    let found = false;
    for (let c = 0; c < n && !found; c++) {
      const ratio = (lags[c] as number) / target;
      found = ratio < SAME_CANDIDATE_RATIO && ratio > 1 / SAME_CANDIDATE_RATIO && (strengths[c] as number) >= floor;
    }
    if (!found) return false;
  }
  return true;
}
