import { AutoVoiceError } from '../../errors/index.js';
import type { JobType } from '../../jobs/job-types.js';
import type { ServerDeps } from '../server-deps.js';

/** 503 feature.unavailable when the pipeline behind a job type is not in this build. */
export function assertFeatureAvailable(deps: ServerDeps, type: JobType, what: string): void {
  if (deps.pool.available[type] !== true) {
    throw new AutoVoiceError('feature.unavailable', `${what} is not available in this build yet; the other endpoints work.`, { feature: type });
  }
}
