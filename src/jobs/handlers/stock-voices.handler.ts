import { ensureStockVoices } from '../../pipelines/stock-voices.js';
import { VoiceProfileRepository } from '../../storage/voice-profile.repository.js';
import type { JobHandler } from '../job-handler.js';

/** The stock voice pipeline is part of the build. */
export const available = true;

/** Creates the missing stock voice profiles (idempotent); `data` = names created. */
export const handler: JobHandler<'stock-voices'> = async (_payload, ctx) => {
  ctx.progress('stock-voices', 0);
  const created = await ensureStockVoices(new VoiceProfileRepository(ctx.dataDir), { signal: ctx.signal });
  return { outputs: {}, data: created };
};
