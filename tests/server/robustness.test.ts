import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync, watch } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { createTestServer, waitForJob, type TestServer } from './helpers/test-server.js';
import { multipartBody, sineWav } from './helpers/multipart.js';

// Bad input gets a typed error with a stable code: never a crash, a hang, a leaked file or a
// blocked shutdown. Each test here failed before the fix it names.

interface ErrorBodyData {
  error: { code: string; message: string; details: Record<string, unknown> };
  requestId: string;
}

function errorOf(response: { statusCode: number; json(): unknown }, status: number, code: string): ErrorBodyData['error'] {
  const body = response.json() as ErrorBodyData;
  assert.equal(typeof body.requestId, 'string');
  assert.equal(body.error.code, code, JSON.stringify(body));
  assert.equal(response.statusCode, status, JSON.stringify(body));
  return body.error;
}

function uploadsIn(server: TestServer): string[] {
  return readdirSync(server.deps.blobs.root).filter((name) => name.startsWith('upload-'));
}

/** Files under `dir` this process holds open (Linux; elsewhere nothing is reported). */
function openHandlesUnder(dir: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir)) open.push(target);
    } catch {
      // Closed between the listing and the read.
    }
  }
  return open;
}

/** Resolves when the listing of `dir` satisfies `done` (checked now and on every change), rejects after `timeoutMs`. */
function waitForListing(dir: string, done: (names: string[]) => boolean, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dir);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      watcher.close();
      if (error === undefined) resolve();
      else reject(error);
    };
    const check = (): void => {
      if (done(readdirSync(dir))) finish();
    };
    const timer = setTimeout(() => finish(new Error(`${dir} still holds ${readdirSync(dir).join(', ')} after ${timeoutMs} ms`)), timeoutMs);
    watcher.on('change', check);
    check();
  });
}

/** The head and the first bytes of a multipart upload whose declared length is never reached. */
function partialUpload(port: number, path: string): { socket: Socket; reply: Promise<string> } {
  const start = Buffer.concat([Buffer.from('--XX\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n'), Buffer.from(sineWav(0.1))]);
  const socket = connect(port, '127.0.0.1');
  socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: ${start.length + 100_000}\r\n\r\n`);
  socket.write(start);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  // Everything the server sent, once it has closed the connection.
  const reply = new Promise<string>((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8'))));
  socket.on('error', () => undefined);
  return { socket, reply };
}

function statusAndBody(raw: string): { status: number; headers: string; body: ErrorBodyData } {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) as ErrorBodyData };
}

function portOf(server: TestServer): number {
  const address = server.app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

describe('robustness: malformed input gets a typed error (inject)', () => {
  let server: TestServer;

  before(async () => {
    server = await createTestServer({}, { tts: false });
  });
  after(async () => server.close());

  test('multipart without its closing boundary: 400 request.invalid, the partial upload deleted', { timeout: 10_000 }, async () => {
    const body = Buffer.concat([Buffer.from('--XX\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n'), Buffer.from(sineWav(0.1)).subarray(0, 2000)]);
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/transform', headers: { 'content-type': 'multipart/form-data; boundary=XX' }, payload: body });
    errorOf(response, 400, 'request.invalid');
    assert.deepEqual(uploadsIn(server), []);
    assert.deepEqual(openHandlesUnder(server.deps.blobs.root), []);
  });

  test('malformed multipart (garbage, no boundary parameter): 400 request.invalid, not 500', async () => {
    for (const contentType of ['multipart/form-data; boundary=zzz', 'multipart/form-data']) {
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/transform', headers: { 'content-type': contentType }, payload: 'garbage' });
      errorOf(response, 400, 'request.invalid');
    }
  });

  test('paging: offsets and limits SQLite cannot bind, or not written as decimals, are 400 request.invalid', async () => {
    for (const query of ['offset=1e300', 'offset=9223372036854775808', 'offset=1e400', 'offset=0x10', 'limit=1e400', 'limit=0x10', 'limit=201', 'offset=-1']) {
      const response = await server.app.inject(`/api/v1/jobs?${query}`);
      errorOf(response, 400, 'request.invalid');
    }
    const ok = await server.app.inject(`/api/v1/jobs?limit=5&offset=${Number.MAX_SAFE_INTEGER}`);
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json().items, []);
  });

  test('every numeric field of every multipart route refuses non-finite and non-decimal numbers with 400 request.invalid', async () => {
    const spec = server.app.swagger() as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, { type?: string }> } }> } }>> };
    const checked: string[] = [];
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const form = operation.requestBody?.content['multipart/form-data']?.schema.properties ?? {};
        for (const [field, schema] of Object.entries(form)) {
          if (schema.type !== 'number' && schema.type !== 'integer') continue;
          for (const value of ['1e400', '-1e400', 'Infinity', '0x10', ' 1', '']) {
            const form = multipartBody([{ name: 'file', file: sineWav(0.1), filename: 'a.wav' }, { name: 'voice', value: 'x' }, { name: field, value }]);
            const response = await server.app.inject({ method: method.toUpperCase() as 'POST', url: path.replace('{id}', 'x'), headers: { 'content-type': form.contentType }, payload: form.body });
            const error = errorOf(response, 400, 'request.invalid');
            assert.equal((error.details.issues as { path: string }[])[0]?.path, `body/${field}`, `${path} ${field}=${JSON.stringify(value)}`);
          }
          checked.push(`${path} ${field}`);
        }
      }
    }
    // The routes the audit named are among those checked.
    for (const expected of ['/api/v1/transform semitones', '/api/v1/transform stretch', '/api/v1/convert/song vocalGainDb']) assert.ok(checked.includes(expected), `${expected} not checked: ${checked.join(', ')}`);
    assert.deepEqual(uploadsIn(server), []);
  });

  test('form values in decimal notation are still typed: numbers, booleans, a single file as a list', async () => {
    const form = multipartBody([{ name: 'file', file: sineWav(0.2), filename: 'a.wav' }, { name: 'semitones', value: '-2.5' }, { name: 'stretch', value: '1e0' }, { name: 'refine', value: 'false' }]);
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/transform', headers: { 'content-type': form.contentType }, payload: form.body });
    assert.equal(response.statusCode, 202, response.body);
    const job = server.deps.jobs.mustGet(response.json().job.id);
    assert.deepEqual([(job.payload as { semitones: number }).semitones, (job.payload as { stretch: number }).stretch, (job.payload as { refine: boolean }).refine], [-2.5, 1, false]);
    await waitForJob(server.deps, job.id, 60_000);
    const profile = multipartBody([{ name: 'name', value: 'solo' }, { name: 'files', file: new TextEncoder().encode('not audio'), filename: 'a.wav' }]);
    const one = await server.app.inject({ method: 'POST', url: '/api/v1/voices', headers: { 'content-type': profile.contentType }, payload: profile.body });
    // Past validation (a one-file form is a list of one): the file itself is what is refused.
    assert.notEqual(one.statusCode, 400, one.body);
  });

  test('JSON fields of the wrong type are 400 request.invalid, not coerced', async () => {
    for (const payload of [{ text: 123 }, { text: null }, { text: true }, { text: 'Hello.', rate: '1.5' }, { text: 'Hello.', stream: 'true' }, { text: ['Hello.'] }]) {
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload });
      const error = errorOf(response, 400, 'request.invalid');
      assert.match(error.message, /must be (string|number|boolean)/, JSON.stringify(payload));
    }
    const rename = await server.app.inject({ method: 'PATCH', url: '/api/v1/voices/nobody', payload: { name: 5 } });
    assert.equal(errorOf(rename, 400, 'request.invalid').details.issues instanceof Array, true);
  });

  test("Fastify's own refusals (over-long path parameter, bad URL encoding) carry the documented body", async () => {
    for (const url of [`/api/v1/jobs/${'a'.repeat(5000)}`, `/api/v1/jobs/${'a'.repeat(200)}`, '/api/v1/jobs/%zz']) {
      const response = await server.app.inject(url);
      const error = errorOf(response, 400, 'request.invalid');
      assert.ok(error.message.length < 300, 'the message does not echo the URL');
      assert.equal(typeof response.headers['x-request-id'], 'string');
    }
  });
});

describe('robustness: a real listening server (uploads, headers, shutdown)', { timeout: 60_000 }, () => {
  let server: TestServer;
  let port: number;

  before(async () => {
    server = await createTestServer({ AUTOVOICE_UPLOAD_IDLE_TIMEOUT_MS: '500' }, { tts: false });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    port = portOf(server);
  });
  after(async () => server.close());

  test('a 20 kB request header gets the documented body: 413 request.too_large', async () => {
    const { status, headers, body } = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/api/v1/jobs', headers: { 'x-big': 'a'.repeat(20_000) } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      });
      request.on('error', reject);
      request.end();
    });
    assert.equal(status, 413);
    const parsed = JSON.parse(body) as ErrorBodyData;
    assert.equal(parsed.error.code, 'request.too_large');
    assert.equal(headers['x-request-id'], parsed.requestId);
  });

  test('a client that disconnects mid-upload leaves no file and no open handle', async () => {
    const root = server.deps.blobs.root;
    const { socket } = partialUpload(port, '/api/v1/transform');
    await waitForListing(root, (names) => names.some((name) => name.startsWith('upload-')));
    socket.destroy();
    await waitForListing(root, (names) => !names.some((name) => name.startsWith('upload-')));
    assert.deepEqual(openHandlesUnder(root), []);
  });

  test('an upload that stalls is answered 400 request.invalid after the idle timeout, its connection closed and its file deleted', async () => {
    const root = server.deps.blobs.root;
    const { reply } = partialUpload(port, '/api/v1/transform');
    const { status, headers, body } = statusAndBody(await reply);
    assert.equal(status, 400);
    assert.equal(body.error.code, 'request.invalid');
    assert.match(headers, /connection: close/);
    await waitForListing(root, (names) => !names.some((name) => name.startsWith('upload-')));
    assert.deepEqual(openHandlesUnder(root), []);
  });
});

describe('robustness: shutdown is not held by an upload still arriving', { timeout: 30_000 }, () => {
  test('close() answers the upload 503 service.unavailable and finishes; no file is left', async () => {
    const server = await createTestServer({ AUTOVOICE_UPLOAD_IDLE_TIMEOUT_MS: '60000' }, { tts: false });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    const root = server.deps.blobs.root;
    const { reply } = partialUpload(portOf(server), '/api/v1/transform');
    await waitForListing(root, (names) => names.some((name) => name.startsWith('upload-')));
    const closing = server.app.close();
    const { status, body } = statusAndBody(await reply);
    assert.equal(status, 503);
    assert.equal(body.error.code, 'service.unavailable');
    assert.deepEqual(uploadsIn(server), []);
    await closing;
    assert.deepEqual(openHandlesUnder(root), []);
    await server.close();
  });
});

describe('robustness: a client that leaves stops the work it asked for', { timeout: 90_000 }, () => {
  test('disconnecting from a streamed synthesis frees its worker at once, not when the whole text is spoken', async () => {
    const server = await createTestServer();
    try {
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      const workers = server.deps.pool.idleCount;
      // About half a minute of synthesis on one core: long enough that waiting it out fails the test.
      const text = 'This sentence keeps the synthesiser busy for a good while. '.repeat(300);
      const body = JSON.stringify({ text, voice: 'flite:slt', stream: true });
      const firstChunk = await new Promise<ReturnType<typeof httpRequest>>((resolve, reject) => {
        const request = httpRequest(
          { host: '127.0.0.1', port: portOf(server), method: 'POST', path: '/api/v1/synthesize', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (response) => {
            assert.equal(response.statusCode, 200);
            response.once('data', () => resolve(request));
          },
        );
        request.on('error', reject);
        request.end(body);
      });
      assert.equal(server.deps.pool.idleCount, workers - 1, 'the synthesis is running');
      firstChunk.destroy();
      const started = Date.now();
      while (server.deps.pool.idleCount < workers) {
        assert.ok(Date.now() - started < 10_000, 'the worker was still busy 10 s after the client left');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await server.close();
    }
  });
});
