import { statfs } from 'node:fs/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { isDatabaseHealthy } from '../../storage/database.js';
import type { RouteOptions } from '../route-options.js';

const Check = Type.Object({ database: Type.Boolean(), storage: Type.Boolean(), workers: Type.Boolean(), engines: Type.Boolean() });

const HealthDetails = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('degraded'), Type.Literal('unhealthy')]),
  version: Type.String(),
  uptime: Type.Number({ description: 'Seconds since start.' }),
  gpu: Type.Object({
    available: Type.Boolean(),
    device_count: Type.Integer(),
    devices: Type.Array(Type.Object({ name: Type.String(), memory_total: Type.Number({ description: 'MiB' }), memory_used: Type.Number({ description: 'MiB' }) })),
  }),
  models: Type.Record(Type.String(), Type.Boolean(), { description: 'tts_loaded, vc_loaded, separation_loaded, … (pipelines present in this build).' }),
  disk: Type.Object({ free_bytes: Type.Number(), total_bytes: Type.Number() }),
  queue: Type.Object({ depth: Type.Integer(), running: Type.Integer(), workers: Type.Integer(), idle_workers: Type.Integer() }),
  database: Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('error')]) }),
  checks: Check,
});

/** Liveness, readiness and detailed health. Public (no key), not rate limited. */
export const healthRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, config }) => {
  const publicConfig = { public: true, rateLimit: false } as const;

  // The storage probe writes a file: cache it briefly so a busy health check costs no disk I/O.
  let storageProbe: { at: number; ok: Promise<boolean> } | undefined;
  const storageWritable = (): Promise<boolean> => {
    if (storageProbe === undefined || Date.now() - storageProbe.at > 2000) storageProbe = { at: Date.now(), ok: deps.blobs.isWritable() };
    return storageProbe.ok;
  };

  async function checks(): Promise<{ database: boolean; storage: boolean; workers: boolean; engines: boolean }> {
    const available = deps.pool.available;
    return {
      database: isDatabaseHealthy(deps.db),
      storage: await storageWritable(),
      workers: deps.pool.healthy,
      engines: Object.keys(available).length > 0,
    };
  }

  app.get('/health/live', { config: publicConfig, schema: { tags: ['health'], summary: 'The process is up.', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/health/ready',
    {
      config: publicConfig,
      schema: { tags: ['health'], summary: 'Ready to serve: database, storage, workers, engines.', response: { 200: Type.Object({ status: Type.String(), checks: Check }), 503: Type.Object({ status: Type.String(), checks: Check }) } },
    },
    async (_request, reply) => {
      const result = await checks();
      const ready = Object.values(result).every(Boolean);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: result });
    },
  );

  app.get('/health', { config: publicConfig, schema: { tags: ['health'], summary: 'Health with details.', response: { 200: HealthDetails, 503: HealthDetails } } }, async (_request, reply) => {
    const result = await checks();
    const devices = await deps.gpu();
    let disk = { free_bytes: 0, total_bytes: 0 };
    try {
      const stats = await statfs(config.dataDir);
      disk = { free_bytes: stats.bavail * stats.bsize, total_bytes: stats.blocks * stats.bsize };
    } catch {
      result.storage = false;
    }
    const available = deps.pool.available;
    const status = !result.database || !result.storage ? 'unhealthy' : !result.workers || !result.engines ? 'degraded' : 'healthy';
    return reply.status(status === 'unhealthy' ? 503 : 200).send({
      status,
      version: deps.version,
      uptime: (Date.now() - deps.startedAt) / 1000,
      gpu: { available: devices.length > 0, device_count: devices.length, devices: devices.map((d) => ({ name: d.name, memory_total: d.memoryTotalMiB, memory_used: d.memoryUsedMiB })) },
      models: {
        tts_loaded: available.synthesize === true,
        vc_loaded: available.convert === true,
        song_loaded: available.song === true,
        profile_loaded: available['create-profile'] === true,
      },
      disk,
      queue: { depth: deps.jobs.queueDepth, running: deps.jobs.runningCount, workers: config.jobs.workers + config.jobs.interactiveWorkers, idle_workers: deps.pool.idleCount },
      database: { status: result.database ? 'ok' : 'error' },
      checks: result,
    });
  });
};
