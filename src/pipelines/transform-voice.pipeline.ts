import { monoAudio, type RawAudio } from '../audio/index.js';
import { refineAnalysis } from '../dsp/analysis-refinement.js';
import type { VoiceAnalysis } from '../dsp/analysis.js';
import { defaultF0Options, estimateF0, type F0Track } from '../dsp/pitch/index.js';
import { signalSource, SourceFilterSynthesizer } from '../dsp/synthesis/index.js';
import {
  applySpectralTilt,
  interpolateFrame,
  scaleBreathiness,
  shiftFormants,
  shiftPitch,
  type InterpolatedFrame,
} from '../dsp/transform/index.js';
import { AutoVoiceError } from '../errors/index.js';
import { repairF0Outliers } from '../voice/f0-repair.js';
import type { PipelineRunOptions } from './progress.js';
import { analyzeFramesInContext, matchLoudness } from './chunked-analysis.js';
import { assertEngineSampleRate, engineMono } from './engine-sample-rate.js';
import { createStageReporter, type PipelineStage } from './stage-progress.js';

/** The stages of a voice transform, in order (names appear in progress events). */
export const TRANSFORM_VOICE_STAGES = [
  { name: 'decode', weight: 0.5 },
  { name: 'analyze-pitch', weight: 1 },
  { name: 'transform', weight: 12 },
  { name: 'finish', weight: 1 },
] as const satisfies readonly PipelineStage[];

/** A stage name of a voice transform. */
export type TransformVoiceStage = (typeof TRANSFORM_VOICE_STAGES)[number]['name'];

/** What to change in a voice; every field left out keeps that property of the recording. */
export interface VoiceEdit {
  /** Pitch shift in semitones, −24..24 (formants stay). */
  readonly semitones: number;
  /** Formant frequency factor, 0.5..2: above 1 a shorter vocal tract (smaller, brighter voice). */
  readonly formantFactor: number;
  /** Spectral tilt in dB per octave around 1 kHz, −12..12 (positive = brighter). */
  readonly tiltDbPerOctave: number;
  /** Factor on the voiced aperiodicity, 0..4: above 1 breathier, 0 purely periodic. */
  readonly breathiness: number;
  /** Duration factor, 0.25..4: above 1 slower; pitch and formants stay. */
  readonly stretch: number;
}

/** The identity edit. */
export const noVoiceEdit: VoiceEdit = {
  semitones: 0,
  formantFactor: 1,
  tiltDbPerOctave: 0,
  breathiness: 1,
  stretch: 1,
};

/** Options of transformVoice. */
export interface TransformVoiceOptions extends PipelineRunOptions {
  /**
   * Offline analysis by synthesis before the edit (`refineAnalysis`: aperiodicity de-bias and
   * envelope passes), for the most faithful rendering of edits that keep pitch and timing. Costs
   * about 0.1-0.25 × real time more; ignored (reported as not applied) when the edit shifts
   * pitch or stretches time.
   */
  readonly refine?: boolean;
  /** Analysis hop (ms, 2..20; default 5). */
  readonly framePeriodMs?: number;
  /** Length of the analysis chunks (s): bounds memory on long inputs. */
  readonly chunkSeconds?: number;
}

/** What transformVoice returns. */
export interface TransformVoiceResult {
  /** The edited voice: mono, at the input's sample rate (192 kHz at most), loudness matched to the input. */
  readonly audio: RawAudio;
  /** The edit as applied (defaults filled in). */
  readonly edit: VoiceEdit;
  /** Whether the analysis was refined (requested, and pitch and timing kept). */
  readonly refined: boolean;
  /** Whether the recording lent the rendering its noise texture (pitch and timing kept). */
  readonly sourceTexture: boolean;
  readonly chunks: number;
  /** Median F0 of the voiced frames, Hz, of the input and of the output (null without voicing). */
  readonly inputMedianF0Hz: number | null;
  readonly outputMedianF0Hz: number | null;
  /** The pitch change the output realises, semitones (null without voicing in both). */
  readonly realisedSemitones: number | null;
}

const DEFAULT_FRAME_PERIOD_MS = 5;

const LIMITS: Record<keyof VoiceEdit, readonly [number, number]> = {
  semitones: [-24, 24],
  formantFactor: [0.5, 2],
  tiltDbPerOctave: [-12, 12],
  breathiness: [0, 4],
  stretch: [0.25, 4],
};

/** The edit with defaults filled in, each value checked against its range. */
export function resolveVoiceEdit(edit: Partial<VoiceEdit>): VoiceEdit {
  const out: { -readonly [K in keyof VoiceEdit]: number } = { ...noVoiceEdit };
  for (const key of Object.keys(LIMITS) as (keyof VoiceEdit)[]) {
    const value = edit[key];
    if (value === undefined) continue;
    const [lo, hi] = LIMITS[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
      throw new AutoVoiceError(
        'usage.invalid_argument',
        `${key} must be a number from ${lo} to ${hi}, got ${String(value)} (${noVoiceEdit[key]} leaves it unchanged).`,
        { option: key, value: String(value) },
      );
    }
    out[key] = value;
  }
  return out;
}

/**
 * Edits a voice on the analysis/synthesis engine: pitch shift with formants kept, formant shift,
 * spectral tilt, breathiness and time stretch, in any combination, in one rendering. Input
 * channels are mixed to mono (a voice). Analysis runs in chunks with context (bounded memory)
 * while one continuous synthesiser renders every output frame, so chunk boundaries cannot click;
 * time stretch reads the analysis between frames. When pitch and timing are kept, the recording
 * lends its noise texture to the rendering (consonants and breaths keep their own grain) and
 * `refine` may refine the analysis first. The output keeps the input's integrated loudness.
 */
export async function transformVoice(
  audio: RawAudio,
  edit: Partial<VoiceEdit>,
  options: TransformVoiceOptions = {},
): Promise<TransformVoiceResult> {
  const applied = resolveVoiceEdit(edit);
  const framePeriodMs = options.framePeriodMs ?? DEFAULT_FRAME_PERIOD_MS;
  if (!(framePeriodMs >= 2 && framePeriodMs <= 20)) {
    throw new AutoVoiceError('usage.invalid_argument', `framePeriodMs must be 2..20, got ${framePeriodMs}.`, {
      option: 'framePeriodMs',
    });
  }
  if (audio.channels.length === 0) {
    throw new AutoVoiceError('usage.invalid_argument', 'The audio to transform needs at least one channel.');
  }
  assertEngineSampleRate(audio.sampleRate, 'The audio to transform');
  const progress = createStageReporter(TRANSFORM_VOICE_STAGES, options);

  progress.enter('decode');
  const { signal, sampleRate } = engineMono(audio);
  const keepsTiming = applied.semitones === 0 && applied.stretch === 1;
  const refine = options.refine === true && keepsTiming;

  progress.enter('analyze-pitch');
  const tracked = estimateF0(signal, sampleRate, { framePeriodMs });
  // An isolated tracking error would be rendered as an audible pitch glitch: repair it first.
  const track: F0Track = { ...tracked, f0Hz: repairF0Outliers(tracked.f0Hz) };
  const frames = track.f0Hz.length;

  progress.enter('transform');
  const hop = (sampleRate * framePeriodMs) / 1000;
  const outLength = Math.round(signal.length * applied.stretch);
  const outFrames = Math.floor(outLength / hop + 1e-9) + 1;
  const chunkFrames = Math.max(
    Math.round(1000 / framePeriodMs),
    Math.round(((options.chunkSeconds ?? 10) * 1000) / framePeriodMs),
  );
  const out = new Float32Array(outLength);
  const source = keepsTiming ? signalSource(signal) : undefined;
  let synth: SourceFilterSynthesizer | undefined;
  let frame: InterpolatedFrame | undefined;
  let written = 0;
  let chunks = 0;
  let next = 0; // next output frame to render
  for (let a = 0; a < frames && next < outFrames; a += chunkFrames) {
    const b = Math.min(frames, a + chunkFrames);
    const { analysis, first } = analyzeChunk(signal, sampleRate, track, a, b, refine);
    const edited = applyEdit(analysis, applied);
    synth ??= new SourceFilterSynthesizer(sampleRate, framePeriodMs, edited.fftSize, { source });
    frame ??= {
      f0Hz: 0,
      envelope: new Float32Array(edited.fftSize / 2 + 1),
      aperiodicity: new Float32Array(edited.fftSize / 2 + 1),
    };
    // Output frame j reads the recording's timeline at j / stretch; this chunk holds [a, b).
    const lastOfChunk = b === frames ? outFrames : Math.min(outFrames, Math.ceil(b * applied.stretch - 1e-9));
    for (; next < lastOfChunk; next++) {
      interpolateFrame(edited, next / applied.stretch - first, frame);
      synth.pushFrame(frame.f0Hz, frame.envelope, frame.aperiodicity);
      if (written < out.length) written += synth.readInto(out, written);
    }
    chunks++;
    progress.update('transform', next / outFrames);
    // Yield between chunks: keeps a server responsive and lets cancellation land.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (synth !== undefined) {
    synth.finish();
    if (written < out.length) synth.readInto(out, written);
  }

  progress.enter('finish');
  const result = matchLoudness(monoAudio(out, sampleRate), monoAudio(signal, sampleRate));
  const inputMedian = medianVoicedHz(track.f0Hz);
  // The output is read over the input's search range moved by the shift: at -24 st a 170 Hz
  // voice sits at 42 Hz, under the default 50 Hz floor, where a harmonic would be read instead.
  const shift = 2 ** (applied.semitones / 12);
  const { f0FloorHz, f0CeilHz } = defaultF0Options;
  const outputRange = {
    f0FloorHz: Math.max(20, Math.min(f0FloorHz, f0FloorHz * shift)),
    f0CeilHz: Math.min(sampleRate / 2.5, Math.max(f0CeilHz, f0CeilHz * shift)),
  };
  const outputMedian = medianVoicedHz(
    estimateF0(result.channels[0] as Float32Array, sampleRate, { framePeriodMs, ...outputRange }).f0Hz,
  );
  progress.finish();
  return {
    audio: result,
    edit: applied,
    refined: refine,
    sourceTexture: source !== undefined,
    chunks,
    inputMedianF0Hz: inputMedian,
    outputMedianF0Hz: outputMedian,
    realisedSemitones:
      inputMedian !== null && outputMedian !== null ? 12 * Math.log2(outputMedian / inputMedian) : null,
  };
}

/** Analysis of frames [a, b) with context, refined when asked; `first` = the global index of its frame 0. */
function analyzeChunk(
  signal: Float32Array,
  sampleRate: number,
  track: F0Track,
  a: number,
  b: number,
  refine: boolean,
): { analysis: VoiceAnalysis; first: number } {
  const { analysis, first, segment } = analyzeFramesInContext(signal, sampleRate, track, a, b);
  return { analysis: refine ? refineAnalysis(segment, analysis) : analysis, first };
}

/** The edit's analysis-domain transforms, skipping those that would change nothing. */
function applyEdit(analysis: VoiceAnalysis, edit: VoiceEdit): VoiceAnalysis {
  let a = analysis;
  if (edit.semitones !== 0) a = shiftPitch(a, edit.semitones);
  if (edit.formantFactor !== 1) a = shiftFormants(a, edit.formantFactor);
  if (edit.tiltDbPerOctave !== 0) a = applySpectralTilt(a, edit.tiltDbPerOctave);
  if (edit.breathiness !== 1) a = scaleBreathiness(a, edit.breathiness);
  return a;
}

function medianVoicedHz(f0Hz: Float32Array): number | null {
  const voiced = Array.from(f0Hz).filter((f) => f > 0);
  if (voiced.length === 0) return null;
  voiced.sort((x, y) => x - y);
  return voiced[Math.floor(voiced.length / 2)] as number;
}
