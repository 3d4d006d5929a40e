import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { createJobService } from '../jobs/create-job-service.js';
import { ApiKeyRepository } from '../storage/api-key.repository.js';
import { openDatabase } from '../storage/database.js';
import { VoiceProfileRepository } from '../storage/voice-profile.repository.js';
import { createNvidiaSmiProbe, type GpuProbe } from './metrics/gpu-probe.js';
import type { ServerDeps } from './server-deps.js';

/** Options for tests and embedders. */
export interface CreateServicesOptions {
  readonly version: string;
  readonly gpu?: GpuProbe;
  /** The TTS voice catalogue; omitted while src/tts is not part of the build. */
  readonly listTtsVoices?: ServerDeps['listTtsVoices'];
}

/** Path of the service database inside the data dir. */
export function databasePath(config: AppConfig): string {
  return join(config.dataDir, 'autovoice.db');
}

/**
 * The composition root of the service: opens the database, starts the worker pool, builds the
 * repositories and the job service (started: crash recovery runs here). `close` drains jobs and
 * closes everything.
 */
export async function createServices(config: AppConfig, logger: Logger, options: CreateServicesOptions): Promise<{ deps: ServerDeps; close: () => Promise<void> }> {
  const db = openDatabase(databasePath(config));
  const { service, pool, blobs, batches, idempotency } = await createJobService(config, db, logger.child({ component: 'jobs' }));
  service.start();
  if (config.jobs.stockVoices) {
    // Background: the API is usable at once; the stock voices appear when ready.
    service.runNow('stock-voices', {}).then(
      (outcome) => logger.info({ created: outcome.data }, 'stock voices ready'),
      (error: unknown) => logger.warn({ err: error }, 'stock voices could not be created'),
    );
  }
  const deps: ServerDeps = {
    db,
    jobs: service,
    pool,
    blobs,
    apiKeys: new ApiKeyRepository(db),
    batches,
    idempotency,
    voices: new VoiceProfileRepository(config.dataDir),
    logger,
    gpu: options.gpu ?? createNvidiaSmiProbe(),
    version: options.version,
    listTtsVoices: options.listTtsVoices,
    startedAt: Date.now(),
  };
  return {
    deps,
    close: async () => {
      await service.shutdown();
      db.close();
    },
  };
}
