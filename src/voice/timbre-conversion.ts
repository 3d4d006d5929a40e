import {
  averageFrames,
  computeMatchingFeatures,
  createCepstralBasis,
  findNearestFrames,
  type MatchingFeatureOptions,
} from './knn-timbre.js';
import { axisPointsBelow, createEnvelopeAxisMapper, MATCHING_BAND_MAX_HZ, meanOf } from './mel-envelope.js';
import type { EnvelopeFrames } from './timbre-model.js';
import type { TimbreModel } from './voice-profile.js';
import { createEnvelopeWarp, estimateWarpFactor, type EnvelopeWarp } from './vtln.js';

/** Options of the timbre conversion. */
export interface TimbreConversionOptions {
  /** Neighbours averaged per frame (kNN-VC uses 4). */
  neighbours: number;
  /** Weight of the kNN (frame-selection) envelope against the warped+equalised source envelope, 0..1. */
  knnWeight: number;
  /** Cepstral coefficients used for matching. */
  matchingCoefficients: number;
  /** Half-width (frames) of the triangular smoothing of the selected envelopes over time. */
  smoothingFrames: number;
  /** Strength (0..1) of the equaliser toward the target's average unvoiced envelope. */
  unvoicedEqualizerStrength: number;
  /** Largest unvoiced equaliser gain (dB, either sign): breaths and consonants stay natural. */
  unvoicedEqualizerLimitDb: number;
  /** Apply the VTLN warp (estimated between the average envelopes). */
  warp: boolean;
}

export const defaultTimbreConversionOptions: TimbreConversionOptions = {
  neighbours: 4,
  knnWeight: 0.9,
  matchingCoefficients: 20,
  smoothingFrames: 2,
  unvoicedEqualizerStrength: 0.6,
  unvoicedEqualizerLimitDb: 9,
  warp: true,
};

/** Average envelopes of the source (from a TimbreModelBuilder over the source's frames). */
export interface SourceTimbreStats {
  readonly meanVoicedLogEnvelope: Float32Array;
  readonly meanUnvoicedLogEnvelope: Float32Array;
}

/** Everything per-conversion that does not depend on the frame: warp, equalisers, target features. */
export interface TimbreConversionPlan {
  readonly options: TimbreConversionOptions;
  readonly target: TimbreModel;
  /** Estimated source → target warp factor. */
  readonly warpFactor: number;
  readonly warp: EnvelopeWarp;
  readonly voicedEqualizer: Float32Array;
  readonly unvoicedEqualizer: Float32Array;
  readonly warpedSourceMean: Float32Array;
  readonly basis: Float32Array;
  readonly featureOptions: MatchingFeatureOptions;
  readonly targetFeatures: Float32Array;
}

function smoothAcrossFrequency(values: Float32Array): Float32Array {
  const n = values.length;
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const a = values[Math.max(0, j - 1)] as number;
    const b = values[j] as number;
    const c = values[Math.min(n - 1, j + 1)] as number;
    out[j] = 0.25 * a + 0.5 * b + 0.25 * c;
  }
  return out;
}

/** Prepares the conversion of a source (its average envelopes) toward a target model. */
export function planTimbreConversion(
  source: SourceTimbreStats,
  target: TimbreModel,
  options: Partial<TimbreConversionOptions> = {},
): TimbreConversionPlan {
  const opts: TimbreConversionOptions = { ...defaultTimbreConversionOptions, ...options };
  const axis = target.axisHz;
  const n = axis.length;
  const bandPoints = axisPointsBelow(axis, Math.min(MATCHING_BAND_MAX_HZ, target.maxObservedHz));
  const warpFactor = opts.warp
    ? estimateWarpFactor(source.meanVoicedLogEnvelope, target.meanVoicedLogEnvelope, axis)
    : 1;
  const warp = createEnvelopeWarp(axis, warpFactor);
  const warpedSourceMean = new Float32Array(n);
  warp.apply(source.meanVoicedLogEnvelope, warpedSourceMean);
  const warpedSourceUv = new Float32Array(n);
  warp.apply(source.meanUnvoicedLogEnvelope, warpedSourceUv);

  const eqV = new Float32Array(n);
  const eqU = new Float32Array(n);
  const limit = (opts.unvoicedEqualizerLimitDb * Math.LN10) / 10;
  for (let j = 0; j < n; j++) {
    eqV[j] = (target.meanVoicedLogEnvelope[j] as number) - (warpedSourceMean[j] as number);
    const u =
      opts.unvoicedEqualizerStrength *
      ((target.meanUnvoicedLogEnvelope[j] as number) - (warpedSourceUv[j] as number));
    eqU[j] = Math.max(-limit, Math.min(limit, u));
  }
  // Equalisers change shape, not level: the frame keeps the source's loudness contour.
  const voicedEqualizer = smoothAcrossFrequency(eqV);
  const unvoicedEqualizer = smoothAcrossFrequency(eqU);
  const lv = meanOf(voicedEqualizer, bandPoints);
  const lu = meanOf(unvoicedEqualizer, bandPoints);
  for (let j = 0; j < n; j++) {
    voicedEqualizer[j] = (voicedEqualizer[j] as number) - lv;
    unvoicedEqualizer[j] = (unvoicedEqualizer[j] as number) - lu;
  }

  const featureOptions: MatchingFeatureOptions = { coefficientCount: opts.matchingCoefficients, bandPoints };
  const basis = createCepstralBasis(featureOptions);
  const targetFeatures = computeMatchingFeatures(
    target.codebook,
    target.codebookFrames,
    n,
    target.meanVoicedLogEnvelope,
    basis,
    featureOptions,
  );
  return {
    options: opts,
    target,
    warpFactor,
    warp,
    voicedEqualizer,
    unvoicedEqualizer,
    warpedSourceMean,
    basis,
    featureOptions,
    targetFeatures,
  };
}

/**
 * Converts the spectral envelopes of an analysis toward the target (returns new per-frame power
 * envelopes, same bins). Voiced frames: k-nearest target frames in the speaker-normalised space,
 * blended with the VTLN-warped, equalised source envelope and smoothed over time. Unvoiced frames
 * (consonants, breaths, silence): warped source envelope with a gentle, limited equaliser. Every
 * frame keeps the source frame's level; the voiced/unvoiced blend is smoothed so transitions stay
 * continuous.
 */
export function convertEnvelopes(analysis: EnvelopeFrames, plan: TimbreConversionPlan): Float32Array[] {
  const { options: opts, target } = plan;
  const n = target.axisHz.length;
  const bandPoints = plan.featureOptions.bandPoints;
  const d = plan.featureOptions.coefficientCount;
  const frames = analysis.spectralEnvelope.length;
  const mapper = createEnvelopeAxisMapper(analysis.sampleRate, analysis.fftSize, target.axisHz);
  const levels = new Float32Array(frames);
  const srcTop = new Float32Array(frames);
  const warped = new Float32Array(frames * n);
  const selected = new Float32Array(frames * n);
  const env = new Float32Array(n);
  const shape = new Float32Array(n);
  const ws = new Float32Array(n);
  const centred = new Float32Array(n);
  const query = new Float32Array(d);
  const idx = new Int32Array(opts.neighbours);
  const dist = new Float64Array(opts.neighbours);
  const avg = new Float32Array(n);
  const useKnn = target.codebookFrames > 0 && opts.knnWeight > 0;

  for (let t = 0; t < frames; t++) {
    mapper.toAxis(analysis.spectralEnvelope[t] as Float32Array, env);
    const level = meanOf(env, bandPoints);
    levels[t] = level;
    srcTop[t] = env[n - 1] as number;
    for (let j = 0; j < n; j++) shape[j] = (env[j] as number) - level;
    plan.warp.apply(shape, ws);
    warped.set(ws, t * n);
    if (useKnn && analysis.voiced[t] === 1) {
      for (let j = 0; j < bandPoints; j++)
        centred[j] = (ws[j] as number) - (plan.warpedSourceMean[j] as number);
      for (let c = 0; c < d; c++) {
        let s = 0;
        const row = c * bandPoints;
        for (let j = 0; j < bandPoints; j++) s += (plan.basis[row + j] as number) * (centred[j] as number);
        query[c] = s;
      }
      const found = findNearestFrames(
        query,
        plan.targetFeatures,
        target.codebookFrames,
        d,
        opts.neighbours,
        idx,
        dist,
      );
      averageFrames(target.codebook, n, idx, found, avg);
      selected.set(avg, t * n);
    }
  }

  // Voicing weight, smoothed over ±3 frames so the voiced and unvoiced treatments cross-fade.
  const vw = new Float32Array(frames);
  for (let t = 0; t < frames; t++) {
    let s = 0;
    let c = 0;
    for (let u = Math.max(0, t - 3); u <= Math.min(frames - 1, t + 3); u++) {
      s += analysis.voiced[u] === 1 ? 1 : 0;
      c++;
    }
    vw[t] = s / c;
  }

  const out: Float32Array[] = [];
  const outLog = new Float32Array(n);
  const sm = new Float32Array(n);
  const h = opts.smoothingFrames;
  for (let t = 0; t < frames; t++) {
    const level = levels[t] as number;
    const base = t * n;
    const v = vw[t] as number;
    // Triangular smoothing of the selected envelopes over neighbouring voiced frames (no musical noise).
    let haveSel = false;
    if (useKnn && v > 0) {
      sm.fill(0);
      let wsum = 0;
      for (let u = Math.max(0, t - h); u <= Math.min(frames - 1, t + h); u++) {
        if (analysis.voiced[u] !== 1) continue;
        const w = h + 1 - Math.abs(u - t);
        wsum += w;
        for (let j = 0; j < n; j++) sm[j] = (sm[j] as number) + w * (selected[u * n + j] as number);
      }
      if (wsum > 0) {
        haveSel = true;
        for (let j = 0; j < n; j++) sm[j] = (sm[j] as number) / wsum;
      }
    }
    const kw = haveSel ? opts.knnWeight : 0;
    for (let j = 0; j < n; j++) {
      const w = warped[base + j] as number;
      const voicedShape = (1 - kw) * (w + (plan.voicedEqualizer[j] as number)) + kw * (sm[j] as number);
      const unvoicedShape = w + (plan.unvoicedEqualizer[j] as number);
      outLog[j] = level + v * voicedShape + (1 - v) * unvoicedShape;
    }
    const bins = new Float32Array(mapper.binCount);
    mapper.toBins(outLog, bins);
    // Above the axis top (high sample rates), follow the source's own envelope, re-levelled.
    if (mapper.firstBinAboveAxis < mapper.binCount) {
      const gain = Math.exp((outLog[n - 1] as number) - (srcTop[t] as number));
      const src = analysis.spectralEnvelope[t] as Float32Array;
      for (let k = mapper.firstBinAboveAxis; k < mapper.binCount; k++) bins[k] = (src[k] as number) * gain;
    }
    out.push(bins);
  }
  return out;
}
