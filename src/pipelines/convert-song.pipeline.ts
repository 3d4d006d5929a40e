/**
 * Song conversion: a finished song in, the same song sung in a voice profile out, plus stems.
 *
 * Stages (names reused in progress events): `separate` (vocals/accompaniment, segment by segment)
 * → `convert` (the vocal stem through convertVoice in singing mode: melody kept, transposed by
 * whole octaves to fit the voice — or by ±N semitones on request) → `transpose` (with ±N, the
 * accompaniment too, by the polyphonic pitch shifter, so the song stays in tune) → `remix`
 * (gains, loudness matched to the original, true-peak limiter). Decoding and encoding are the
 * caller's edges (CLI, job handler); `convertSongFile` wraps them as `decode`/`encode` stages.
 *
 * Memory: separation and conversion both work in segments; the largest live objects are a few
 * full-length sample arrays (about 10 MB per channel-minute at 44.1 kHz).
 */
import { join } from 'node:path';
import {
  MAX_TARGET_LUFS,
  measureLoudness,
  mixToMono,
  normalizeLoudness,
  readAudioFile,
  writeAudioFile,
  type RawAudio,
} from '../audio/index.js';
import { shiftPitchPolyphonic } from '../dsp/polyphonic-pitch-shift.js';
import { AutoVoiceError } from '../errors/index.js';
import type { ConversionMetrics } from '../quality/index.js';
import { separateVocals } from '../separation/index.js';
import { parsePitchShiftRequest, type PitchShiftRequest } from '../voice/pitch-mapping.js';
import type { VoiceProfile } from '../voice/voice-profile.js';
import { convertVoice, type ConvertVoiceResult } from './convert-voice.pipeline.js';
import { fitEngineSampleRate } from './engine-sample-rate.js';
import type { PipelineRunOptions } from './progress.js';
import { createStageReporter, type PipelineStage } from './stage-progress.js';
import { makeFolder } from '../storage/make-folder.js';

/** The stages of song conversion, in order, with their rough share of the work. */
export const CONVERT_SONG_STAGES = [
  { name: 'separate', weight: 4 },
  { name: 'convert', weight: 8 },
  { name: 'transpose', weight: 1 },
  { name: 'remix', weight: 1 },
] as const satisfies readonly PipelineStage[];

/** A stage name of song conversion. */
export type ConvertSongStage = (typeof CONVERT_SONG_STAGES)[number]['name'];

/** Options of convertSong. */
export interface ConvertSongOptions extends PipelineRunOptions {
  /** 'auto' (octaves to fit the voice, accompaniment untouched) or ±N semitones applied to vocals and accompaniment. */
  readonly pitch?: PitchShiftRequest | string;
  /** Gain of the converted vocal in the remix, dB. */
  readonly vocalGainDb?: number;
  /** Gain of the accompaniment in the remix, dB. */
  readonly accompanimentGainDb?: number;
  /** Separation engine ('dsp' default, or 'onnx' with modelPath). */
  readonly separationEngine?: string;
  readonly separationModelPath?: string;
  /** True-peak ceiling of the final mix, dBTP. */
  readonly truePeakCeilingDbtp?: number;
  /** Skip the conversion metrics (benchmarks). */
  readonly skipMetrics?: boolean;
}

/** What convertSong decided and measured. */
export interface SongConversionMetrics {
  /** Semitones applied to the vocal melody. */
  readonly vocalSemitones: number;
  /** Semitones applied to the accompaniment (0 in 'auto'). */
  readonly accompanimentSemitones: number;
  readonly originalLufs: number;
  readonly mixLufs: number;
  readonly mixTruePeakDbtp: number;
  /** convertVoice's metrics for the vocal stem (undefined when skipped). */
  readonly vocal: ConversionMetrics | undefined;
}

/** What convertSong returns: all at the input's sample rate (192 kHz at most) and channel count. */
export interface ConvertSongResult {
  readonly mix: RawAudio;
  readonly convertedVocals: RawAudio;
  readonly originalVocals: RawAudio;
  /** The accompaniment as used in the mix (transposed when ±N was asked). */
  readonly accompaniment: RawAudio;
  readonly metrics: SongConversionMetrics;
}

function validateGain(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!Number.isFinite(v) || Math.abs(v) > 40) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `${name} must be a number of dB between -40 and +40; got ${String(value)}.`,
      { [name]: value },
    );
  }
  return v;
}

/** The same mono signal in each of `channelCount` channels. */
function spread(mono: Float32Array, channelCount: number): Float32Array[] {
  return Array.from({ length: channelCount }, (_, c) => (c === 0 ? mono : mono.slice()));
}

/**
 * Converts `song` into the voice `profile`: separation → vocal conversion →
 * optional transposition of the accompaniment → remix with the original's loudness.
 * Audio above 192 kHz is resampled down first. Throws usage.invalid_argument for bad options,
 * audio.unsupported_sample_rate below 8 kHz, operation.cancelled when aborted.
 */
export async function convertSong(
  song: RawAudio,
  profile: VoiceProfile,
  options: ConvertSongOptions = {},
): Promise<ConvertSongResult> {
  const pitch = parsePitchShiftRequest(options.pitch ?? 'auto');
  const vocalGainDb = validateGain('vocalGainDb', options.vocalGainDb);
  const accompanimentGainDb = validateGain('accompanimentGainDb', options.accompanimentGainDb);
  const audio = fitEngineSampleRate(song, 'The song');
  const progress = createStageReporter(CONVERT_SONG_STAGES, options);
  const channelCount = audio.channels.length;
  const { sampleRate } = audio;

  progress.enter('separate');
  const stems = await separateVocals(audio, {
    engine: options.separationEngine ?? 'dsp',
    modelPath: options.separationModelPath,
    signal: options.signal,
    onProgress: (e) => progress.update('separate', e.fraction),
  });

  progress.enter('convert');
  const vocalMono = mixToMono(stems.vocals);
  let converted: ConvertVoiceResult;
  try {
    converted = await convertVoice({ channels: [vocalMono], sampleRate }, profile, {
      mode: 'singing',
      pitch,
      signal: options.signal,
      skipMetrics: options.skipMetrics ?? false,
      onProgress: (e) => progress.update('convert', e.fraction),
    });
  } catch (error) {
    // A song whose separated vocal holds too little singing cannot be converted: say so plainly.
    if (
      error instanceof AutoVoiceError &&
      (error.code === 'voice.no_voice' || error.code === 'voice.too_short' || error.code === 'audio.silent')
    ) {
      throw new AutoVoiceError(
        'voice.no_voice',
        'No singing voice was found in the song to convert; check that the song has a lead vocal.',
        { cause: error.code },
      );
    }
    throw error;
  }
  const convertedMono = converted.audio.channels[0] ?? new Float32Array(vocalMono.length);
  const convertedVocals: RawAudio = {
    channels: spread(
      convertedMono.length === vocalMono.length ? convertedMono : fitLength(convertedMono, vocalMono.length),
      channelCount,
    ),
    sampleRate,
  };

  progress.enter('transpose');
  const accSemitones = pitch === 'auto' ? 0 : pitch;
  const accompaniment: RawAudio =
    accSemitones === 0
      ? stems.accompaniment
      : {
          channels: stems.accompaniment.channels.map((c, i) => {
            progress.update('transpose', i / channelCount);
            return shiftPitchPolyphonic(c, sampleRate, accSemitones);
          }),
          sampleRate,
        };

  progress.enter('remix');
  const gv = 10 ** (vocalGainDb / 20);
  const ga = 10 ** (accompanimentGainDb / 20);
  const raw: RawAudio = {
    channels: audio.channels.map((_, c) => {
      const v = convertedVocals.channels[c] as Float32Array;
      const a = accompaniment.channels[c] as Float32Array;
      const out = new Float32Array(v.length);
      for (let n = 0; n < out.length; n++) out[n] = gv * (v[n] as number) + ga * (a[n] as number);
      return out;
    }),
    sampleRate,
  };
  const original = measureLoudness(audio);
  const ceiling = options.truePeakCeilingDbtp ?? -1;
  // A hot float original can measure above 0 LUFS: the mix then gets the loudest target there is.
  const mix = Number.isFinite(original.integratedLufs)
    ? normalizeLoudness(raw, {
        targetLufs: Math.min(original.integratedLufs, MAX_TARGET_LUFS),
        truePeakCeilingDbtp: ceiling,
      })
    : raw;
  const after = measureLoudness(mix);
  progress.finish();
  return {
    mix,
    convertedVocals,
    originalVocals: stems.vocals,
    accompaniment,
    metrics: {
      vocalSemitones: converted.plan.semitones,
      accompanimentSemitones: accSemitones,
      originalLufs: original.integratedLufs,
      mixLufs: after.integratedLufs,
      mixTruePeakDbtp: after.truePeakDbtp,
      vocal: converted.metrics,
    },
  };
}

function fitLength(x: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  out.set(x.subarray(0, Math.min(length, x.length)));
  return out;
}

/** Stages of the file-to-file form: decode and encode around convertSong's stages. */
export const CONVERT_SONG_FILE_STAGES = [
  { name: 'decode', weight: 1 },
  ...CONVERT_SONG_STAGES,
  { name: 'encode', weight: 1 },
] as const satisfies readonly PipelineStage[];

/** Options of convertSongFile. */
export interface ConvertSongFileOptions extends ConvertSongOptions {
  /** Folder for the stems (mix, converted vocals, original vocals, accompaniment as WAV). */
  readonly stemsDir?: string;
}

/** Paths written by convertSongFile. */
export interface ConvertSongFileResult {
  readonly output: string;
  readonly stems:
    | {
        readonly mix: string;
        readonly convertedVocals: string;
        readonly originalVocals: string;
        readonly accompaniment: string;
      }
    | undefined;
  readonly metrics: SongConversionMetrics;
  readonly durationSeconds: number;
}

/** File names of the stems in the stems folder. */
export const SONG_STEM_FILES = {
  mix: 'mix.wav',
  convertedVocals: 'converted-vocals.wav',
  originalVocals: 'original-vocals.wav',
  accompaniment: 'accompaniment.wav',
} as const;

/** Decodes `inputPath`, converts it (convertSong) and writes `outputPath` (format from its extension) and optional stems. */
export async function convertSongFile(
  inputPath: string,
  outputPath: string,
  profile: VoiceProfile,
  options: ConvertSongFileOptions = {},
): Promise<ConvertSongFileResult> {
  const progress = createStageReporter(CONVERT_SONG_FILE_STAGES, options);
  progress.enter('decode');
  const { audio, info } = await readAudioFile(inputPath);
  const inner = createStageReporter(CONVERT_SONG_FILE_STAGES, options);
  const result = await convertSong(audio, profile, {
    ...options,
    // Inner stages map onto the outer list (same names), so fractions stay monotonic overall.
    onProgress: (e) =>
      inner.update(e.stage as ConvertSongStage, stageWithin(e.stage as ConvertSongStage, e.fraction)),
  });
  progress.enter('encode');
  await writeAudioFile(outputPath, result.mix);
  let stems: ConvertSongFileResult['stems'];
  if (options.stemsDir !== undefined) {
    await makeFolder(options.stemsDir);
    const path = (k: keyof typeof SONG_STEM_FILES) => join(options.stemsDir as string, SONG_STEM_FILES[k]);
    await writeAudioFile(path('mix'), result.mix, 'wav');
    await writeAudioFile(path('convertedVocals'), result.convertedVocals, 'wav');
    await writeAudioFile(path('originalVocals'), result.originalVocals, 'wav');
    await writeAudioFile(path('accompaniment'), result.accompaniment, 'wav');
    stems = {
      mix: path('mix'),
      convertedVocals: path('convertedVocals'),
      originalVocals: path('originalVocals'),
      accompaniment: path('accompaniment'),
    };
  }
  progress.finish();
  return { output: outputPath, stems, metrics: result.metrics, durationSeconds: info.durationSeconds };
}

/** Fraction within `stage` from convertSong's overall fraction (its stage weights). */
function stageWithin(stage: ConvertSongStage, overall: number): number {
  const total = CONVERT_SONG_STAGES.reduce((s, st) => s + st.weight, 0);
  let start = 0;
  for (const st of CONVERT_SONG_STAGES) {
    if (st.name === stage) return Math.min(1, Math.max(0, (overall * total - start) / st.weight));
    start += st.weight;
  }
  return 0;
}
