/**
 * The licence boundary for eSpeak NG (GPL-3.0-or-later). This is the ONLY file that imports
 * `@echogarden/espeak-ng-emscripten`; it is loaded with a dynamic import the first time an
 * espeak voice or the Piper phonemiser is used, and runs as a separate Emscripten module
 * (its own heap and virtual file system). See THIRD_PARTY_NOTICES.md and docs/tts.md.
 *
 * The Emscripten instance holds one current voice/rate/pitch, so every call goes through a
 * SerialExecutor: settings and synthesis of one request run back to back. espeak carries some
 * hidden state from one utterance to the next (noise generator, pause timing), so renditions of
 * the same request may differ by a few milliseconds after other requests. The noise generator's
 * seed is fixed (`withFixedClock`), so the same requests in the same order give the same samples
 * in every process. (Restoring a heap snapshot per call was tried: it desynchronises espeak's
 * file reads from the Emscripten file system when dictionaries reload, so it is not done.)
 */
import { AutoVoiceError } from '../../../errors/index.js';
import { SerialExecutor } from '../../serial-executor.js';

/**
 * Runs `fn` (synchronous) with `Date.now` fixed. espeak seeds its noise generator from the clock
 * once, when it initialises: with the real clock, the same requests made in the same order gave
 * other samples in every process; with a fixed one they give the same samples in any process.
 */
function withFixedClock<T>(fn: () => T): T {
  const realNow = Date.now;
  Date.now = () => ESPEAK_SEED_CLOCK_MS;
  try {
    return fn();
  } finally {
    Date.now = realNow;
  }
}

/** The clock espeak initialises with (any constant; 2024-01-01T00:00:00Z). */
const ESPEAK_SEED_CLOCK_MS = 1_704_067_200_000;

/** One voice as espeak-ng lists it. */
export interface EspeakVoiceEntry {
  readonly identifier: string;
  readonly name: string;
  readonly languages: readonly string[];
}

/** Prosody settings in espeak's own units. */
export interface EspeakProsody {
  /** Words per minute (80..450; espeak's default is 175). */
  readonly wordsPerMinute: number;
  /** Base pitch 0..100 (default 50). */
  readonly pitch: number;
  /** Pitch range 0..100 (default 50). */
  readonly pitchRange: number;
}

/** Output sample rate of espeak-ng (Hz); fixed by the engine. */
export const ESPEAK_SAMPLE_RATE_HZ = 22050;

interface EspeakWorker {
  set_voice(name: string): number;
  set_rate(wpm: number): void;
  set_pitch(pitch: number): void;
  set_range(range: number): void;
  list_voices(): { identifier: string; name: string; languages: { name: string }[] }[];
  synthesize(text: string, callback: (samples: Int16Array, events: unknown[]) => number | boolean): void;
  convert_to_phonemes(text: string, useIpa: boolean): { ptr: number };
}

interface EspeakModule {
  eSpeakNGWorker: new () => EspeakWorker;
  HEAPU8: Uint8Array;
}

/** A loaded espeak-ng instance with serialised access. */
export interface EspeakNg {
  listVoices(): EspeakVoiceEntry[];
  /** Synthesises `text` (plain; markup characters are escaped) → 16-bit samples as floats. */
  synthesize(text: string, voice: string, prosody: EspeakProsody): Promise<Float32Array>;
  /** Text → IPA phonemes, one string per clause as espeak splits them (no separators). */
  textToIpa(text: string, voice: string): Promise<string[]>;
}

let loading: Promise<EspeakNg> | undefined;

/** Loads (once) and returns the shared espeak-ng instance. */
export function loadEspeakNg(): Promise<EspeakNg> {
  loading ??= createEspeakNg().catch((error: unknown) => {
    loading = undefined;
    // Operators may remove the GPL package (THIRD_PARTY_NOTICES.md): the engine is then absent, not broken.
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      throw new AutoVoiceError(
        'tts.unknown_engine',
        'The espeak engine is not installed (package @echogarden/espeak-ng-emscripten is absent); use flite, or install it.',
        { engine: 'espeak' },
        { cause: error },
      );
    }
    throw new AutoVoiceError(
      'tts.engine_failed',
      `eSpeak NG could not be loaded: ${String(error)}. Reinstall dependencies (npm ci).`,
      undefined,
      { cause: error },
    );
  });
  return loading;
}

/** The SSML parser inside espeak is on; escape the characters it would treat as markup. */
function escapeForEspeak(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function readCString(heap: Uint8Array, ptr: number): string {
  let end = ptr;
  while (end < heap.length && heap[end] !== 0) end++;
  return new TextDecoder().decode(heap.subarray(ptr, end));
}

/**
 * Starts a new espeak-ng instance (its own Emscripten module and state). The service shares one,
 * through `loadEspeakNg`; this is for tests and tools that need a fresh one.
 */
export async function createEspeakNg(): Promise<EspeakNg> {
  const imported = await import('@echogarden/espeak-ng-emscripten');
  const module = (await imported.default()) as EspeakModule;
  const executor = new SerialExecutor();
  const worker = withFixedClock(() => {
    const w = new module.eSpeakNGWorker();
    // Warm up: loads the default dictionary and lets the JIT see the synthesis path, so the first
    // request does not pay for it.
    w.set_voice('en-us');
    w.synthesize('Ready.', () => 0);
    return w;
  });
  const voices: EspeakVoiceEntry[] = worker.list_voices().map((v) => ({
    identifier: v.identifier,
    name: v.name,
    languages: v.languages.map((l) => l.name),
  }));

  const setVoice = (voice: string): void => {
    if (worker.set_voice(voice) !== 0) {
      throw new AutoVoiceError('tts.unknown_voice', `eSpeak NG has no voice "${voice}".`, {
        engine: 'espeak',
        voice,
      });
    }
  };

  return {
    listVoices: () => voices,
    synthesize: (text, voice, prosody) =>
      executor.run(() => {
        setVoice(voice);
        worker.set_rate(Math.round(prosody.wordsPerMinute));
        worker.set_pitch(Math.round(prosody.pitch));
        worker.set_range(Math.round(prosody.pitchRange));
        const chunks: Int16Array[] = [];
        let total = 0;
        worker.synthesize(escapeForEspeak(text), (samples) => {
          if (samples.length > 0) {
            chunks.push(samples);
            total += samples.length;
          }
          return 0; // 0 = continue
        });
        const out = new Float32Array(total);
        let offset = 0;
        for (const chunk of chunks) {
          for (let i = 0; i < chunk.length; i++) out[offset + i] = (chunk[i] ?? 0) / 32768;
          offset += chunk.length;
        }
        return out;
      }),
    textToIpa: (text, voice) =>
      executor.run(() => {
        setVoice(voice);
        const { ptr } = worker.convert_to_phonemes(text, true);
        // This build separates phonemes with '_' and clauses with ' | '.
        return readCString(module.HEAPU8, ptr)
          .split('|')
          .map((clause) => clause.replaceAll('_', '').trim())
          .filter((clause) => clause.length > 0);
      }),
  };
}
