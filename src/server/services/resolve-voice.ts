import type { FastifyRequest } from 'fastify';
import { voiceAccess } from '../routes/voices.routes.js';
import type { ServerDeps } from '../server-deps.js';

/** Resolves a voice id or name the caller may use to the profile id (voice.not_found otherwise). */
export async function resolveVoiceId(request: FastifyRequest, deps: ServerDeps, idOrName: string): Promise<string> {
  return (await deps.voices.get(idOrName, voiceAccess(request))).id;
}
