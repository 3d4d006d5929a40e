import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { COMMON_ERRORS, errorResponses } from '../schemas/common.schema.js';
import type { RouteOptions } from '../route-options.js';

const ModelsView = Type.Object({
  pipelines: Type.Record(Type.String(), Type.Boolean(), { description: 'Job types and whether their pipeline is in this build.' }),
  engines: Type.Array(Type.Object({ kind: Type.String(), id: Type.String(), available: Type.Boolean(), device: Type.String() })),
  models: Type.Array(Type.Object({ file: Type.String(), bytes: Type.Integer() }), { description: 'ONNX files under <dataDir>/models (Piper voices, separation models).' }),
  devices: Type.Array(Type.Object({ executionProvider: Type.String(), available: Type.Boolean() })),
  gpu: Type.Array(Type.Object({ name: Type.String(), memoryTotalMiB: Type.Number(), memoryUsedMiB: Type.Number(), utilizationPercent: Type.Number() })),
});

/** GET /models: engines and models available, and on which device they run. */
export const modelsRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, config }) => {
  app.get('/models', { schema: { tags: ['models'], summary: 'Engines and models available and loaded, and their device.', response: { 200: ModelsView, ...errorResponses(...COMMON_ERRORS) } } }, async () => {
    const { onnxDevices } = await import('../../models/onnx-session.adapter.js');
    const devices = onnxDevices();
    const onnxDevice = devices.find((d) => d.executionProvider === 'cuda' && d.available) ? 'cuda' : 'cpu';
    const available = deps.pool.available;
    const modelDir = join(config.dataDir, 'models');
    const models: { file: string; bytes: number }[] = [];
    try {
      for (const entry of await readdir(modelDir, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.onnx')) continue;
        const { size } = await import('node:fs/promises').then((fs) => fs.stat(join(entry.parentPath, entry.name)));
        models.push({ file: join(entry.parentPath, entry.name).slice(modelDir.length + 1), bytes: size });
      }
    } catch {
      // No models folder: only the embedded engines.
    }
    return {
      pipelines: { ...available },
      engines: [
        { kind: 'tts', id: 'espeak', available: available.synthesize === true, device: 'cpu (wasm)' },
        { kind: 'tts', id: 'flite', available: available.synthesize === true, device: 'cpu (wasm)' },
        { kind: 'tts', id: 'piper', available: available.synthesize === true, device: onnxDevice },
        { kind: 'voice-conversion', id: 'dsp', available: available.convert === true, device: 'cpu' },
        { kind: 'separation', id: 'dsp', available: available.song === true, device: 'cpu' },
        { kind: 'separation', id: 'onnx', available: available.song === true, device: onnxDevice },
      ],
      models,
      devices: devices.map((d) => ({ executionProvider: d.executionProvider, available: d.available })),
      gpu: [...(await deps.gpu())],
    };
  });
};
