import { AutoVoiceError } from '../../errors/index.js';
import { decimateForPitch, highPassForPitch, pitchDecimationFactor } from './decimate.js';
import { f0FrameCount, resolveF0Options, type F0Options, type F0Track } from './f0-options.js';
import { voiceBandFrameLevels } from './frame-level.js';
import { medianSmoothF0 } from './median-smooth-f0.js';
import { collectPitchCandidates } from './multiband-candidates.js';
import type { PitchCandidateTable } from './pitch-candidates.js';
import { trackPitch, type PitchTrackerCosts } from './pitch-tracker.js';
import { refineChosenPeriod, type PeriodRefinementSignals, type RefinedLag } from './refine-lag.js';

/** Absolute silence floor (mean square, ≈ -110 dBFS): below it nothing is voiced. */
const ABSOLUTE_SILENCE_LEVEL = 1e-11;
/**
 * Low-pass cutoff of the analysis signal, as a fraction of the analysis rate (2.4 kHz at 8 kHz).
 * The short decimation filter's transition band is wide: with the cutoff any higher, fricative
 * energy near the analysis Nyquist frequency leaks through and reads as a 2-sample periodicity,
 * whose multiples (8, 10, 12 samples) become 700-1100 Hz "voiced" spikes in speech. Content near
 * Nyquist also makes the NCCF oscillate too fast for the peak interpolator, which underrates the
 * true period against its multiples. Three or more harmonics of any F0 up to 800 Hz remain.
 */
export const ANALYSIS_CUTOFF_FRACTION = 0.3;

/**
 * Estimates the F0 contour of a mono signal (speech or singing).
 *
 * Pipeline: decimate to ~8 kHz → high-pass (DC and rumble) → NCCF per frame for every lag of
 * the F0 range, in octave bands (`multiband-candidates.ts`, `nccf.ts`) → strongest peaks as
 * candidates → Viterbi tracking with voicing (`pitch-tracker.ts`; frames quiet in the voice band
 * are silent, `frame-level.ts`) → refinement of the chosen period (`refine-lag.ts`), on the
 * full-rate signal for high voices → running median over each voiced run (`median-smooth-f0.ts`).
 *
 * @param signal mono samples (any scale; NaN/Infinity rejected with `audio.invalid_samples`)
 * @param sampleRate Hz (8 kHz and up recommended)
 * @returns one frame per `framePeriodMs`, frame i centred at i·framePeriodMs; frame count
 *   floor(duration·1000/framePeriodMs) + 1. A signal shorter than one analysis window
 *   (`f0MinimumSignalSeconds`, 40 ms at the defaults) gives a track of that length that is
 *   entirely unvoiced — no error, so that callers working on short chunks need no special case;
 *   an empty signal throws `dsp.input_too_short`.
 */
export function estimateF0(signal: Float32Array, sampleRate: number, options: Partial<F0Options> = {}): F0Track {
  const o = resolveF0Options(sampleRate, options);
  if (!(signal instanceof Float32Array)) {
    throw new AutoVoiceError('dsp.invalid_option', 'estimateF0 needs a Float32Array of mono samples.');
  }
  if (signal.length === 0) {
    throw new AutoVoiceError('dsp.input_too_short', 'The signal is empty; pass at least one sample (a useful F0 needs 40 ms or more).');
  }
  const frameCount = f0FrameCount(signal.length, sampleRate, o.framePeriodMs);
  if (signal.length < f0MinimumSignalSeconds(o) * sampleRate) {
    if (!allFinite(signal)) rejectNonFinite(signal);
    return unvoicedTrack(frameCount, sampleRate, o);
  }

  const { factor, rate, highPassHz } = pitchAnalysisRate(sampleRate, o);
  const decimated = decimateForPitch(signal, factor, ANALYSIS_CUTOFF_FRACTION);
  // Every input sample reaches some decimated sample (no filter tap is zero), so NaN/Infinity
  // anywhere shows up here; the full-rate scan for its index runs only on that failure path.
  if (!allFinite(decimated)) rejectNonFinite(signal);
  // In place when decimation made a copy; never overwrite the caller's signal.
  const analysis = highPassForPitch(decimated, rate, highPassHz, decimated !== signal);
  const table = collectPitchCandidates(analysis, rate, frameCount, o);
  table.level.set(voiceBandFrameLevels(analysis, rate, frameCount, o.framePeriodMs, o.windowMs));

  let maxLevel = 0;
  for (let t = 0; t < frameCount; t++) maxLevel = Math.max(maxLevel, table.level[t] as number);
  const costs = pitchTrackerCosts(o, maxLevel, o.unvoicedEndCost);
  const choice = new Int8Array(frameCount);
  const guess = new Int8Array(frameCount);
  const voicing = new Int8Array(frameCount);
  trackPitch(table, costs, false, choice, { frames: o.voicingLookAheadFrames, out: voicing });
  trackPitch(table, costs, true, guess);
  // Voiced where both the fixed-lag decision and the whole path say so; pitch from the path.
  for (let t = 0; t < frameCount; t++) if ((voicing[t] as number) < 0) choice[t] = -1;

  return assembleTrack({ signal, sampleRate, analysis, rate, factor, o, table, choice, guess });
}

/**
 * The analysis signal's rate: `sampleRate` decimated by `factor` to about analysisRateHz (and at
 * least 3·f0CeilHz), then high-passed at `highPassHz` against DC and rumble.
 */
export function pitchAnalysisRate(
  sampleRate: number,
  o: Pick<F0Options, 'analysisRateHz' | 'f0CeilHz' | 'f0FloorHz'>,
): { factor: number; rate: number; highPassHz: number } {
  const factor = pitchDecimationFactor(sampleRate, Math.max(o.analysisRateHz, 3 * o.f0CeilHz));
  return { factor, rate: sampleRate / factor, highPassHz: Math.min(40, 0.6 * o.f0FloorHz) };
}

/** The tracker's costs, with the silence gate `silenceThresholdDb` under `maxLevel` (the loudest frame's level). */
export function pitchTrackerCosts(o: F0Options, maxLevel: number, unvoicedEndCost: number): PitchTrackerCosts {
  return {
    voicingThreshold: o.voicingThreshold,
    pitchJumpCostPerOctave: o.pitchJumpCostPerOctave,
    voicingChangeCost: o.voicingChangeCost,
    unvoicedEndCost,
    silenceLevel: Math.max(ABSOLUTE_SILENCE_LEVEL, maxLevel * Math.pow(10, -o.silenceThresholdDb / 10)),
  };
}

/**
 * Shortest signal, seconds, in which `estimateF0` looks for a pitch: two periods of the floor
 * F0 or one correlation window, whichever is longer (40 ms at the defaults).
 */
export function f0MinimumSignalSeconds(options: Pick<F0Options, 'f0FloorHz' | 'windowMs'>): number {
  return Math.max(2 / options.f0FloorHz, options.windowMs / 1000);
}

function unvoicedTrack(frameCount: number, sampleRate: number, o: F0Options): F0Track {
  return {
    f0Hz: new Float32Array(frameCount),
    voiced: new Uint8Array(frameCount),
    confidence: new Float32Array(frameCount),
    candidateF0Hz: new Float32Array(frameCount),
    framePeriodMs: o.framePeriodMs,
    sampleRate,
  };
}

function allFinite(x: Float32Array): boolean {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] as number) * 0;
  return sum === 0; // x·0 is NaN exactly for NaN and ±Infinity
}

function rejectNonFinite(signal: Float32Array): never {
  let index = 0;
  while (index < signal.length && Number.isFinite(signal[index] as number)) index++;
  throw new AutoVoiceError('audio.invalid_samples', `Sample ${index} is ${String(signal[index])}; replace NaN/Infinity before F0 analysis.`, {
    index,
  });
}

interface TrackInputs {
  readonly signal: Float32Array;
  readonly sampleRate: number;
  readonly analysis: Float32Array;
  readonly rate: number;
  readonly factor: number;
  readonly o: F0Options;
  readonly table: PitchCandidateTable;
  readonly choice: Int8Array;
  readonly guess: Int8Array;
}

/** Turns tracker choices into the public track, refining the periods of voiced frames. */
function assembleTrack(p: TrackInputs): F0Track {
  const { table, choice, guess, o, rate, factor, analysis } = p;
  const T = table.frameCount;
  const K = table.maxCandidates;
  const f0Hz = new Float32Array(T);
  const voiced = new Uint8Array(T);
  const confidence = new Float32Array(T);
  const candidateF0Hz = new Float32Array(T);
  const refined: RefinedLag = { lag: 0, strength: 0 };
  const refineSignals: PeriodRefinementSignals = {
    fullRate: p.signal,
    fullRateStart: 0,
    sampleRate: p.sampleRate,
    analysis,
    analysisStart: 0,
    rate,
    factor,
  };
  for (let t = 0; t < T; t++) {
    const isVoiced = (choice[t] as number) >= 0;
    const slot = isVoiced ? (choice[t] as number) : (guess[t] as number);
    const n = table.count[t] as number;
    let strength = n > 0 ? (table.strength[t * K] as number) : 0;
    if (slot >= 0) {
      let lag = table.lag[t * K + slot] as number; // analysis-rate samples
      if (isVoiced) strength = table.strength[t * K + slot] as number;
      if (isVoiced && o.refine) lag = refineChosenPeriod(lag, t, refineSignals, o, refined);
      const f0 = rate / lag;
      candidateF0Hz[t] = f0;
      if (isVoiced) {
        f0Hz[t] = f0;
        voiced[t] = 1;
      }
    }
    confidence[t] = Math.min(1, Math.max(0, strength));
  }
  const smoothed = medianSmoothF0(f0Hz, (o.medianFilterFrames - 1) / 2);
  for (let t = 0; t < T; t++) if ((voiced[t] as number) !== 0) candidateF0Hz[t] = smoothed[t] as number;
  return { f0Hz: smoothed, voiced, confidence, candidateF0Hz, framePeriodMs: o.framePeriodMs, sampleRate: p.sampleRate };
}
