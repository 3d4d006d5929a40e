import type { Logger } from 'pino';
import type { JobService } from '../jobs/job-service.js';
import type { WorkerPool } from '../jobs/worker/worker-pool.js';
import type { ApiKeyRepository } from '../storage/api-key.repository.js';
import type { BatchRepository } from '../storage/batch.repository.js';
import type { BlobStore } from '../storage/blob-store.js';
import type { SqliteDatabase } from '../storage/database.js';
import type { IdempotencyRepository } from '../storage/idempotency.repository.js';
import type { VoiceProfileRepository } from '../storage/voice-profile.repository.js';
import type { GpuProbe } from './metrics/gpu-probe.js';

/** Everything the HTTP layer needs, built by createServices (or by tests). */
export interface ServerDeps {
  readonly db: SqliteDatabase;
  readonly jobs: JobService;
  readonly pool: WorkerPool;
  readonly blobs: BlobStore;
  readonly apiKeys: ApiKeyRepository;
  readonly batches: BatchRepository;
  readonly idempotency: IdempotencyRepository;
  readonly voices: VoiceProfileRepository;
  readonly logger: Logger;
  readonly gpu: GpuProbe;
  readonly version: string;
  /** The TTS voice catalogue (src/tts listTtsVoices); undefined while TTS is not in the build. */
  readonly listTtsVoices: (() => Promise<readonly { engine: string; id: string; name: string; language: string; sampleRate: number; gender?: string }[]>) | undefined;
  /** Epoch ms when the process started (uptime). */
  readonly startedAt: number;
}
