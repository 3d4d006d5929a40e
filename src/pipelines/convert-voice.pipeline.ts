import { monoAudio, type RawAudio } from '../audio/index.js';
import type { VoiceAnalysis } from '../dsp/analysis.js';
import { estimateF0, type F0Track } from '../dsp/pitch/index.js';
import { SourceFilterSynthesizer } from '../dsp/synthesis/index.js';
import { AutoVoiceError } from '../errors/index.js';
import { computeConversionMetrics, type ConversionMetrics } from '../quality/index.js';
import { repairF0Outliers } from '../voice/f0-repair.js';
import { refineMelodyF0 } from '../voice/melody-f0.js';
import { computePitchStatistics } from '../voice/pitch-statistics.js';
import {
  applyPitchMapping,
  parsePitchShiftRequest,
  planPitchMapping,
  type PitchMappingPlan,
  type PitchMode,
  type PitchShiftRequest,
} from '../voice/pitch-mapping.js';
import { TimbreModelBuilder } from '../voice/timbre-model.js';
import {
  convertEnvelopes,
  planTimbreConversion,
  type TimbreConversionOptions,
  type TimbreConversionPlan,
} from '../voice/timbre-conversion.js';
import type { VoiceProfile } from '../voice/voice-profile.js';
import type { PipelineRunOptions } from './progress.js';
import { analyzeFramesInContext, matchLoudness } from './chunked-analysis.js';
import { assertEngineSampleRate, engineMono } from './engine-sample-rate.js';
import { createStageReporter, type PipelineStage } from './stage-progress.js';

/** The stages of voice conversion, in order (names appear in progress events). */
export const CONVERT_VOICE_STAGES = [
  { name: 'decode', weight: 0.5 },
  { name: 'analyze-pitch', weight: 2 },
  { name: 'plan', weight: 1 },
  { name: 'convert', weight: 12 },
  { name: 'finish', weight: 1 },
] as const satisfies readonly PipelineStage[];

/** A stage name of voice conversion. */
export type ConvertVoiceStage = (typeof CONVERT_VOICE_STAGES)[number]['name'];

/** Options of convertVoice. */
export interface ConvertVoiceOptions extends PipelineRunOptions {
  /** Pitch treatment: `speech` maps the F0 distribution, `singing` keeps the melody, `keep` leaves F0. */
  readonly mode?: PitchMode;
  /** 'auto' or a transposition in semitones (±24). */
  readonly pitch?: PitchShiftRequest | string;
  /** Timbre conversion knobs (defaults are tuned on the quality bench). */
  readonly timbre?: Partial<TimbreConversionOptions>;
  /** Length of the analysis chunks (s): bounds memory on long inputs. */
  readonly chunkSeconds?: number;
  /** Analysis hop (ms, 2..20; default 10). */
  readonly framePeriodMs?: number;
  /** Skip the result metrics (benchmarks that measure their own). */
  readonly skipMetrics?: boolean;
}

/** What the conversion decided (reported beside the metrics). */
export interface ConversionPlanSummary {
  readonly mode: PitchMode;
  /** Transposition in semitones (singing/keep) or the shift of the mean (speech). */
  readonly semitones: number;
  /** Estimated source → target vocal-tract warp factor. */
  readonly warpFactor: number;
  readonly chunks: number;
}

/** What convertVoice returns. */
export interface ConvertVoiceResult {
  /** Converted audio: mono, at the input's sample rate (192 kHz at most), loudness matched to the input. */
  readonly audio: RawAudio;
  /** Result metrics (src/quality computeConversionMetrics); undefined when skipMetrics. */
  readonly metrics: ConversionMetrics | undefined;
  readonly plan: ConversionPlanSummary;
}

/** Default analysis hop (ms): 10 ms halves the vocoder's cost against 5 ms at no loss in speech. */
const DEFAULT_FRAME_PERIOD_MS = 10;
/** Most windows of the source analysed up front for its average envelopes, and their length (s). */
const STATS_WINDOWS = 6;
const STATS_WINDOW_SECONDS = 5;

/** Analysis of frames [a, b) with context; returns it and the local index of frame a. */
function analyzeFrames(
  signal: Float32Array,
  sampleRate: number,
  track: F0Track,
  a: number,
  b: number,
): { analysis: VoiceAnalysis; offset: number } {
  const { analysis, first } = analyzeFramesInContext(signal, sampleRate, track, a, b);
  return { analysis, offset: a - first };
}

/** Average envelopes of the source from up to STATS_WINDOWS evenly spaced windows. */
function sourceTimbreStats(
  signal: Float32Array,
  sampleRate: number,
  track: F0Track,
): { meanVoicedLogEnvelope: Float32Array; meanUnvoicedLogEnvelope: Float32Array } {
  const frames = track.f0Hz.length;
  const windowFrames = Math.round((STATS_WINDOW_SECONDS * 1000) / track.framePeriodMs);
  const builder = new TimbreModelBuilder({ maxCodebookFrames: 0 });
  if (frames <= STATS_WINDOWS * windowFrames) {
    const { analysis } = analyzeFrames(signal, sampleRate, track, 0, frames);
    builder.add(analysis);
  } else {
    for (let w = 0; w < STATS_WINDOWS; w++) {
      const a = Math.floor(((w + 0.5) * frames) / STATS_WINDOWS - windowFrames / 2);
      const { analysis, offset } = analyzeFrames(signal, sampleRate, track, a, a + windowFrames);
      builder.add(sliceAnalysis(analysis, offset, offset + windowFrames));
    }
  }
  return builder.build();
}

function sliceAnalysis(a: VoiceAnalysis, lo: number, hi: number): VoiceAnalysis {
  return {
    ...a,
    f0Hz: a.f0Hz.subarray(lo, hi),
    voiced: a.voiced.subarray(lo, hi),
    spectralEnvelope: a.spectralEnvelope.slice(lo, hi),
    aperiodicity: a.aperiodicity.slice(lo, hi),
  };
}

function validate(
  audio: RawAudio,
  profile: VoiceProfile,
  options: ConvertVoiceOptions,
): { mode: PitchMode; pitch: PitchShiftRequest } {
  const mode = options.mode ?? 'speech';
  if (mode !== 'speech' && mode !== 'singing' && mode !== 'keep') {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `Mode must be "speech", "singing" or "keep", got "${String(mode)}".`,
      { mode },
    );
  }
  const pitch = parsePitchShiftRequest(options.pitch);
  if (audio.channels.length === 0) {
    throw new AutoVoiceError('usage.invalid_argument', 'The audio to convert needs at least one channel.');
  }
  assertEngineSampleRate(audio.sampleRate, 'The audio to convert');
  if (profile.timbre.codebookFrames === 0) {
    throw new AutoVoiceError(
      'voice.invalid_profile',
      `Voice profile "${profile.name}" has no timbre frames; create it again from a recording.`,
    );
  }
  return { mode, pitch };
}

/**
 * Converts speech or singing into the voice of `profile`, zero-shot, on the analysis/synthesis
 * engine: F0 mapped per `mode`/`pitch`, spectral envelopes converted by kNN frame selection over
 * the profile's frames blended with VTLN warping + equalisation (src/voice/timbre-conversion.ts),
 * aperiodicity kept (breaths and consonants stay natural). Analysis runs in chunks with context
 * (bounded memory on long inputs) while one continuous synthesiser renders every frame, so chunk
 * boundaries cannot click. The output keeps the input's duration and integrated loudness.
 */
export async function convertVoice(
  audio: RawAudio,
  profile: VoiceProfile,
  options: ConvertVoiceOptions = {},
): Promise<ConvertVoiceResult> {
  const { mode, pitch } = validate(audio, profile, options);
  const progress = createStageReporter(CONVERT_VOICE_STAGES, options);

  progress.enter('decode');
  const { signal, sampleRate } = engineMono(audio);

  progress.enter('analyze-pitch');
  const framePeriodMs = options.framePeriodMs ?? DEFAULT_FRAME_PERIOD_MS;
  const tracked = estimateF0(signal, sampleRate, { framePeriodMs });
  // Isolated tracking errors would become audible pitch glitches after mapping: repair them first.
  const repaired = repairF0Outliers(tracked.f0Hz);
  // Singing and keep render the source melody as is: measure it more exactly than the tracker.
  const track: F0Track = {
    ...tracked,
    f0Hz: mode === 'speech' ? repaired : refineMelodyF0(signal, sampleRate, { ...tracked, f0Hz: repaired }),
  };
  const frames = track.f0Hz.length;

  progress.enter('plan');
  const pitchPlan: PitchMappingPlan = planPitchMapping(
    computePitchStatistics(track.f0Hz, track.voiced),
    profile.pitch,
    mode,
    pitch,
  );
  const timbrePlan: TimbreConversionPlan = planTimbreConversion(
    sourceTimbreStats(signal, sampleRate, track),
    profile.timbre,
    options.timbre,
  );

  progress.enter('convert');
  const chunkFrames = Math.max(
    Math.round(1000 / framePeriodMs),
    Math.round(((options.chunkSeconds ?? 10) * 1000) / framePeriodMs),
  );
  const out = new Float32Array(signal.length);
  let synth: SourceFilterSynthesizer | undefined;
  let written = 0;
  let chunks = 0;
  for (let a = 0; a < frames; a += chunkFrames) {
    const b = Math.min(frames, a + chunkFrames);
    const { analysis, offset } = analyzeFrames(signal, sampleRate, track, a, b);
    const envelopes = convertEnvelopes(analysis, timbrePlan);
    const f0 = applyPitchMapping(analysis.f0Hz, pitchPlan);
    // Unvoiced frames get fresh noise, not the source's texture (SynthesisOptions.source):
    // frames the tracker calls unvoiced may still be partly periodic (voiced fricatives, breathy
    // ends), and their texture would carry the source's pitch into the converted voice (measured:
    // log-F0 RMSE to the target 165 → 171 cents in `npm run bench:quality`, two runs each).
    synth ??= new SourceFilterSynthesizer(sampleRate, framePeriodMs, analysis.fftSize);
    for (let t = offset; t < offset + (b - a); t++) {
      synth.pushFrame(
        analysis.voiced[t] === 1 ? (f0[t] as number) : 0,
        envelopes[t] as Float32Array,
        analysis.aperiodicity[t] as Float32Array,
      );
      if (written < out.length) written += synth.readInto(out, written);
    }
    chunks++;
    progress.update('convert', b / frames);
    // Yield between chunks: keeps a server responsive and lets cancellation land.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (synth !== undefined) {
    synth.finish();
    if (written < out.length) synth.readInto(out, written);
  }

  progress.enter('finish');
  const converted = matchLoudness(monoAudio(out, sampleRate), monoAudio(signal, sampleRate));
  const metrics =
    options.skipMetrics === true
      ? undefined
      : computeConversionMetrics({
          source: monoAudio(signal, sampleRate),
          converted,
          profile,
          mode,
          ...(mode === 'speech' ? {} : { semitones: pitchPlan.semitones }),
        });
  progress.finish();
  return {
    audio: converted,
    metrics,
    plan: { mode, semitones: pitchPlan.semitones, warpFactor: timbrePlan.warpFactor, chunks },
  };
}
