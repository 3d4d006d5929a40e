import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AutoVoiceError } from '../../errors/index.js';
import type { IdempotencyRepository } from '../../storage/idempotency.repository.js';

const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

/** Hash of what makes two requests "the same": route, fields, and uploaded file contents (not their blob ids). */
function requestHash(request: FastifyRequest): string {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const normalized: Record<string, unknown> = {};
  for (const key of Object.keys(body).sort()) {
    const value = body[key];
    const swap = (v: unknown): unknown => (typeof v === 'string' && request.uploads.has(v) ? `sha256:${request.uploads.get(v)?.sha256}` : v);
    normalized[key] = Array.isArray(value) ? value.map(swap) : swap(value);
  }
  return createHash('sha256').update(`${request.method} ${request.routeOptions.url ?? ''}\n${JSON.stringify(request.params)}\n${JSON.stringify(normalized)}`).digest('hex');
}

/** Creations in progress per repository (one per server), by owner and key. */
const inFlight = new WeakMap<IdempotencyRepository, Map<string, Promise<unknown>>>();

function flightsOf(repo: IdempotencyRepository): Map<string, Promise<unknown>> {
  let flights = inFlight.get(repo);
  if (flights === undefined) inFlight.set(repo, (flights = new Map()));
  return flights;
}

/**
 * Runs a job-creating handler at most once per `Idempotency-Key` (per API key): a repeat with
 * the same request gets the first response again; a repeat with a different request is 409.
 * A repeat that arrives while the first is still being created (a client retrying after a
 * timeout, or sending twice at once) waits for it and is answered the same way, rather than
 * creating a second job: the key is stored only once the first creation returns.
 */
export async function withIdempotency(
  request: FastifyRequest,
  reply: FastifyReply,
  repo: IdempotencyRepository,
  create: () => Promise<{ status: number; body: unknown }>,
): Promise<void> {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) {
    const { status, body } = await create();
    await reply.status(status).send(body);
    return;
  }
  if (!KEY_PATTERN.test(key)) throw new AutoVoiceError('request.invalid', 'Idempotency-Key must be 1-200 characters of letters, digits and ._:-');
  const owner = request.auth.keyId ?? 'anonymous';
  const hash = requestHash(request);
  const flights = flightsOf(repo);
  const slot = `${owner}\n${key}`;
  for (;;) {
    const previous = repo.get(owner, key);
    if (previous !== undefined) {
      if (previous.requestHash !== hash) throw new AutoVoiceError('idempotency.conflict', 'This Idempotency-Key was already used with a different request; use a new key.');
      // The repeat's uploads are not kept: the first request's job already has its own.
      request.keptUploads.clear();
      await reply.status(previous.statusCode).header('idempotent-replayed', 'true').send(previous.response);
      return;
    }
    const pending = flights.get(slot);
    if (pending === undefined) break;
    // A first request that fails stores nothing; the next waiter then creates in its place.
    await pending.catch(() => undefined);
  }
  // No await between the lookup above and this registration: the check and the claim are one step.
  const creation = create().then(({ status, body }) => {
    repo.put(owner, key, { requestHash: hash, statusCode: status, response: body }, Date.now());
    return { status, body };
  });
  flights.set(slot, creation);
  try {
    const { status, body } = await creation;
    await reply.status(status).send(body);
  } finally {
    if (flights.get(slot) === creation) flights.delete(slot);
  }
}
