import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestServer, waitForJob, type TestServer } from './helpers/test-server.js';

describe('auth and rate limits', () => {
  let server: TestServer;
  let admin: string;
  let alice: string;
  let bob: string;
  const bootstrap = 'bootstrap-admin-key-0123456789abcdef';

  before(async () => {
    server = await createTestServer({ AUTOVOICE_AUTH: 'required', AUTOVOICE_ADMIN_KEY: bootstrap, AUTOVOICE_RATE_LIMIT_PER_MINUTE: '30', AUTOVOICE_CORS_ORIGINS: 'https://app.example' }, { tts: false });
    admin = server.deps.apiKeys.create('ops', 'admin', Date.now()).key;
    alice = server.deps.apiKeys.create('alice', 'user', Date.now()).key;
    bob = server.deps.apiKeys.create('bob', 'user', Date.now()).key;
  });
  after(async () => server.close());

  const get = (url: string, key?: string, headers: Record<string, string> = {}) =>
    server.app.inject({ url, headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...headers } });

  test('no key: 401 auth.required; public routes stay open', async () => {
    const response = await get('/api/v1/jobs');
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error.code, 'auth.required');
    assert.equal((await get('/health/live')).statusCode, 200);
    assert.equal((await get('/api/v1/openapi.json')).statusCode, 200);
  });

  test('bad or revoked key: 401 auth.invalid_key', async () => {
    assert.equal((await get('/api/v1/jobs', 'av_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).json().error.code, 'auth.invalid_key');
    assert.equal((await get('/api/v1/jobs', 'garbage')).json().error.code, 'auth.invalid_key');
    const temp = server.deps.apiKeys.create('temp', 'user', Date.now());
    assert.equal((await get('/api/v1/jobs', temp.key)).statusCode, 200);
    server.deps.apiKeys.revoke(temp.record.id, Date.now());
    assert.equal((await get('/api/v1/jobs', temp.key)).statusCode, 401);
  });

  test('keys work as Bearer, X-API-Key; the bootstrap admin key works; keys are stored hashed', async () => {
    assert.equal((await get('/api/v1/jobs', undefined, { 'x-api-key': alice })).statusCode, 200);
    assert.equal((await get('/api/v1/jobs', bootstrap)).statusCode, 200);
    const stored = server.deps.db.prepare('SELECT secret_hash FROM api_keys').all() as { secret_hash: string }[];
    for (const row of stored) for (const key of [admin, alice, bob]) assert.ok(!key.includes(row.secret_hash) && row.secret_hash.length === 64);
  });

  test('a user sees only its own jobs; admin sees all', async () => {
    const aliceId = server.deps.apiKeys.verify(alice)?.id ?? '';
    const job = server.deps.jobs.enqueue('test.sleep', { steps: 1, stepMs: 1 }, { ownerKeyId: aliceId });
    await waitForJob(server.deps, job.id);
    assert.equal((await get(`/api/v1/jobs/${job.id}`, alice)).statusCode, 200);
    const hidden = await get(`/api/v1/jobs/${job.id}`, bob);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().error.code, 'job.not_found');
    assert.equal((await get(`/api/v1/jobs/${job.id}`, admin)).statusCode, 200);
    const bobList = (await get('/api/v1/jobs', bob)).json();
    assert.ok(bobList.items.every((j: { id: string }) => j.id !== job.id));
    const adminList = (await get('/api/v1/jobs', admin)).json();
    assert.ok(adminList.items.some((j: { id: string }) => j.id === job.id));
    const cancel = await server.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${job.id}`, headers: { authorization: `Bearer ${bob}` } });
    assert.equal(cancel.statusCode, 404);
  });

  test('CORS: allowlisted origin gets the header, others do not', async () => {
    const allowed = await get('/health/live', undefined, { origin: 'https://app.example' });
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example');
    const other = await get('/health/live', undefined, { origin: 'https://evil.example' });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });

  test('rate limit per key: 429 rate.limited with Retry-After; other keys unaffected', async () => {
    const carol = server.deps.apiKeys.create('carol', 'user', Date.now()).key;
    let limited;
    for (let i = 0; i < 40 && limited === undefined; i++) {
      const response = await get('/api/v1/jobs', carol);
      if (response.statusCode === 429) limited = response;
    }
    assert.ok(limited, 'expected a 429 within 40 requests');
    assert.equal(limited.json().error.code, 'rate.limited');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal((await get('/api/v1/jobs', bob)).statusCode, 200);
  });
});
