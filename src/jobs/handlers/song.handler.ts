import type { JobHandler } from '../job-handler.js';
import { featureUnavailable } from './unavailable.js';

/** False until the pipeline lands (the route answers 503 feature.unavailable meanwhile). */
export const available = false;

/** Placeholder: replaced by the real pipeline call when it lands. */
export const handler: JobHandler<'song'> = async () => {
  throw featureUnavailable('The song pipeline');
};
