import {
  axisPointsBelow,
  createEnvelopeAxisMapper,
  ENVELOPE_AXIS_MAX_HZ,
  MATCHING_BAND_MAX_HZ,
  meanOf,
  melEnvelopeAxisHz,
} from './mel-envelope.js';
import type { TimbreModel } from './voice-profile.js';
import { estimateWarpFactor, referenceLogEnvelope } from './vtln.js';

/** The part of a vocoder analysis (src/dsp analyzeVoice) the timbre model reads. */
export interface EnvelopeFrames {
  readonly sampleRate: number;
  readonly fftSize: number;
  readonly f0Hz: Float32Array;
  readonly voiced: Uint8Array;
  /** Power envelope per frame, fftSize/2+1 bins. */
  readonly spectralEnvelope: readonly Float32Array[];
  /** Aperiodicity per frame (0..1), fftSize/2+1 bins. */
  readonly aperiodicity: readonly Float32Array[];
}

/** Options of the timbre model. */
export interface TimbreModelOptions {
  /** Most frames kept in the codebook (evenly spread over the recordings). */
  maxCodebookFrames: number;
  /** Frames more than this far (dB) below the loud frames (95th percentile) count as silence. */
  activityRangeDb: number;
}

export const defaultTimbreModelOptions: TimbreModelOptions = { maxCodebookFrames: 4000, activityRangeDb: 40 };

/** ln(10)/10: dB → ln power. */
const DB_TO_LN = Math.LN10 / 10;

/**
 * Accumulates frames from one or more analyses and builds a TimbreModel. Frames are marked by
 * the caller's voicing decision (`voiced`) — only active frames (within activityRangeDb of the
 * recording's loud frames) are used; silence never enters the model.
 */
export class TimbreModelBuilder {
  readonly axisHz = melEnvelopeAxisHz();
  private readonly points = this.axisHz.length;
  private readonly bandPoints = axisPointsBelow(this.axisHz, MATCHING_BAND_MAX_HZ);
  private readonly opts: TimbreModelOptions;
  private readonly voicedFrames: Float32Array[] = [];
  private readonly voicedF0: number[] = [];
  private readonly sum = new Float64Array(this.points);
  private readonly sumSq = new Float64Array(this.points);
  private readonly uvSum = new Float64Array(this.points);
  private readonly apSum = new Float64Array(this.points);
  private voicedCount = 0;
  private unvoicedCount = 0;
  private maxObservedHz = 0;

  constructor(options: Partial<TimbreModelOptions> = {}) {
    this.opts = { ...defaultTimbreModelOptions, ...options };
  }

  /** Adds the frames of one analysis. `voiced` overrides analysis.voiced when given (same length). */
  add(analysis: EnvelopeFrames, voiced: Uint8Array = analysis.voiced): void {
    const mapper = createEnvelopeAxisMapper(analysis.sampleRate, analysis.fftSize, this.axisHz);
    this.maxObservedHz = Math.max(
      this.maxObservedHz,
      Math.min(analysis.sampleRate / 2, ENVELOPE_AXIS_MAX_HZ),
    );
    const frames = analysis.spectralEnvelope.length;
    const shapes: Float32Array[] = [];
    const levels = new Float32Array(frames);
    for (let t = 0; t < frames; t++) {
      const env = new Float32Array(this.points);
      mapper.toAxis(analysis.spectralEnvelope[t] as Float32Array, env);
      const level = meanOf(env, this.bandPoints);
      for (let j = 0; j < this.points; j++) env[j] = (env[j] as number) - level;
      shapes.push(env);
      levels[t] = level;
    }
    const sorted = Float32Array.from(levels).sort();
    const loud = sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0;
    const floor = loud - this.opts.activityRangeDb * DB_TO_LN;
    const ap = new Float32Array(this.points);
    for (let t = 0; t < frames; t++) {
      if ((levels[t] as number) < floor) continue;
      const shape = shapes[t] as Float32Array;
      if (voiced[t] === 1) {
        this.voicedCount++;
        this.voicedFrames.push(shape);
        this.voicedF0.push(analysis.f0Hz[t] ?? 0);
        for (let j = 0; j < this.points; j++) {
          const v = shape[j] as number;
          this.sum[j] = (this.sum[j] as number) + v;
          this.sumSq[j] = (this.sumSq[j] as number) + v * v;
        }
        mapper.toAxis(analysis.aperiodicity[t] as Float32Array, ap);
        for (let j = 0; j < this.points; j++)
          this.apSum[j] = (this.apSum[j] as number) + Math.exp(ap[j] as number);
      } else {
        this.unvoicedCount++;
        for (let j = 0; j < this.points; j++)
          this.uvSum[j] = (this.uvSum[j] as number) + (shape[j] as number);
      }
    }
  }

  /** Voiced active frames added so far. */
  get voicedFrameCount(): number {
    return this.voicedCount;
  }

  /** The model from everything added. */
  build(): TimbreModel {
    const n = this.points;
    const mean = new Float32Array(n);
    const std = new Float32Array(n);
    const uvMean = new Float32Array(n);
    const apMean = new Float32Array(n);
    const vc = Math.max(1, this.voicedCount);
    const uc = Math.max(1, this.unvoicedCount);
    for (let j = 0; j < n; j++) {
      const m = (this.sum[j] as number) / vc;
      mean[j] = m;
      std[j] = Math.sqrt(Math.max(0, (this.sumSq[j] as number) / vc - m * m));
      uvMean[j] = (this.uvSum[j] as number) / uc;
      apMean[j] = (this.apSum[j] as number) / vc;
    }
    const total = this.voicedFrames.length;
    const keep = Math.min(total, this.opts.maxCodebookFrames);
    const codebook = new Float32Array(keep * n);
    const codebookF0Hz = new Float32Array(keep);
    for (let i = 0; i < keep; i++) {
      // Evenly spread picks over all voiced frames, so every recording and phrase is represented.
      const src = Math.floor(((i + 0.5) * total) / keep);
      codebook.set(this.voicedFrames[src] as Float32Array, i * n);
      codebookF0Hz[i] = this.voicedF0[src] ?? 0;
    }
    return {
      axisHz: this.axisHz,
      maxObservedHz: this.maxObservedHz,
      meanVoicedLogEnvelope: mean,
      stdVoicedLogEnvelope: std,
      meanUnvoicedLogEnvelope: uvMean,
      meanVoicedAperiodicity: apMean,
      codebook,
      codebookF0Hz,
      codebookFrames: keep,
      voicedFrames: this.voicedCount,
      unvoicedFrames: this.unvoicedCount,
      vtlnWarpFactor: estimateWarpFactor(referenceLogEnvelope(this.axisHz), mean, this.axisHz),
    };
  }
}

/**
 * The model of two sets of recordings together: averages weighted by frame counts, codebooks
 * pooled and thinned to `maxCodebookFrames` in proportion to their voiced frames.
 */
export function mergeTimbreModels(
  a: TimbreModel,
  b: TimbreModel,
  options: Partial<TimbreModelOptions> = {},
): TimbreModel {
  const { maxCodebookFrames } = { ...defaultTimbreModelOptions, ...options };
  const n = a.axisHz.length;
  const wa = a.voicedFrames / Math.max(1, a.voicedFrames + b.voicedFrames);
  const ua = a.unvoicedFrames / Math.max(1, a.unvoicedFrames + b.unvoicedFrames);
  const mix = (x: Float32Array, y: Float32Array, w: number): Float32Array =>
    x.map((v, j) => w * v + (1 - w) * (y[j] as number));
  const mean = mix(a.meanVoicedLogEnvelope, b.meanVoicedLogEnvelope, wa);
  const std = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const ma = a.meanVoicedLogEnvelope[j] as number;
    const mb = b.meanVoicedLogEnvelope[j] as number;
    const m = mean[j] as number;
    const va = (a.stdVoicedLogEnvelope[j] as number) ** 2 + (ma - m) ** 2;
    const vb = (b.stdVoicedLogEnvelope[j] as number) ** 2 + (mb - m) ** 2;
    std[j] = Math.sqrt(wa * va + (1 - wa) * vb);
  }
  const keepA = Math.min(a.codebookFrames, Math.round(maxCodebookFrames * wa));
  const keepB = Math.min(b.codebookFrames, maxCodebookFrames - keepA);
  const codebook = new Float32Array((keepA + keepB) * n);
  const codebookF0Hz = new Float32Array(keepA + keepB);
  const take = (m: TimbreModel, count: number, at: number): void => {
    for (let i = 0; i < count; i++) {
      const src = Math.floor(((i + 0.5) * m.codebookFrames) / count);
      codebook.set(m.codebook.subarray(src * n, (src + 1) * n), (at + i) * n);
      codebookF0Hz[at + i] = m.codebookF0Hz[src] ?? 0;
    }
  };
  take(a, keepA, 0);
  take(b, keepB, keepA);
  return {
    axisHz: a.axisHz,
    maxObservedHz: Math.min(a.maxObservedHz, b.maxObservedHz),
    meanVoicedLogEnvelope: mean,
    stdVoicedLogEnvelope: std,
    meanUnvoicedLogEnvelope: mix(a.meanUnvoicedLogEnvelope, b.meanUnvoicedLogEnvelope, ua),
    meanVoicedAperiodicity: mix(a.meanVoicedAperiodicity, b.meanVoicedAperiodicity, wa),
    codebook,
    codebookF0Hz,
    codebookFrames: keepA + keepB,
    voicedFrames: a.voicedFrames + b.voicedFrames,
    unvoicedFrames: a.unvoicedFrames + b.unvoicedFrames,
    vtlnWarpFactor: estimateWarpFactor(referenceLogEnvelope(a.axisHz), mean, a.axisHz),
  };
}
