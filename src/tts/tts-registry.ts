import { AutoVoiceError } from '../errors/index.js';
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
      return Promise.reject(
        new AutoVoiceError(
          'tts.unknown_engine',
          `No TTS engine "${id}"; use one of ${this.ids().join(', ')}.`,
          { engine: id, engines: this.ids() },
        ),
      );
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

/**
 * A registry with the built-in engines: espeak, flite and piper. Engine modules are imported
 * dynamically by their loaders, so neither the wasm engines nor onnxruntime are loaded until used.
 */
export function createTtsRegistry(options: Partial<TtsRegistryOptions> = {}): TtsEngineRegistry {
  return createRegistryWithPiperDirs(() => options.piperVoiceDirs ?? []);
}

function createRegistryWithPiperDirs(piperDirs: () => readonly string[]): TtsEngineRegistry {
  return new TtsEngineRegistry()
    .register('espeak', async () =>
      (await import('./engines/espeak-ng/espeak-ng.engine.js')).loadEspeakEngine(),
    )
    .register('flite', async () => (await import('./engines/flite/flite.engine.js')).loadFliteEngine())
    .register('piper', async () =>
      (await import('./engines/piper/piper.engine.js')).createPiperEngine({ voiceDirs: piperDirs() }),
    );
}

/**
 * Loads engines ahead of the first request (a service calls this at start-up): each engine is
 * instantiated and, for the wasm engines, warmed up so the JIT has compiled the synthesis path.
 */
export async function preloadTtsEngines(
  registry: TtsEngineRegistry,
  engines: readonly TtsEngineId[] = ['espeak', 'flite'],
): Promise<void> {
  for (const id of engines) {
    const engine = await registry.get(id);
    const voice = await engine.resolveVoice(undefined);
    for (const text of ['Hello there.', 'The quick brown fox jumps over the lazy dog, twice.']) {
      await engine.synthesize(text, { voice, rateFactor: 1, pitchSemitones: 0 });
    }
  }
}

let defaultPiperVoiceDirs: readonly string[] = [];

/**
 * Sets the Piper voice folders of the process-wide registry. The service calls it once at start
 * (and in each worker thread) with `<dataDir>/piper`, before the Piper engine is first loaded.
 */
export function configureDefaultTtsRegistry(options: Partial<TtsRegistryOptions>): void {
  defaultPiperVoiceDirs = [...(options.piperVoiceDirs ?? [])];
}

/** The process-wide registry used when a call does not pass its own. */
export const defaultTtsRegistry: TtsEngineRegistry = createRegistryWithPiperDirs(() => defaultPiperVoiceDirs);
