import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config/config.js';
import type { AppConfig } from '../../../src/config/app-config.js';
import { buildServer } from '../../../src/server/build-server.js';
import { createServices } from '../../../src/server/create-services.js';
import type { ServerDeps } from '../../../src/server/server-deps.js';
import type { GpuDevice } from '../../../src/server/metrics/gpu-probe.js';
import type { JobRecord } from '../../../src/storage/job-record.js';

/** A server built for tests: its own temp data dir, no stock voices, fake GPU probe. */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly deps: ServerDeps;
  readonly config: AppConfig;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Builds (not listening) a server with env overrides. */
export async function createTestServer(env: Record<string, string> = {}, options: { gpu?: GpuDevice[]; tts?: boolean } = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'av-server-'));
  const config = loadConfig({ NODE_ENV: 'test', AUTOVOICE_DATA_DIR: dataDir, AUTOVOICE_STOCK_VOICES: 'false', AUTOVOICE_WORKERS: '2', AUTOVOICE_LOG_LEVEL: 'silent', AUTOVOICE_SHUTDOWN_GRACE_MS: '1000', ...env });
  const listTtsVoices = options.tts === false ? undefined : await import('../../../src/server/tts-catalog.js').then((m) => m.loadTtsCatalog());
  const services = await createServices(config, pino({ level: 'silent' }), { version: '0.0.0-test', gpu: async () => options.gpu ?? [], listTtsVoices });
  const app = await buildServer(config, services.deps);
  await app.ready();
  return {
    app,
    deps: services.deps,
    config,
    dataDir,
    close: async () => {
      await app.close();
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when the job reaches a final state. */
export function waitForJob(deps: ServerDeps, id: string, timeoutMs = 20_000): Promise<JobRecord> {
  return new Promise((resolve, reject) => {
    const now = deps.jobs.mustGet(id);
    if (['succeeded', 'failed', 'cancelled'].includes(now.state)) return resolve(now);
    const timer = setTimeout(() => reject(new Error(`job ${id} still ${deps.jobs.mustGet(id).state} after ${timeoutMs} ms`)), timeoutMs);
    const onFinished = (job: JobRecord): void => {
      if (job.id !== id) return;
      clearTimeout(timer);
      deps.jobs.off('finished', onFinished);
      resolve(job);
    };
    deps.jobs.on('finished', onFinished);
  });
}

/** Resolves when the job has started running. */
export function waitForRunning(deps: ServerDeps, id: string): Promise<void> {
  return new Promise((resolve) => {
    if (deps.jobs.mustGet(id).state === 'running') return resolve();
    const onStarted = (job: JobRecord): void => {
      if (job.id !== id) return;
      deps.jobs.off('started', onStarted);
      resolve();
    };
    deps.jobs.on('started', onStarted);
  });
}
