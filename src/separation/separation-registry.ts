/**
 * Separation engines registered by id and loaded on first use (an engine's module — and the
 * ONNX runtime behind the `onnx` engine — is imported only when someone asks for it).
 */
import { AutoVoiceError } from '../errors/index.js';
import type { SeparationEngine } from './separation-types.js';

type EngineLoader = () => Promise<SeparationEngine>;

const loaders = new Map<string, EngineLoader>([
  [
    'dsp',
    async () => {
      const { separateVocalsDsp } = await import('./dsp-separator.js');
      return {
        id: 'dsp',
        description:
          'Embedded DSP separator: lead-melody harmonic mask, stereo centre cue, HPSS, Wiener masking (no model).',
        separate: async (audio, o) => separateVocalsDsp(audio, o.engineOptions ?? {}, o.onFraction, o.signal),
      };
    },
  ],
  [
    'onnx',
    async () => {
      const { separateVocalsMdxOnnx } = await import('./mdx-onnx-separator.js');
      return {
        id: 'onnx',
        description:
          'MDX-Net/UVR-style ONNX model you supply (--model FILE), run with onnxruntime on the CPU.',
        separate: async (audio, o) => {
          if (o.modelPath === undefined || o.modelPath === '') {
            throw new AutoVoiceError(
              'usage.missing_argument',
              'The onnx separation engine needs a model file: pass modelPath (CLI: --model FILE).',
            );
          }
          return separateVocalsMdxOnnx(audio, o.modelPath, o.engineOptions ?? {}, o.onFraction, o.signal);
        },
      };
    },
  ],
]);
const loaded = new Map<string, Promise<SeparationEngine>>();

/** Ids of the registered separation engines. */
export function listSeparationEngines(): string[] {
  return [...loaders.keys()];
}

/** Registers (or replaces) an engine under `id`; its loader runs on first use. */
export function registerSeparationEngine(id: string, loader: EngineLoader): void {
  loaders.set(id, loader);
  loaded.delete(id);
}

/** The engine registered as `id`; throws `separation.unknown_engine` listing the ids that exist. */
export async function getSeparationEngine(id: string): Promise<SeparationEngine> {
  const loader = loaders.get(id);
  if (loader === undefined) {
    throw new AutoVoiceError(
      'separation.unknown_engine',
      `No separation engine "${id}"; use one of: ${listSeparationEngines().join(', ')}.`,
      { engine: id, engines: listSeparationEngines() },
    );
  }
  let engine = loaded.get(id);
  if (engine === undefined) {
    engine = loader();
    loaded.set(id, engine);
  }
  return engine;
}
