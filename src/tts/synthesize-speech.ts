import type { RawAudio } from '../audio/raw-audio.js';
import { AutoVoiceError, throwIfAborted } from '../errors/index.js';
import { planSpeech, type SpeechSegment } from './text/speech-plan.js';
import type { TtsEngine, TtsEngineId, TtsVoice } from './tts-engine.js';
import { defaultTtsRegistry, type TtsEngineRegistry } from './tts-registry.js';

/** Options of `synthesizeSpeech` / `synthesizeSpeechStream`. */
export interface SynthesizeSpeechOptions {
  /** Engine id; inferred from a prefixed voice id (`flite:slt`) or a `.onnx` path; default `espeak`. */
  readonly engine?: TtsEngineId | string;
  /** Voice id (`espeak:en-us+f3`, `flite:slt`, `piper:NAME`), a bare engine voice id, or a Piper .onnx path. */
  readonly voice?: string;
  /** Language tag used to pick a default voice and for text normalisation (e.g. `de`). */
  readonly language?: string;
  /** Speaking-rate multiplier, 0.25..4 (1 = normal). */
  readonly rate?: number;
  /** Pitch shift in semitones, -24..24 (0 = the voice's own pitch). */
  readonly pitch?: number;
  /** true: the text is SSML; false: plain; absent: SSML when it starts with `<speak`. */
  readonly ssml?: boolean;
  /** Piper: speaker name or index of a multi-speaker voice. */
  readonly speaker?: string | number;
  /** Longest text accepted, in characters (default 5,000). */
  readonly maxTextChars?: number;
  /**
   * Cut a long first sentence at its first comma/semicolon so audio starts sooner. Default: on
   * for `synthesizeSpeechStream`, off for `synthesizeSpeech` (whole sentences sound best).
   */
  readonly fastStart?: boolean;
  /** Engine registry (default: the process-wide one). */
  readonly registry?: TtsEngineRegistry;
  readonly signal?: AbortSignal;
}

/** The engine and voice a request resolves to. */
export interface ResolvedTtsVoice {
  readonly engine: TtsEngine;
  /** Engine-level voice id. */
  readonly voice: string;
  /** Global voice id (`engine:voice`; for a Piper path, `piper:<path>`). */
  readonly voiceId: string;
}

function engineFromVoice(voice: string | undefined, registry: TtsEngineRegistry): string | undefined {
  if (voice === undefined) return undefined;
  const prefix = /^([a-z]+):/.exec(voice)?.[1];
  if (prefix !== undefined && registry.has(prefix)) return prefix;
  if (voice.endsWith('.onnx')) return 'piper';
  return undefined;
}

/** Picks the engine and validates the voice for a request (throws tts.unknown_engine / tts.unknown_voice). */
export async function resolveTtsVoice(
  options: Pick<SynthesizeSpeechOptions, 'engine' | 'voice' | 'language' | 'registry'>,
): Promise<ResolvedTtsVoice> {
  const registry = options.registry ?? defaultTtsRegistry;
  const implied = engineFromVoice(options.voice, registry);
  if (implied !== undefined && options.engine !== undefined && implied !== options.engine) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `Voice "${options.voice}" belongs to the ${implied} engine, not ${options.engine}; drop --engine or pick a ${options.engine} voice.`,
      { voice: options.voice, engine: options.engine },
    );
  }
  const engine = await registry.get(options.engine ?? implied ?? 'espeak');
  const voice = await engine.resolveVoice(options.voice, options.language);
  return { engine, voice, voiceId: `${engine.id}:${voice}` };
}

function silence(durationMs: number, sampleRate: number): RawAudio {
  return { channels: [new Float32Array(Math.round((durationMs / 1000) * sampleRate))], sampleRate };
}

async function* renderSegments(
  resolved: ResolvedTtsVoice,
  segments: readonly SpeechSegment[],
  options: SynthesizeSpeechOptions,
): AsyncGenerator<RawAudio> {
  let sampleRate: number | undefined;
  const pendingPauses: number[] = [];
  for (const segment of segments) {
    throwIfAborted(options.signal);
    if (segment.kind === 'pause') {
      // Until the first sentence fixes the sample rate, hold pauses back.
      if (sampleRate === undefined) pendingPauses.push(segment.durationMs);
      else yield silence(segment.durationMs, sampleRate);
      continue;
    }
    const audio = await resolved.engine.synthesize(segment.text, {
      voice: resolved.voice,
      rateFactor: segment.rateFactor,
      pitchSemitones: segment.pitchSemitones,
      speaker: options.speaker,
      signal: options.signal,
    });
    if (sampleRate === undefined) {
      sampleRate = audio.sampleRate;
      for (const ms of pendingPauses.splice(0)) yield silence(ms, sampleRate);
    }
    yield audio;
  }
}

/** First sentences longer than this are cut at their first clause boundary when streaming. */
const FAST_START_CHARS = 40;

function planFor(text: string, options: SynthesizeSpeechOptions, language: string): SpeechSegment[] {
  return planSpeech(text, {
    language,
    ssml: options.ssml,
    rateFactor: options.rate ?? 1,
    pitchSemitones: options.pitch ?? 0,
    fastStartChars: options.fastStart === false ? 0 : FAST_START_CHARS,
    ...(options.maxTextChars === undefined ? {} : { maxTextChars: options.maxTextChars }),
  });
}

function languageOf(resolved: ResolvedTtsVoice, options: SynthesizeSpeechOptions): string {
  if (options.language !== undefined) return options.language;
  // espeak voice ids are language tags; flite speaks English; Piper normalisation is English-safe.
  return resolved.engine.id === 'espeak' ? (resolved.voice.split('+')[0] ?? 'en') : 'en';
}

/**
 * Speaks `text` (plain or SSML), yielding mono audio sentence by sentence (and pauses as
 * silence) as soon as each is synthesised. All chunks share one sample rate. Text is validated
 * before any audio is produced (tts.text_empty, tts.text_too_long, tts.invalid_ssml).
 */
export async function* synthesizeSpeechStream(
  text: string,
  options: SynthesizeSpeechOptions = {},
): AsyncGenerator<RawAudio> {
  const resolved = await resolveTtsVoice(options);
  const segments = planFor(text, options, languageOf(resolved, options));
  yield* renderSegments(resolved, segments, options);
}

/** Concatenates mono chunks of one sample rate. */
export function concatAudio(chunks: readonly RawAudio[]): RawAudio {
  const sampleRate = chunks[0]?.sampleRate ?? 22050;
  const total = chunks.reduce((n, c) => n + (c.channels[0]?.length ?? 0), 0);
  const out = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    const samples = chunk.channels[0] ?? new Float32Array(0);
    out.set(samples, offset);
    offset += samples.length;
  }
  return { channels: [out], sampleRate };
}

/** Speaks `text` and returns the whole utterance as mono RawAudio at the engine's sample rate. */
export async function synthesizeSpeech(
  text: string,
  options: SynthesizeSpeechOptions = {},
): Promise<RawAudio> {
  const chunks: RawAudio[] = [];
  for await (const chunk of synthesizeSpeechStream(text, {
    ...options,
    fastStart: options.fastStart ?? false,
  }))
    chunks.push(chunk);
  return concatAudio(chunks);
}

/** Options of `listTtsVoices`. */
export interface ListTtsVoicesOptions {
  /** Only these engines (default: all registered). */
  readonly engines?: readonly string[];
  /** Only voices whose language starts with this tag (case-insensitive), e.g. `en`. */
  readonly language?: string;
  readonly registry?: TtsEngineRegistry;
}

/** Lists the voices of every registered engine (loading engines as needed), sorted by engine then id. */
export async function listTtsVoices(options: ListTtsVoicesOptions = {}): Promise<TtsVoice[]> {
  const registry = options.registry ?? defaultTtsRegistry;
  const ids = options.engines ?? registry.ids();
  const lists = await Promise.all(
    ids.map(async (id) => {
      try {
        return await (await registry.get(id)).listVoices();
      } catch (error) {
        // An engine whose package was removed (tts.unknown_engine) simply has no voices.
        if (error instanceof AutoVoiceError && error.code === 'tts.unknown_engine') return [];
        throw error;
      }
    }),
  );
  const language = options.language?.toLowerCase();
  return lists.flat().filter((v) => language === undefined || v.language.startsWith(language));
}
