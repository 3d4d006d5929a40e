import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuthMode } from '../../config/app-config.js';
import { AutoVoiceError } from '../../errors/index.js';
import type { ApiKeyRepository, ApiKeyRole } from '../../storage/api-key.repository.js';

/** Who is calling: an API key (id + role), or anonymous admin when auth is off. */
export interface RequestAuth {
  readonly keyId: string | null;
  readonly role: ApiKeyRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
  interface FastifyContextConfig {
    /** Route needs no API key (health, docs, metrics). */
    public?: boolean;
  }
}

/** Options of the auth plugin. */
export interface AuthPluginOptions {
  readonly mode: AuthMode;
  readonly apiKeys: ApiKeyRepository;
  readonly bootstrapAdminKey: string | undefined;
}

const TOUCH_INTERVAL_MS = 60_000;

/** The key a request presents: `Authorization: Bearer`, `X-API-Key`, or `api_key` in the query (WebSocket from browsers). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string' && /^bearer\s+/i.test(header)) return header.replace(/^bearer\s+/i, '').trim();
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.length > 0) return apiKey.trim();
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.api_key === 'string' ? query.api_key : undefined;
}

function equalsSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Authenticates every request (onRequest): with auth `required`, routes not marked `public`
 * need a valid key; a presented key is always checked (a bad key is 401 even when auth is off).
 */
async function authPlugin(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  const lastTouched = new Map<string, number>();
  app.decorateRequest('auth', null as unknown as RequestAuth);
  app.addHook('onRequest', async (request) => {
    const key = presentedKey(request);
    if (key === undefined) {
      if (options.mode === 'off' || request.routeOptions.config.public === true || request.routeOptions.url === undefined) {
        request.auth = { keyId: null, role: 'admin' };
        return;
      }
      throw new AutoVoiceError('auth.required', 'An API key is required: send "Authorization: Bearer <key>" (create one with "autovoice keys create").');
    }
    if (options.bootstrapAdminKey !== undefined && equalsSecret(key, options.bootstrapAdminKey)) {
      request.auth = { keyId: 'bootstrap-admin', role: 'admin' };
      return;
    }
    const record = options.apiKeys.verify(key);
    if (record === undefined) throw new AutoVoiceError('auth.invalid_key', 'The API key is unknown or revoked; ask an admin for a valid key.');
    request.auth = { keyId: record.id, role: record.role };
    const now = Date.now();
    if (now - (lastTouched.get(record.id) ?? 0) > TOUCH_INTERVAL_MS) {
      lastTouched.set(record.id, now);
      options.apiKeys.touch(record.id, now);
    }
  });
}

/** Throws auth.forbidden unless the caller is an admin. */
export function requireAdmin(request: FastifyRequest): void {
  if (request.auth.role !== 'admin') throw new AutoVoiceError('auth.forbidden', 'This action needs an admin key.');
}

/** Owner filter for lists: undefined (everything) for admins, the key id for users. */
export function ownerFilter(request: FastifyRequest): string | undefined {
  return request.auth.role === 'admin' ? undefined : (request.auth.keyId ?? undefined);
}

/** True when the caller may see a resource owned by `ownerKeyId`. */
export function canSee(request: FastifyRequest, ownerKeyId: string | null): boolean {
  return request.auth.role === 'admin' || (ownerKeyId !== null && ownerKeyId === request.auth.keyId);
}

/** Owner recorded on new resources: the user's key; null (shared) for admins. */
export function newOwner(request: FastifyRequest): string | null {
  return request.auth.role === 'admin' ? null : request.auth.keyId;
}

export default fp(authPlugin, { name: 'autovoice-auth' });
