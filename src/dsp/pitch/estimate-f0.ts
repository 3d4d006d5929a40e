import { AutoVoiceError } from '../../errors/index.js';
import { decimateForPitch, highPassForPitch, pitchDecimationFactor } from './decimate.js';
import { f0FrameCount, resolveF0Options, type F0Options, type F0Track } from './f0-options.js';
import { NccfAnalyzer } from './nccf.js';
import { createCandidateTable, pickCandidates } from './pitch-candidates.js';
import { trackPitch } from './pitch-tracker.js';
import { refineLag, type RefinedLag } from './refine-lag.js';

/** Frames per NCCF block: bounds scratch memory (block × lags floats) whatever the input length. */
const BLOCK_FRAMES = 256;
/** Absolute silence floor (mean square, ≈ -110 dBFS): below it nothing is voiced. */
const ABSOLUTE_SILENCE_LEVEL = 1e-11;

/**
 * Estimates the F0 contour of a mono signal (speech or singing).
 *
 * Pipeline: high-pass (DC and rumble) → decimate to ~8 kHz → NCCF per frame for every lag in
 * the F0 range (prefix sums, `nccf.ts`) → strongest peaks as candidates → Viterbi tracking with
 * voicing (`pitch-tracker.ts`) → refinement of the chosen period on the full-rate signal.
 *
 * @param signal mono samples (any scale; NaN/Infinity rejected)
 * @param sampleRate Hz (8 kHz and up recommended)
 * @returns one frame per `framePeriodMs`, frame i centred at i·framePeriodMs; frame count
 *   floor(duration·1000/framePeriodMs) + 1. A signal shorter than one analysis window gives a
 *   track of that length that is entirely unvoiced (no error); an empty signal throws
 *   `dsp.input_too_short`.
 */
export function estimateF0(signal: Float32Array, sampleRate: number, options: Partial<F0Options> = {}): F0Track {
  const o = resolveF0Options(sampleRate, options);
  validateSignal(signal);
  const frameCount = f0FrameCount(signal.length, sampleRate, o.framePeriodMs);

  const factor = pitchDecimationFactor(sampleRate, Math.max(o.analysisRateHz, 3 * o.f0CeilHz));
  const rateA = sampleRate / factor;
  const filtered = highPassForPitch(signal, sampleRate, Math.min(40, 0.6 * o.f0FloorHz));
  const analysis = decimateForPitch(filtered, factor);

  const lagMin = rateA / o.f0CeilHz;
  const lagMax = rateA / o.f0FloorHz;
  const lagLo = Math.max(1, Math.floor(lagMin) - 1);
  const lagHi = Math.ceil(lagMax) + 1;
  const hopA = (o.framePeriodMs * rateA) / 1000;
  const analyzer = new NccfAnalyzer(
    analysis,
    hopA,
    lagLo,
    lagHi,
    Math.max(2, Math.round((o.windowMs * rateA) / 1000)),
    o.minPeriodsPerWindow,
  );

  const table = createCandidateTable(frameCount, o.maxCandidates);
  const nccf = new Float32Array(BLOCK_FRAMES * analyzer.lagCount);
  const level = new Float32Array(BLOCK_FRAMES);
  let maxLevel = 0;
  for (let first = 0; first < frameCount; first += BLOCK_FRAMES) {
    const count = Math.min(BLOCK_FRAMES, frameCount - first);
    analyzer.computeBlock(first, count, nccf, level);
    for (let f = 0; f < count; f++) {
      pickCandidates(nccf, f * analyzer.lagCount, lagLo, analyzer.lagCount, lagMin, lagMax, o.candidateThreshold, table, first + f);
      const lv = level[f] as number;
      table.level[first + f] = lv;
      if (lv > maxLevel) maxLevel = lv;
    }
  }

  const costs = {
    voicingThreshold: o.voicingThreshold,
    lowPitchCostPerOctave: o.lowPitchCostPerOctave,
    pitchJumpCostPerOctave: o.pitchJumpCostPerOctave,
    voicingChangeCost: o.voicingChangeCost,
    silenceLevel: Math.max(ABSOLUTE_SILENCE_LEVEL, maxLevel * Math.pow(10, -o.silenceThresholdDb / 10)),
  };
  const choice = new Int8Array(frameCount);
  const guess = new Int8Array(frameCount);
  trackPitch(table, lagMin, costs, false, choice);
  trackPitch(table, lagMin, costs, true, guess);

  return assembleTrack(sampleRate, o, factor, table, choice, guess, filtered);
}

function validateSignal(signal: Float32Array): void {
  if (!(signal instanceof Float32Array)) {
    throw new AutoVoiceError('dsp.invalid_option', 'estimateF0 needs a Float32Array of mono samples.');
  }
  if (signal.length === 0) {
    throw new AutoVoiceError('dsp.input_too_short', 'The signal is empty; pass at least one sample (a useful F0 needs 40 ms or more).');
  }
  for (let i = 0; i < signal.length; i++) {
    if (!Number.isFinite(signal[i] as number)) {
      throw new AutoVoiceError('audio.invalid_samples', `Sample ${i} is ${String(signal[i])}; replace NaN/Infinity before F0 analysis.`, {
        index: i,
      });
    }
  }
}

/** Turns tracker choices into the public track, refining voiced periods at the full rate. */
function assembleTrack(
  sampleRate: number,
  o: F0Options,
  factor: number,
  table: ReturnType<typeof createCandidateTable>,
  choice: Int8Array,
  guess: Int8Array,
  filtered: Float32Array,
): F0Track {
  const T = table.frameCount;
  const K = table.maxCandidates;
  const f0Hz = new Float32Array(T);
  const voiced = new Uint8Array(T);
  const confidence = new Float32Array(T);
  const candidateF0Hz = new Float32Array(T);
  const refined: RefinedLag = { lag: 0, strength: 0 };
  const windowFull = Math.round((o.windowMs * sampleRate) / 1000);
  const maxSteps = Math.ceil(factor / 2) + 1;
  const doRefine = o.refine && factor > 1;
  for (let t = 0; t < T; t++) {
    const isVoiced = (choice[t] as number) >= 0;
    const slot = isVoiced ? (choice[t] as number) : (guess[t] as number);
    const n = table.count[t] as number;
    let strength = n > 0 ? (table.strength[t * K] as number) : 0;
    if (slot >= 0) {
      let lag = (table.lag[t * K + slot] as number) * factor;
      if (isVoiced) strength = table.strength[t * K + slot] as number;
      if (doRefine && isVoiced) {
        const centre = (t * o.framePeriodMs * sampleRate) / 1000;
        const window = Math.max(windowFull, Math.round(o.minPeriodsPerWindow * lag));
        refineLag(filtered, centre, lag, window, maxSteps, refined);
        if (Number.isFinite(refined.strength)) {
          lag = refined.lag;
          strength = Math.max(strength, refined.strength);
        }
      }
      const f0 = sampleRate / lag;
      candidateF0Hz[t] = f0;
      if (isVoiced) {
        f0Hz[t] = f0;
        voiced[t] = 1;
      }
    }
    confidence[t] = Math.min(1, Math.max(0, strength));
  }
  return { f0Hz, voiced, confidence, candidateF0Hz, framePeriodMs: o.framePeriodMs, sampleRate };
}
