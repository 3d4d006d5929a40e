import { AutoVoiceError, throwIfAborted, type ErrorCode } from '../../errors/index.js';
import type { JobHandler } from '../job-handler.js';

/** Always present: it needs nothing but timers. */
export const available = true;

/**
 * Built-in test job: waits `steps × stepMs`, reporting progress per step, honouring the abort
 * signal between steps (or ignoring it, to test forced termination). No route can create it.
 */
export const handler: JobHandler<'test.sleep'> = async (payload, ctx) => {
  for (let step = 0; step < payload.steps; step++) {
    if (!payload.ignoreAbort) throwIfAborted(ctx.signal);
    ctx.progress(`step-${step + 1}`, step / payload.steps);
    if (payload.ignoreAbort) {
      // Busy-wait: a stuck CPU-bound stage that never yields to the event loop.
      const until = Date.now() + payload.stepMs;
      while (Date.now() < until);
    } else {
      await new Promise<void>((resolve) => setTimeout(resolve, payload.stepMs));
    }
  }
  if (payload.failWith !== undefined) throw new AutoVoiceError(payload.failWith as ErrorCode, `Test job failed with ${payload.failWith} as asked.`);
  ctx.log('info', 'test job finished', { steps: payload.steps });
  return { outputs: {}, metrics: { steps: payload.steps }, audioSeconds: (payload.steps * payload.stepMs) / 1000 };
};
