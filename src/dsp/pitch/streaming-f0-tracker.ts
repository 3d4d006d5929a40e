import { AutoVoiceError } from '../../errors/index.js';
import { BiquadCascade, highPassBiquad } from '../biquad.js';
import { SlidingBuffer } from '../sliding-buffer.js';
import { StreamingDecimator } from './decimate.js';
import {
  ANALYSIS_CUTOFF_FRACTION,
  f0MinimumSignalSeconds,
  pitchAnalysisRate,
  pitchTrackerCosts,
} from './estimate-f0.js';
import { f0FrameCount, resolveF0Options, type F0Options } from './f0-options.js';
import { StreamingVoiceBandLevels } from './frame-level.js';
import { FrameRing } from './frame-ring.js';
import { medianSmoothF0 } from './median-smooth-f0.js';
import {
  BAND_CUTOFF_FRACTION,
  BandCandidateMerger,
  planPitchBands,
  type PitchBandLayout,
} from './multiband-candidates.js';
import { StreamingNccf } from './nccf.js';
import { createCandidateTable, pickCandidates, type PitchCandidateTable } from './pitch-candidates.js';
import { cheapestState, stepPitchViterbi } from './pitch-tracker.js';
import { refineChosenPeriod, type RefinedLag } from './refine-lag.js';

/**
 * `estimateF0` over a stream, incrementally. Each stage of the batch tracker keeps running
 * state instead of re-reading a window: the decimator, high-pass and band decimators emit each
 * sample once, every band's NCCF extends its prefix sums by the new samples only, and a frame's
 * candidates are picked and its Viterbi column computed once, as soon as its correlation
 * windows have arrived. So the per-sample work is the batch tracker's, and the whole history
 * stays in the path costs (a tracker re-run on a sliding window forgets what came before it).
 *
 * A decision about frame t (`decide`) takes the cheapest path to the newest frame, through the
 * frames whose windows are still incomplete (their candidates computed from what has arrived,
 * samples yet to come counting as 0, exactly as a whole signal's last frames read its end).
 * Where the batch tracker would keep a path ending unvoiced for free, a stream that goes on
 * charges it `voicingChangeCost` (unless the options set `unvoicedEndCost`): a dip in
 * periodicity at the edge of what has arrived is then bridged as the whole-signal track bridges
 * it once voice resumes. Then, as in `estimateF0`: voicing needs the fixed-lag decision too
 * (`voicingLookAheadFrames`), the chosen period is refined, and the running median is taken over
 * the frames around t on the same path. Given the whole input before deciding, the decisions
 * are the batch ones; each frame's candidates equal the batch table's (up to rounding).
 *
 * The silence gate measures against the loudest frame seen so far, not the loudest of the
 * whole signal.
 */
export class StreamingF0Tracker {
  readonly sampleRate: number;
  readonly options: F0Options;
  private readonly rate: number;
  private readonly factor: number;
  private readonly medianRadius: number;
  private readonly endCostWhileStreaming: number;
  private readonly fullRate = new SlidingBuffer((n) => new Float32Array(n));
  private readonly analysis = new SlidingBuffer((n) => new Float32Array(n));
  private readonly decimator: StreamingDecimator;
  private readonly highPass: BiquadCascade;
  private highPassSettled = false;
  private readonly levels: StreamingVoiceBandLevels;
  private readonly bands: StreamingBand[];
  private readonly merger: BandCandidateMerger;
  /** Each band's one-frame candidate table, in band order (the merger's input). */
  private readonly bandTables: readonly PitchCandidateTable[];
  private readonly maxCandidates: number;
  /** Frame store, indexed by frame mod capacity (candidates, Viterbi columns, back pointers). */
  private frames: FrameRing;
  /** Frames whose candidates are final and whose column is in the store. */
  private committed = 0;
  /** Loudest committed frame's level. */
  private maxLevel = 0;
  /** First frame the next decision may start at (decisions go forward). */
  private nextDecidable = 0;
  private ended = false;
  private readonly newAnalysis: number[] = [];
  private readonly refined: RefinedLag = { lag: 0, strength: 0 };

  /**
   * @param sampleRate Hz of the samples pushed
   * @param options as for `estimateF0` (validated the same way)
   */
  constructor(sampleRate: number, options: Partial<F0Options> = {}) {
    this.options = resolveF0Options(sampleRate, options);
    const o = this.options;
    this.sampleRate = sampleRate;
    const plan = pitchAnalysisRate(sampleRate, o);
    this.rate = plan.rate;
    this.factor = plan.factor;
    this.decimator = new StreamingDecimator(plan.factor, ANALYSIS_CUTOFF_FRACTION);
    this.highPass = new BiquadCascade([highPassBiquad(plan.highPassHz / plan.rate, Math.SQRT1_2)]);
    this.levels = new StreamingVoiceBandLevels(plan.rate, o.framePeriodMs, o.windowMs);
    const layouts = planPitchBands(plan.rate, o);
    this.bands = layouts.map((layout, b) => ({
      layout,
      nccf: new StreamingNccf({ ...layout, minPeriodsPerWindow: o.minPeriodsPerWindow }),
      fromAbove: b === 0 ? undefined : new StreamingDecimator(2, BAND_CUTOFF_FRACTION),
      table: createCandidateTable(1, o.maxCandidates),
      row: new Float32Array(layout.lagHi - layout.lagLo + 1),
      pending: [],
    }));
    this.bandTables = this.bands.map((band) => band.table);
    this.merger = new BandCandidateMerger(layouts, o.maxCandidates, o.lowPitchCostPerOctave);
    this.maxCandidates = o.maxCandidates;
    this.medianRadius = (o.medianFilterFrames - 1) / 2;
    this.endCostWhileStreaming = options.unvoicedEndCost ?? o.voicingChangeCost;
    this.frames = new FrameRing(64, o.maxCandidates);
  }

  /** Samples pushed so far. */
  get inputLength(): number {
    return this.fullRate.end;
  }

  /** Frames that exist for the input so far (`f0FrameCount` of its length). */
  get frameCount(): number {
    return f0FrameCount(this.fullRate.end, this.sampleRate, this.options.framePeriodMs);
  }

  /**
   * Storage the tracker holds, in values (samples, prefix sums and per-frame state of every
   * stage): a diagnostic that stays bounded however long the stream, as long as frames are decided.
   */
  get storageSize(): number {
    let size = this.fullRate.data.length + this.analysis.data.length + this.decimator.storageSize;
    size += this.levels.storageSize + this.frames.storageSize;
    for (const band of this.bands) size += band.nccf.storageSize + (band.fromAbove?.storageSize ?? 0);
    return size;
  }

  /** Appends mono samples (NaN/Infinity rejected with `audio.invalid_samples`, nothing appended). */
  push(chunk: Float32Array): void {
    if (this.ended)
      throw new AutoVoiceError('dsp.invalid_option', 'push after finish(); create a new StreamingF0Tracker');
    for (let i = 0; i < chunk.length; i++) {
      if (!Number.isFinite(chunk[i] as number)) {
        const index = this.fullRate.end + i;
        throw new AutoVoiceError(
          'audio.invalid_samples',
          `sample ${index} is ${String(chunk[i])}; replace NaN/Infinity before F0 analysis`,
          { index },
        );
      }
    }
    if (chunk.length === 0) return;
    this.fullRate.append(chunk);
    this.decimator.push(chunk, this.acceptDecimated);
    this.feedAnalysis();
    this.commitCompleteFrames();
  }

  /** Ends the input: the remaining samples are analysed as the end of a whole signal. */
  finish(): void {
    if (this.ended) return;
    this.decimator.finish(this.acceptDecimated);
    this.feedAnalysis();
    for (let b = 1; b < this.bands.length; b++) {
      const band = this.bands[b] as StreamingBand;
      (band.fromAbove as StreamingDecimator).finish((v) => band.pending.push(v));
      this.feedBandsFrom(b);
    }
    this.ended = true;
    this.commitCompleteFrames();
  }

  /**
   * Decides frames [first, end) (end <= frameCount) from the input so far: element j of the
   * result is frame first + j. Decisions go forward: frames before `end` cannot be decided again
   * (the store moves on).
   */
  decide(first: number, end: number): StreamingF0Decisions {
    const decisions = {
      f0Hz: new Float32Array(Math.max(0, end - first)),
      confidence: new Float32Array(Math.max(0, end - first)),
    };
    this.decideInto(first, end, decisions.f0Hz, decisions.confidence);
    return decisions;
  }

  private decideInto(first: number, end: number, f0Hz: Float32Array, confidence: Float32Array): void {
    const o = this.options;
    const N = this.frameCount;
    if (!(
      Number.isInteger(first) &&
      Number.isInteger(end) &&
      first >= this.nextDecidable &&
      end <= N &&
      first <= end
    )) {
      throw new AutoVoiceError(
        'dsp.invalid_option',
        `frames ${first}..${end} cannot be decided: decide frames in order, from ${this.nextDecidable} up to frameCount (${N})`,
      );
    }
    if (first === end) return;
    if (this.ended && this.fullRate.end < f0MinimumSignalSeconds(o) * this.sampleRate) {
      // As estimateF0: no pitch in a whole signal shorter than one analysis window. An input that
      // goes on is decided on what has arrived (a voice starting at once keeps its first frame).
      f0Hz.fill(0, 0, end - first);
      confidence.fill(0, 0, end - first);
      this.release(end);
      return;
    }
    const r = this.medianRadius;
    const lo = Math.max(0, first - 2 * r);
    this.frames.reserve(lo, N);
    // Frames whose windows are still arriving: candidates from what is there, then their columns.
    const undoTail = this.ended ? undefined : this.appendProvisionalTail();
    let maxLevel = this.maxLevel;
    for (let t = this.committed; t < N; t++) maxLevel = Math.max(maxLevel, this.computeCandidates(t));
    const endCost = this.ended ? 0 : this.endCostWhileStreaming;
    const costs = pitchTrackerCosts(o, maxLevel, endCost);
    for (let t = this.committed; t < N; t++) this.step(t, costs);

    // Path to the newest frame, back to lo (-1 = unvoiced), voiced only where the fixed-lag
    // decision agrees.
    const ring = this.frames;
    const U = this.maxCandidates;
    const S = U + 1;
    const count = N - lo;
    const choice = new Int8Array(count);
    const last = ring.column(N - 1);
    let state = U;
    let bestCost = (last.cost[U] as number) + endCost;
    for (let k = 0; k < last.n; k++) {
      if ((last.cost[k] as number) < bestCost) {
        bestCost = last.cost[k] as number;
        state = k;
      }
    }
    for (let t = N - 1; t >= lo; t--) {
      choice[t - lo] = state === U ? -1 : state;
      if (t > 0) state = ring.back[ring.slot(t) * S + state] as number;
    }
    const L = o.voicingLookAheadFrames; // 0: the whole path decides voicing too
    for (let t = lo; L > 0 && t < N - L; t++) {
      let s = cheapestState(ring.column(t + L));
      for (let u = t + L; u > t; u--) s = ring.back[ring.slot(u) * S + s] as number;
      if (s === U) choice[t - lo] = -1;
    }

    const signals = {
      fullRate: this.fullRate.data.subarray(0, this.fullRate.end - this.fullRate.start),
      fullRateStart: this.fullRate.start,
      sampleRate: this.sampleRate,
      analysis: this.analysis.data.subarray(0, this.analysis.end - this.analysis.start),
      analysisStart: this.analysis.start,
      rate: this.rate,
      factor: this.factor,
    };
    // The median reads at most 2r frames either side of a decided frame.
    const segmentEnd = Math.min(N, end + 2 * r);
    const raw = new Float32Array(segmentEnd - lo);
    const table = ring.table;
    const K = this.maxCandidates;
    for (let t = lo; t < segmentEnd; t++) {
      const slot = choice[t - lo] as number;
      const base = ring.slot(t) * K;
      const n = table.count[ring.slot(t)] as number;
      let strength = n > 0 ? (table.strength[base] as number) : 0;
      if (slot >= 0) {
        let lag = table.lag[base + slot] as number;
        strength = table.strength[base + slot] as number;
        if (o.refine) lag = refineChosenPeriod(lag, t, signals, o, this.refined);
        raw[t - lo] = this.rate / lag;
      }
      if (t >= first && t < end) confidence[t - first] = Math.min(1, Math.max(0, strength));
    }
    const smoothed = medianSmoothF0(raw, r);
    for (let t = first; t < end; t++) f0Hz[t - first] = smoothed[t - lo] as number;
    if (undoTail !== undefined) undoTail();

    this.release(end);
  }

  /**
   * Appends, for now, the samples a whole signal ending here would have beyond what the filters
   * have emitted (each decimator's last outputs read zeros past the end), so the newest frames
   * read the end of the input as `estimateF0` reads the end of a signal. Returns the undo.
   */
  private appendProvisionalTail(): () => void {
    const highPass = this.highPass.saveState();
    const analysisEnd = this.analysis.end;
    const levels = this.levels.checkpoint();
    const received = this.bands.map((band) => band.nccf.received);
    const tail: number[] = [];
    this.decimator.peekFinish([], (v) => {
      if (!this.highPassSettled) this.highPass.settle(v);
      tail.push(Math.fround(this.highPass.next(v)));
    });
    this.analysis.append(tail);
    this.levels.append(tail);
    let bandTail = tail;
    this.bands.forEach((band, b) => {
      if (b > 0) {
        const above = bandTail;
        bandTail = [];
        (band.fromAbove as StreamingDecimator).peekFinish(above, (v) => bandTail.push(v));
      }
      band.nccf.append(bandTail);
    });
    return () => {
      this.highPass.restoreState(highPass);
      this.analysis.truncate(analysisEnd);
      this.levels.rollback(levels);
      this.bands.forEach((band, b) => band.nccf.truncate(received[b] as number));
    };
  }

  /** Decimated samples: high-passed (state settled on the first, as highPassForPitch does). */
  private readonly acceptDecimated = (v: number): void => {
    if (!this.highPassSettled) {
      this.highPass.settle(v);
      this.highPassSettled = true;
    }
    const y = Math.fround(this.highPass.next(v));
    this.analysis.push(y);
    this.newAnalysis.push(y);
  };

  /** Hands the analysis samples emitted since the last call to the level meter and the bands. */
  private feedAnalysis(): void {
    if (this.newAnalysis.length === 0) return;
    this.levels.append(this.newAnalysis);
    const top = (this.bands[0] as StreamingBand).pending;
    for (const v of this.newAnalysis) top.push(v);
    this.newAnalysis.length = 0;
    this.feedBandsFrom(0);
  }

  /** Passes band b's pending samples to its NCCF and down the chain of band decimators. */
  private feedBandsFrom(b: number): void {
    for (; b < this.bands.length; b++) {
      const band = this.bands[b] as StreamingBand;
      if (band.pending.length === 0) continue;
      band.nccf.append(band.pending);
      const below = this.bands[b + 1];
      if (below !== undefined)
        (below.fromAbove as StreamingDecimator).push(band.pending, (v) => below.pending.push(v));
      band.pending.length = 0;
    }
  }

  /** Computes, steps and keeps every frame whose windows have all arrived. */
  private commitCompleteFrames(): void {
    const N = this.frameCount;
    const o = this.options;
    for (;;) {
      const t = this.committed;
      if (t >= N || !this.isComplete(t)) break;
      this.frames.reserve(Math.min(this.lowestFrameNeeded(), t), t + 1);
      this.maxLevel = Math.max(this.maxLevel, this.computeCandidates(t));
      this.step(t, pitchTrackerCosts(o, this.maxLevel, 0));
      this.committed = t + 1;
    }
    for (const band of this.bands) band.nccf.discardBefore(this.committed);
    this.levels.discardBefore(this.committed);
  }

  private isComplete(t: number): boolean {
    if (this.ended) return true;
    if (!this.levels.isComplete(t)) return false;
    for (const band of this.bands) if (!band.nccf.isComplete(t)) return false;
    return true;
  }

  /** Merged candidates and level of frame t into its store slot; returns the level. */
  private computeCandidates(t: number): number {
    const o = this.options;
    const ring = this.frames;
    for (const band of this.bands) {
      band.nccf.frameRow(t, band.row, 0);
      const { lagLo, lagMin, lagMax } = band.layout;
      pickCandidates(
        band.row,
        0,
        lagLo,
        band.row.length,
        lagMin,
        lagMax,
        o.candidateThreshold,
        band.table,
        0,
      );
    }
    const slot = ring.slot(t);
    this.merger.merge(this.bandTables, 0, ring.table, slot);
    const level = this.levels.level(t);
    ring.table.level[slot] = level;
    return level;
  }

  /** Viterbi column of frame t from frame t-1's. */
  private step(t: number, costs: ReturnType<typeof pitchTrackerCosts>): void {
    const ring = this.frames;
    const S = this.maxCandidates + 1;
    const slot = ring.slot(t);
    const prev = t === 0 ? undefined : ring.column(t - 1);
    stepPitchViterbi(ring.table, slot, costs, false, prev, ring.column(t), ring.back, slot * S);
  }

  /** Lowest frame a future decision reads (the median's reach before the next decidable frame). */
  private lowestFrameNeeded(): number {
    return Math.max(0, this.nextDecidable - 2 * this.medianRadius);
  }

  /** Frees what decisions from frame `next` on no longer need. */
  private release(next: number): void {
    this.nextDecidable = Math.max(this.nextDecidable, next);
    // Refinement reads up to 1.5 periods of the F0 floor (plus a few samples) around a centre.
    const reachSeconds = 3 / this.options.f0FloorHz + this.options.windowMs / 1000;
    const fromSeconds = (this.lowestFrameNeeded() * this.options.framePeriodMs) / 1000 - reachSeconds;
    this.fullRate.discardBefore(Math.floor(fromSeconds * this.sampleRate));
    this.analysis.discardBefore(Math.floor(fromSeconds * this.rate));
  }
}

/** Decisions about consecutive frames. */
export interface StreamingF0Decisions {
  /** F0 per frame, Hz; 0 where unvoiced. */
  readonly f0Hz: Float32Array;
  /** Periodicity of the chosen candidate (unvoiced: of the best one), 0..1, as `F0Track.confidence`. */
  readonly confidence: Float32Array;
}

/** One band of the incremental search. */
interface StreamingBand {
  readonly layout: PitchBandLayout;
  readonly nccf: StreamingNccf;
  /** Decimator from the band above (undefined for the top band, fed the analysis signal). */
  readonly fromAbove: StreamingDecimator | undefined;
  /** One-frame candidate table and NCCF row (scratch). */
  readonly table: PitchCandidateTable;
  readonly row: Float32Array;
  /** Samples emitted for this band and not yet appended. */
  readonly pending: number[];
}
