import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { AutoVoiceError } from '../errors/index.js';

/**
 * The ONNX adapter: the only file that touches onnxruntime-node. Everything else passes plain
 * `OnnxTensorValue` objects, so engines stay testable and the runtime can be swapped.
 */

/** Execution providers AutoVoice can ask for. */
export type OnnxExecutionProvider = 'cpu' | 'cuda';

/** A preference for where models run: a provider, or `auto` (CUDA when usable, else CPU). */
export type OnnxExecutionPreference = OnnxExecutionProvider | 'auto';

/** Element types the adapter passes through (the ONNX names used by onnxruntime). */
export type OnnxElementType =
  'float32' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool' | 'float64' | 'string';

/** A tensor crossing the adapter: element type, flat data and dimensions. */
export interface OnnxTensorValue {
  readonly type: OnnxElementType;
  readonly data:
    | Float32Array
    | Float64Array
    | BigInt64Array
    | Int32Array
    | Int8Array
    | Uint8Array
    | Uint16Array
    | readonly string[];
  readonly dims: readonly number[];
}

/** Name, element type and shape (numbers, or strings for symbolic dimensions) of a model input/output. */
export interface OnnxValueInfo {
  readonly name: string;
  /** Element type, or 'non-tensor' for sequences/maps. */
  readonly type: string;
  /** Dimensions; a string is a symbolic dimension (e.g. 'batch'); empty when unknown. */
  readonly shape: readonly (number | string)[];
}

/** A loaded model: its interface and a run method. */
export interface OnnxModel {
  readonly path: string;
  readonly executionProvider: OnnxExecutionProvider;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata: readonly OnnxValueInfo[];
  readonly outputMetadata: readonly OnnxValueInfo[];
  /** Runs the model; `feeds` maps input names to tensors; returns every output by name. */
  run(feeds: Readonly<Record<string, OnnxTensorValue>>): Promise<Record<string, OnnxTensorValue>>;
  /** Frees the native session. */
  release(): Promise<void>;
}

/** Options of `loadOnnxModel`. */
export interface LoadOnnxModelOptions {
  /** Where to run: 'cpu' (always available) or 'cuda' (only when the CUDA provider is installed). */
  readonly executionProvider: OnnxExecutionProvider;
  /** Threads for one operator; 0 lets onnxruntime choose. */
  readonly intraOpThreads: number;
  /** Input names the caller needs; a model lacking one fails with `model.invalid`. */
  readonly requiredInputs: readonly string[];
  /** Output names the caller needs; a model lacking one fails with `model.invalid`. */
  readonly requiredOutputs: readonly string[];
}

let processPreference: OnnxExecutionPreference = 'auto';

/**
 * Sets where models loaded without an explicit `executionProvider` run, for this thread (the
 * service calls it once at start from its validated config, and in each worker thread).
 * Returns the provider that will actually be used and whether that is a fallback to the CPU.
 */
export function configureOnnxExecution(preference: OnnxExecutionPreference): { provider: OnnxExecutionProvider; fellBack: boolean } {
  processPreference = preference;
  const provider = resolveExecutionProvider(preference);
  return { provider, fellBack: preference === 'cuda' && provider === 'cpu' };
}

/** The provider a preference resolves to here: CUDA only when its provider is installed. */
export function resolveExecutionProvider(preference: OnnxExecutionPreference): OnnxExecutionProvider {
  if (preference === 'cpu') return 'cpu';
  return onnxDevices().some((d) => d.executionProvider === 'cuda' && d.available) ? 'cuda' : 'cpu';
}

/** Defaults: the configured provider (CPU unless CUDA is usable), at most two intra-op threads (the reference machine has two cores). */
export const defaultLoadOnnxModelOptions: LoadOnnxModelOptions = {
  executionProvider: 'cpu',
  intraOpThreads: Math.min(2, availableParallelism()),
  requiredInputs: [],
  requiredOutputs: [],
};

/** One execution provider and whether this installation can use it. */
export interface OnnxDeviceInfo {
  readonly executionProvider: OnnxExecutionProvider;
  readonly available: boolean;
}

/**
 * Lists the execution providers AutoVoice knows and whether each is usable here. CPU is always
 * available; CUDA only when onnxruntime-node was installed with its CUDA provider (the project
 * `.npmrc` skips that download, so by default it is not).
 */
export function onnxDevices(): OnnxDeviceInfo[] {
  const backends = ort.listSupportedBackends();
  const cuda = backends.find((b) => b.name === 'cuda');
  return [
    { executionProvider: 'cpu', available: true },
    { executionProvider: 'cuda', available: cuda !== undefined && cuda.bundled },
  ];
}

function describeValues(metadata: readonly ort.InferenceSession.ValueMetadata[]): OnnxValueInfo[] {
  return metadata.map((m) =>
    m.isTensor
      ? { name: m.name, type: m.type, shape: [...m.shape] }
      : { name: m.name, type: 'non-tensor', shape: [] },
  );
}

function toOrtTensor(name: string, value: OnnxTensorValue): ort.Tensor {
  try {
    // The data union matches ort's constructor overloads per type; ort validates the pairing.
    return new ort.Tensor(value.type, value.data as never, [...value.dims]);
  } catch (error) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `Input "${name}" is not a valid ${value.type} tensor of shape [${value.dims.join(', ')}].`,
      { input: name },
      { cause: error },
    );
  }
}

function fromOrtTensor(tensor: ort.Tensor): OnnxTensorValue {
  return {
    type: tensor.type as OnnxElementType,
    data: tensor.data as OnnxTensorValue['data'],
    dims: [...tensor.dims],
  };
}

/**
 * Loads an ONNX model from `path` for inference.
 * Throws `model.not_found` when the file is missing, `model.invalid` when onnxruntime cannot
 * load it or it lacks a required input/output (details list the model's actual names).
 */
export async function loadOnnxModel(
  path: string,
  options: Partial<LoadOnnxModelOptions> = {},
): Promise<OnnxModel> {
  const o: LoadOnnxModelOptions = {
    ...defaultLoadOnnxModelOptions,
    executionProvider: resolveExecutionProvider(processPreference),
    ...options,
  };
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new AutoVoiceError(
      'model.not_found',
      `No model file at ${path}. Give the path of an existing .onnx file.`,
      { path },
    );
  }
  if (
    o.executionProvider === 'cuda' &&
    !onnxDevices().some((d) => d.executionProvider === 'cuda' && d.available)
  ) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      'The CUDA execution provider is not installed in this build; use executionProvider "cpu".',
      { executionProvider: 'cuda' },
    );
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, {
      executionProviders: [o.executionProvider],
      intraOpNumThreads: o.intraOpThreads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AutoVoiceError(
      'model.invalid',
      `The model at ${path} cannot be loaded by onnxruntime: ${reason}`,
      { path },
      { cause: error },
    );
  }
  const inputNames = [...session.inputNames];
  const outputNames = [...session.outputNames];
  const missingInputs = o.requiredInputs.filter((n) => !inputNames.includes(n));
  const missingOutputs = o.requiredOutputs.filter((n) => !outputNames.includes(n));
  if (missingInputs.length > 0 || missingOutputs.length > 0) {
    await session.release();
    throw new AutoVoiceError(
      'model.invalid',
      `The model at ${path} lacks ${[...missingInputs.map((n) => `input "${n}"`), ...missingOutputs.map((n) => `output "${n}"`)].join(', ')}; it has inputs [${inputNames.join(', ')}] and outputs [${outputNames.join(', ')}].`,
      { path, inputNames, outputNames, missingInputs, missingOutputs },
    );
  }
  return {
    path,
    executionProvider: o.executionProvider,
    inputNames,
    outputNames,
    inputMetadata: describeValues(session.inputMetadata),
    outputMetadata: describeValues(session.outputMetadata),
    async run(feeds) {
      const unknown = Object.keys(feeds).filter((n) => !inputNames.includes(n));
      const missing = inputNames.filter((n) => !(n in feeds));
      if (unknown.length > 0 || missing.length > 0) {
        throw new AutoVoiceError(
          'usage.invalid_argument',
          `Model inputs are [${inputNames.join(', ')}]; missing [${missing.join(', ')}], unknown [${unknown.join(', ')}].`,
          { inputNames, missing, unknown },
        );
      }
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, value] of Object.entries(feeds)) ortFeeds[name] = toOrtTensor(name, value);
      let results: ort.InferenceSession.OnnxValueMapType;
      try {
        results = await session.run(ortFeeds);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AutoVoiceError(
          'model.invalid',
          `Running the model at ${path} failed: ${reason}`,
          { path, inputNames, outputNames },
          { cause: error },
        );
      }
      const out: Record<string, OnnxTensorValue> = {};
      for (const [name, value] of Object.entries(results)) out[name] = fromOrtTensor(value as ort.Tensor);
      return out;
    },
    async release() {
      await session.release();
    },
  };
}
