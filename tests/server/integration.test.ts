import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestServer, waitForRunning, type TestServer } from './helpers/test-server.js';
import { TestWsClient } from './helpers/ws-client.js';

describe('a real listening server: HTTP and WebSocket', { timeout: 120_000 }, () => {
  let server: TestServer;
  let base: string;
  let wsUrl: string;
  let userKey: string;
  let otherKey: string;
  let userId: string;

  before(async () => {
    server = await createTestServer({ AUTOVOICE_AUTH: 'required', AUTOVOICE_WS_MAX_CONNECTIONS: '2', AUTOVOICE_WS_MAX_SUBSCRIPTIONS: '2', AUTOVOICE_WS_HEARTBEAT_MS: '200' });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    base = `http://127.0.0.1:${port}`;
    wsUrl = `ws://127.0.0.1:${port}/api/v1/ws`;
    const created = server.deps.apiKeys.create('user', 'user', Date.now());
    userKey = created.key;
    userId = created.record.id;
    otherKey = server.deps.apiKeys.create('other', 'user', Date.now()).key;
  });
  after(async () => server.close());

  test('HTTP over the socket: auth, request id, synthesis', async () => {
    const unauth = await fetch(`${base}/api/v1/jobs`);
    assert.equal(unauth.status, 401);
    assert.equal(((await unauth.json()) as { error: { code: string } }).error.code, 'auth.required');
    const response = await fetch(`${base}/api/v1/synthesize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${userKey}`, 'content-type': 'application/json', 'x-request-id': 'it-1' },
      body: JSON.stringify({ text: 'Integration test.', voice: 'flite:slt' }),
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-request-id'), 'it-1');
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), 'RIFF');
  });

  test('WebSocket needs a key like HTTP', async () => {
    await assert.rejects(TestWsClient.connect(wsUrl), /HTTP 401/);
  });

  test('subscribe to a job: progress, then succeeded; other users cannot subscribe', async () => {
    const client = await TestWsClient.connect(wsUrl, { authorization: `Bearer ${userKey}` });
    await client.next((m) => m.type === 'hello');
    const job = server.deps.jobs.enqueue('test.sleep', { steps: 10, stepMs: 150 }, { ownerKeyId: userId });
    client.send({ v: 1, type: 'subscribe', jobId: job.id });
    await client.next((m) => m.type === 'subscribed' && m.jobId === job.id);
    const progress = await client.next((m) => m.type === 'progress' && m.jobId === job.id);
    assert.equal(progress.v, 1);
    assert.match(String(progress.stage), /^step-\d$/);
    const done = await client.next((m) => m.type === 'succeeded' && m.jobId === job.id);
    assert.deepEqual(done.metrics, { steps: 10 });
    client.close();

    const other = await TestWsClient.connect(`${wsUrl}?api_key=${otherKey}`);
    other.send({ v: 1, type: 'subscribe', jobId: job.id });
    const denied = await other.next((m) => m.type === 'error');
    assert.equal((denied.error as { code: string }).code, 'job.not_found');
    other.close();
  });

  test('failed and cancelled jobs send their final message', async () => {
    const client = await TestWsClient.connect(wsUrl, { authorization: `Bearer ${userKey}` });
    const failing = server.deps.jobs.enqueue('test.sleep', { steps: 1, stepMs: 100, failWith: 'audio.corrupt' }, { ownerKeyId: userId });
    client.send({ v: 1, type: 'subscribe', jobId: failing.id });
    const failed = await client.next((m) => m.type === 'failed' && m.jobId === failing.id);
    assert.equal((failed.error as { code: string }).code, 'audio.corrupt');
    const long = server.deps.jobs.enqueue('test.sleep', { steps: 400, stepMs: 50 }, { ownerKeyId: userId });
    client.send({ v: 1, type: 'subscribe', jobId: long.id });
    await client.next((m) => m.type === 'subscribed' && m.jobId === long.id);
    await waitForRunning(server.deps, long.id);
    const cancel = await fetch(`${base}/api/v1/jobs/${long.id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${userKey}` } });
    assert.equal(cancel.status, 200);
    await client.next((m) => m.type === 'cancelled' && m.jobId === long.id);
    client.close();
  });

  test('bad messages get a request.invalid error; limits on subscriptions and connections', async () => {
    const client = await TestWsClient.connect(wsUrl, { authorization: `Bearer ${userKey}` });
    client.socket.send('not json');
    assert.equal(((await client.next((m) => m.type === 'error')).error as { code: string }).code, 'request.invalid');
    client.messages.length = 0;
    client.send({ v: 2, type: 'subscribe', jobId: 'x' });
    assert.equal(((await client.next((m) => m.type === 'error')).error as { code: string }).code, 'request.invalid');
    const jobs = [0, 1, 2].map(() => server.deps.jobs.enqueue('test.sleep', { steps: 1, stepMs: 1 }, { ownerKeyId: userId }));
    client.messages.length = 0;
    for (const job of jobs) client.send({ v: 1, type: 'subscribe', jobId: job.id });
    assert.equal(((await client.next((m) => m.type === 'error')).error as { code: string }).code, 'request.too_large');
    client.send({ v: 1, type: 'ping' });
    await client.next((m) => m.type === 'pong');
    const second = await TestWsClient.connect(wsUrl, { authorization: `Bearer ${userKey}` });
    const third = await TestWsClient.connect(wsUrl, { authorization: `Bearer ${userKey}` });
    assert.equal((await third.waitClosed()).code, 1008);
    client.close();
    second.close();
  });

  test('a client that stops answering pings is dropped by the heartbeat', async () => {
    // autoPong off: the client never answers pings, like a dead peer.
    const client = await TestWsClient.connect(wsUrl, { authorization: `Bearer ${otherKey}` }, { autoPong: false });
    const closed = await client.waitClosed();
    assert.ok([1006, 1005].includes(closed.code), `closed with ${closed.code}`);
  });

  test('tts message streams WAV frames between tts.start and tts.end', async () => {
    const client = await TestWsClient.connect(wsUrl, { authorization: `Bearer ${otherKey}` });
    client.send({ v: 1, type: 'tts', id: 'r1', text: 'Hello. Streaming speech.', voice: 'flite:slt' });
    await client.next((m) => m.type === 'tts.start' && m.id === 'r1');
    const end = await client.next((m) => m.type === 'tts.end' && m.id === 'r1');
    assert.ok(Number(end.firstChunkMs) > 0);
    const audio = Buffer.concat(client.binary);
    assert.equal(audio.subarray(0, 4).toString(), 'RIFF');
    assert.ok(audio.length > 44 + 4000);
    client.close();
  });
});

describe('WebSocket clients at shutdown', { timeout: 30_000 }, () => {
  test('hear service.unavailable and are closed "going away" (1001), not with a bare close', async () => {
    const server = await createTestServer({ AUTOVOICE_AUTH: 'off' });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const address = server.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const client = await TestWsClient.connect(`ws://127.0.0.1:${port}/api/v1/ws`);
    await client.next((m) => m.type === 'hello');
    const closing = server.close();
    const notice = await client.next((m) => m.type === 'error');
    assert.equal((notice.error as { code: string }).code, 'service.unavailable');
    assert.equal((await client.waitClosed()).code, 1001);
    await closing;
  });
});
