import { AutoVoiceError } from '../errors/index.js';
import { loadEspeakEngine } from './engines/espeak-ng/espeak-ng.engine.js';
import { loadFliteEngine } from './engines/flite/flite.engine.js';
import { createPiperEngine } from './engines/piper/piper.engine.js';
import type { TtsEngine, TtsEngineId } from './tts-engine.js';

/** Loads an engine; called at most once per registry (the promise is cached). */
export type TtsEngineLoader = () => Promise<TtsEngine>;

/**
 * Engines by id, each loaded on first use. Operations ask the registry for an engine and call
 * the TtsEngine interface — there is no per-operation switch over engine ids.
 */
export class TtsEngineRegistry {
  private readonly loaders = new Map<TtsEngineId, TtsEngineLoader>();
  private readonly loaded = new Map<TtsEngineId, Promise<TtsEngine>>();

  /** Registers (or replaces) the loader for `id`. */
  register(id: TtsEngineId, loader: TtsEngineLoader): this {
    this.loaders.set(id, loader);
    this.loaded.delete(id);
    return this;
  }

  /** Registered engine ids, in registration order. */
  ids(): TtsEngineId[] {
    return [...this.loaders.keys()];
  }

  /** True when `id` names a registered engine. */
  has(id: string): id is TtsEngineId {
    return this.loaders.has(id as TtsEngineId);
  }

  /** The engine `id`, loading it on first use; throws `tts.unknown_engine`. */
  get(id: string): Promise<TtsEngine> {
    if (!this.has(id)) {
      return Promise.reject(new AutoVoiceError('tts.unknown_engine', `No TTS engine "${id}"; use one of ${this.ids().join(', ')}.`, { engine: id, engines: this.ids() }));
    }
    let engine = this.loaded.get(id);
    if (engine === undefined) {
      const loader = this.loaders.get(id);
      if (loader === undefined) throw new Error('unreachable: registered engine without loader');
      engine = loader();
      // A failed load is retried on the next use rather than cached.
      engine.catch(() => this.loaded.delete(id));
      this.loaded.set(id, engine);
    }
    return engine;
  }
}

/** Options of `createTtsRegistry`. */
export interface TtsRegistryOptions {
  /** Folders holding Piper voices (`NAME.onnx` + `NAME.onnx.json`), listed as `piper:NAME`. */
  readonly piperVoiceDirs: readonly string[];
}

/** A registry with the built-in engines: espeak, flite and piper. */
export function createTtsRegistry(options: Partial<TtsRegistryOptions> = {}): TtsEngineRegistry {
  const piperVoiceDirs = options.piperVoiceDirs ?? [];
  return new TtsEngineRegistry()
    .register('espeak', loadEspeakEngine)
    .register('flite', loadFliteEngine)
    .register('piper', async () => createPiperEngine({ voiceDirs: piperVoiceDirs }));
}

/** The process-wide registry used when a call does not pass its own (no Piper folders). */
export const defaultTtsRegistry: TtsEngineRegistry = createTtsRegistry();
