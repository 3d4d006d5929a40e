import { AutoVoiceError } from '../errors/index.js';
import { measureLoudness, mixToMono, monoAudio, type RawAudio } from '../audio/index.js';
import { estimateF0 } from '../dsp/pitch/index.js';
import { detectClipping } from './clipping.js';
import { logF0Correlation, logF0Rmse, rawPitchAccuracy } from './pitch-accuracy.js';
import { estimateSnrDb } from './snr-estimate.js';
import { computeSpeakerEmbedding, embeddingSimilarity } from './speaker-embedding.js';

/** Pitch treatment of a conversion (same names as convertVoice's `mode`). */
export type ConversionPitchMode = 'speech' | 'singing' | 'keep';

/** Inputs of `computeConversionMetrics`. Audio may be RawAudio or mono samples with `sampleRate`. */
export interface ConversionMetricsInput {
  /** The audio that was converted. */
  source: RawAudio | Float32Array;
  /** The conversion result (`converted` is accepted as an alias). */
  output?: RawAudio | Float32Array;
  converted?: RawAudio | Float32Array;
  /** Sample rate in Hz, required when source/output are bare Float32Arrays. */
  sampleRate?: number;
  mode: ConversionPitchMode;
  /** Embedding of the target voice (or give `profile`, whose `embedding` is used). */
  targetEmbedding?: Float32Array;
  profile?: { readonly embedding: Float32Array };
  /** Embedding of the source voice; computed from `source` when absent. */
  sourceEmbedding?: Float32Array;
  /**
   * Transposition applied in singing mode, semitones. When absent it is inferred as the median
   * source→output pitch offset rounded to a whole semitone (singing mode transposes by whole steps).
   */
  semitones?: number;
  /** Only the first this many seconds are analysed (bounds the cost on long inputs). Default 180. */
  maxAnalysisSeconds?: number;
}

/**
 * Per-result quality numbers. Metrics that cannot be measured (no voiced frame, silence) are null,
 * never NaN, so the object serialises to JSON as is.
 */
export interface ConversionMetrics {
  pitch: {
    mode: ConversionPitchMode;
    /** Singing: raw pitch accuracy (0..1, 50 cents) of the output against the source melody transposed by `transpositionSemitones`. */
    rawPitchAccuracy: number | null;
    /**
     * Pearson correlation (−1..1) of source and output log-F0 over frames voiced in both — intonation
     * kept (the speech-mode figure). Frames more than half an octave off the median offset (tracker
     * octave slips) are left out.
     */
    logF0Correlation: number | null;
    /** Singing: RMS deviation from the intended (transposed) melody, cents. */
    melodyRmseCents: number | null;
    /** Transposition the singing metrics assume, semitones (given or inferred). */
    transpositionSemitones: number | null;
  };
  similarity: {
    /** Cosine similarity (−1..1) of the output's speaker embedding to the target's. Null without a target embedding. */
    toTarget: number | null;
    /** Cosine similarity of the output's embedding to the source's. */
    toSource: number | null;
  };
  loudness: {
    /** Integrated loudness of the output, LUFS (null for silence). */
    integratedLufs: number | null;
    /** True peak of the output, dBTP (null for silence). */
    truePeakDbtp: number | null;
  };
  /** Fraction (0..1) of output samples in clipped runs (see clipping.ts). */
  clippingFraction: number;
  /** Blind SNR estimate of the output, dB (see snr-estimate.ts; capped at 60). */
  snrDb: number | null;
  /** Seconds of audio the metrics were measured on. */
  analysedSeconds: number;
}

const F0_FRAME_MS = 5;

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function toMono(audio: RawAudio | Float32Array, sampleRate: number | undefined, what: string): { samples: Float32Array; sampleRate: number } {
  if (audio instanceof Float32Array) {
    if (sampleRate === undefined || !Number.isFinite(sampleRate) || sampleRate <= 0) {
      throw new AutoVoiceError('quality.invalid_input', `computeConversionMetrics: ${what} is a bare Float32Array, so sampleRate (Hz) is required.`);
    }
    return { samples: audio, sampleRate };
  }
  if (audio === undefined || !Array.isArray(audio.channels) || audio.channels.length === 0) {
    throw new AutoVoiceError('quality.invalid_input', `computeConversionMetrics: ${what} must be RawAudio with at least one channel.`);
  }
  return { samples: audio.channels.length === 1 ? (audio.channels[0] as Float32Array) : mixToMono(audio), sampleRate: audio.sampleRate };
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

/**
 * Quality metrics of one conversion result (pure; the server stores them with the job and the CLI
 * prints them with --json): melody/intonation agreement with the source (RPA in singing mode,
 * log-F0 correlation otherwise), speaker similarity of the output to the target and to the source,
 * loudness (LUFS), true peak (dBTP), clipping and an SNR estimate of the output.
 */
export function computeConversionMetrics(input: ConversionMetricsInput): ConversionMetrics {
  const outputAudio = input.output ?? input.converted;
  if (outputAudio === undefined) {
    throw new AutoVoiceError('quality.invalid_input', 'computeConversionMetrics needs `output` (the converted audio).');
  }
  if (!['speech', 'singing', 'keep'].includes(input.mode)) {
    throw new AutoVoiceError('quality.invalid_input', `mode must be speech, singing or keep, got ${String(input.mode)}.`);
  }
  const src = toMono(input.source, input.sampleRate, 'source');
  const out = toMono(outputAudio, input.sampleRate, 'output');
  const maxSeconds = input.maxAnalysisSeconds ?? 180;
  const srcSig = src.samples.subarray(0, Math.round(maxSeconds * src.sampleRate));
  const outSig = out.samples.subarray(0, Math.round(maxSeconds * out.sampleRate));

  const srcF0 = estimateF0(srcSig, src.sampleRate, { framePeriodMs: F0_FRAME_MS }).f0Hz;
  const outF0 = estimateF0(outSig, out.sampleRate, { framePeriodMs: F0_FRAME_MS }).f0Hz;
  const pitch: ConversionMetrics['pitch'] = {
    mode: input.mode,
    rawPitchAccuracy: null,
    logF0Correlation: finiteOrNull(robustLogF0Correlation(srcF0, outF0)),
    melodyRmseCents: null,
    transpositionSemitones: null,
  };
  if (input.mode === 'singing') {
    let semitones = input.semitones;
    if (semitones === undefined) {
      const offsets: number[] = [];
      const n = Math.min(srcF0.length, outF0.length);
      for (let i = 0; i < n; i++) {
        const s = srcF0[i] as number;
        const o = outF0[i] as number;
        if (s > 0 && o > 0) offsets.push(12 * Math.log2(o / s));
      }
      const m = median(offsets);
      semitones = Number.isFinite(m) ? Math.round(m) : 0;
    }
    const ratio = 2 ** (semitones / 12);
    const intended = Float32Array.from(srcF0, (hz) => hz * ratio);
    pitch.transpositionSemitones = semitones;
    pitch.rawPitchAccuracy = finiteOrNull(rawPitchAccuracy(intended, outF0));
    pitch.melodyRmseCents = finiteOrNull(logF0Rmse(intended, outF0));
  }

  const targetEmbedding = input.targetEmbedding ?? input.profile?.embedding;
  const outEmbedding = safeEmbedding(outSig, out.sampleRate);
  const srcEmbedding = input.sourceEmbedding ?? safeEmbedding(srcSig, src.sampleRate);
  const similarity = {
    toTarget: outEmbedding !== undefined && targetEmbedding !== undefined ? finiteOrNull(embeddingSimilarity(outEmbedding, targetEmbedding)) : null,
    toSource: outEmbedding !== undefined && srcEmbedding !== undefined ? finiteOrNull(embeddingSimilarity(outEmbedding, srcEmbedding)) : null,
  };

  const loud = measureLoudness(outputAudio instanceof Float32Array ? monoAudio(outputAudio, out.sampleRate) : outputAudio);
  return {
    pitch,
    similarity,
    loudness: { integratedLufs: finiteOrNull(loud.integratedLufs), truePeakDbtp: finiteOrNull(loud.truePeakDbtp) },
    clippingFraction: detectClipping(outSig).clippedFraction,
    snrDb: finiteOrNull(estimateSnrDb(outSig, out.sampleRate)),
    analysedSeconds: outSig.length / out.sampleRate,
  };
}

/**
 * Log-F0 correlation over frames voiced in both, leaving out frames whose output/source ratio is
 * more than half an octave from the median ratio: those are octave slips of the F0 tracker, and a
 * handful of them would otherwise swamp the few semitones of real intonation movement.
 */
function robustLogF0Correlation(srcF0: Float32Array, outF0: Float32Array): number {
  const n = Math.min(srcF0.length, outF0.length);
  const offsets: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = srcF0[i] as number;
    const o = outF0[i] as number;
    if (s > 0 && o > 0) offsets.push(1200 * Math.log2(o / s));
  }
  const m = median(offsets);
  if (!Number.isFinite(m)) return Number.NaN;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = srcF0[i] as number;
    const o = outF0[i] as number;
    if (s > 0 && o > 0 && Math.abs(1200 * Math.log2(o / s) - m) <= 600) {
      a[i] = s;
      b[i] = o;
    }
  }
  return logF0Correlation(a, b);
}

/** The embedding, or undefined when the audio holds nothing to embed (silence). */
function safeEmbedding(signal: Float32Array, sampleRate: number): Float32Array | undefined {
  try {
    return computeSpeakerEmbedding(signal, sampleRate);
  } catch (error) {
    if (error instanceof AutoVoiceError && error.code === 'quality.invalid_input') return undefined;
    throw error;
  }
}
