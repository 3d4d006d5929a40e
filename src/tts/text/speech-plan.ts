import { AutoVoiceError } from '../../errors/index.js';
import { normalizeText } from './normalize-text.js';
import { sanitizeText } from './sanitize-text.js';
import { splitSentences } from './split-sentences.js';
import { looksLikeSsml, parseSsml, type SsmlPiece } from './ssml.js';

/** One unit of work for an engine (a sentence with its prosody) or a silence. */
export type SpeechSegment =
  | {
      readonly kind: 'speech';
      readonly text: string;
      readonly rateFactor: number;
      readonly pitchSemitones: number;
    }
  | { readonly kind: 'pause'; readonly durationMs: number };

/** Options of `planSpeech`. */
export interface SpeechPlanOptions {
  /** Language tag used for normalisation (`en-us`, `de`, …). */
  readonly language: string;
  /** true: markup is SSML; false: plain text; undefined: SSML when it starts with `<speak`. */
  readonly ssml: boolean | undefined;
  /** Base rate multiplier (0.25..4) applied to every sentence. */
  readonly rateFactor: number;
  /** Base pitch shift in semitones (-24..24). */
  readonly pitchSemitones: number;
  /** Longest input accepted (characters, markup included). */
  readonly maxTextChars: number;
  /** Longest sentence sent to an engine in one call (characters). */
  readonly maxSentenceChars: number;
  /** Silence between plain-text paragraphs (ms). */
  readonly paragraphPauseMs: number;
  /**
   * Streaming: when the first sentence is longer than this (characters), it is cut at its first
   * clause boundary (, ; :) so the first audio arrives sooner. 0 = off.
   */
  readonly fastStartChars: number;
}

/** Defaults: 5,000 characters, English, normal rate and pitch. */
export const defaultSpeechPlanOptions: SpeechPlanOptions = {
  language: 'en-us',
  ssml: undefined,
  rateFactor: 1,
  pitchSemitones: 0,
  maxTextChars: 5000,
  maxSentenceChars: 300,
  paragraphPauseMs: 400,
  fastStartChars: 0,
};

/** Cuts the first speech segment at its first clause boundary (see `fastStartChars`). */
function splitFirstClause(segments: SpeechSegment[], maxChars: number): SpeechSegment[] {
  const index = segments.findIndex((s) => s.kind === 'speech');
  const first = segments[index];
  if (maxChars <= 0 || first === undefined || first.kind !== 'speech' || first.text.length <= maxChars)
    return segments;
  // At least a few words before the cut, and something speakable after it.
  const m = /^(.{12,}?[,;:])\s+(?=.*[\p{L}\p{N}])/su.exec(first.text);
  if (m === null || m[1] === undefined) return segments;
  const head = { ...first, text: m[1] };
  const tail = { ...first, text: first.text.slice(m[0].length) };
  return [...segments.slice(0, index), head, tail, ...segments.slice(index + 1)];
}

/** Validates speaking controls, throwing `usage.invalid_argument` with the accepted range. */
export function validateProsody(rateFactor: number, pitchSemitones: number): void {
  if (!Number.isFinite(rateFactor) || rateFactor < 0.25 || rateFactor > 4) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `rate must be a factor between 0.25 and 4 (1 = normal); got ${rateFactor}.`,
      { rate: rateFactor },
    );
  }
  if (!Number.isFinite(pitchSemitones) || Math.abs(pitchSemitones) > 24) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `pitch must be a shift in semitones between -24 and 24; got ${pitchSemitones}.`,
      { pitch: pitchSemitones },
    );
  }
}

function plainPieces(text: string): SsmlPiece[] {
  return [{ kind: 'text', text, rateFactor: 1, pitchSemitones: 0, sentenceEnd: true }];
}

/**
 * Turns user text (plain or SSML) into engine-sized segments: validated, UTF-8-safe, normalised,
 * split into sentences, with pauses and prosody. Throws `tts.text_empty`, `tts.text_too_long`,
 * `tts.invalid_ssml` or `usage.invalid_argument`.
 */
export function planSpeech(text: string, options: Partial<SpeechPlanOptions> = {}): SpeechSegment[] {
  const o: SpeechPlanOptions = { ...defaultSpeechPlanOptions, ...options };
  if (typeof text !== 'string') throw new AutoVoiceError('usage.invalid_argument', 'text must be a string.');
  validateProsody(o.rateFactor, o.pitchSemitones);
  if (text.length > o.maxTextChars) {
    throw new AutoVoiceError(
      'tts.text_too_long',
      `The text has ${text.length} characters; the limit is ${o.maxTextChars}. Split it, or submit it as a job.`,
      { length: text.length, maxChars: o.maxTextChars },
    );
  }
  const isSsml = o.ssml ?? looksLikeSsml(text);
  const pieces = isSsml ? parseSsml(text) : plainPieces(text);
  const segments: SpeechSegment[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'pause') {
      if (piece.durationMs > 0) segments.push(piece);
      continue;
    }
    const rateFactor = Math.min(4, Math.max(0.25, o.rateFactor * piece.rateFactor));
    const pitchSemitones = Math.min(24, Math.max(-24, o.pitchSemitones + piece.pitchSemitones));
    const paragraphs = sanitizeText(piece.text).split('\n\n');
    paragraphs.forEach((paragraph, i) => {
      if (i > 0 && o.paragraphPauseMs > 0) segments.push({ kind: 'pause', durationMs: o.paragraphPauseMs });
      for (const sentence of splitSentences(normalizeText(paragraph, o.language), {
        maxSentenceChars: o.maxSentenceChars,
      })) {
        // Something an engine can pronounce: at least one letter or digit.
        if (/[\p{L}\p{N}]/u.test(sentence))
          segments.push({ kind: 'speech', text: sentence, rateFactor, pitchSemitones });
      }
    });
  }
  if (!segments.some((s) => s.kind === 'speech')) {
    throw new AutoVoiceError(
      'tts.text_empty',
      'There is nothing speakable in the text (after removing markup, control characters and emoji). Give at least one word.',
    );
  }
  return splitFirstClause(segments, o.fastStartChars);
}
