import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createTestServer, waitForJob, waitForRunning, type TestServer } from './helpers/test-server.js';
import { multipartBody, sineWav } from './helpers/multipart.js';

function errorOf(response: { json(): unknown }): { code: string; message: string; details: Record<string, unknown> } {
  const body = response.json() as { error: { code: string; message: string; details: Record<string, unknown> }; requestId: string };
  assert.equal(typeof body.requestId, 'string');
  assert.equal(typeof body.error.message, 'string');
  return body.error;
}

describe('routes (inject)', () => {
  let server: TestServer;

  before(async () => {
    server = await createTestServer({ AUTOVOICE_MAX_UPLOAD_MB: '0.05', AUTOVOICE_MAX_FILES: '2', AUTOVOICE_MAX_QUEUED: '4', AUTOVOICE_SYNC_TEXT_MAX_CHARS: '40', AUTOVOICE_MAX_TEXT_CHARS: '200' }, { gpu: [{ name: 'Test GPU', memoryTotalMiB: 1000, memoryUsedMiB: 250, utilizationPercent: 40 }] });
  });
  after(async () => server.close());

  test('health: live, ready, details with gpu block', async () => {
    assert.deepEqual((await server.app.inject('/health/live')).json(), { status: 'ok' });
    const ready = await server.app.inject('/health/ready');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
    const health = (await server.app.inject('/health')).json();
    assert.equal(health.status, 'healthy');
    assert.deepEqual(health.gpu, { available: true, device_count: 1, devices: [{ name: 'Test GPU', memory_total: 1000, memory_used: 250 }] });
    assert.equal(health.database.status, 'ok');
    assert.equal(health.models.tts_loaded, true);
    assert.ok(health.disk.free_bytes > 0);
  });

  test('request ids: taken from X-Request-ID, generated otherwise, unsafe ones replaced', async () => {
    const given = await server.app.inject({ url: '/api/v1/jobs', headers: { 'x-request-id': 'req-42' } });
    assert.equal(given.headers['x-request-id'], 'req-42');
    const generated = await server.app.inject('/api/v1/jobs');
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const unsafe = await server.app.inject({ url: '/api/v1/jobs', headers: { 'x-request-id': 'a b\n<script>' } });
    assert.match(String(unsafe.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  });

  test('unknown route: 404 route.not_found with the request id in the body', async () => {
    const response = await server.app.inject({ url: '/api/v1/nope', headers: { 'x-request-id': 'r-404' } });
    assert.equal(response.statusCode, 404);
    assert.equal(errorOf(response).code, 'route.not_found');
    assert.equal(response.json().requestId, 'r-404');
  });

  test('security headers and CORS allowlist (none by default)', async () => {
    const response = await server.app.inject({ url: '/health/live', headers: { origin: 'https://evil.example' } });
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.ok(response.headers['content-security-policy']);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });

  test('jobs: list, get, result before finish (409), result variants, delete', async () => {
    const job = server.deps.jobs.enqueue('test.sleep', { steps: 2, stepMs: 5 }, { ownerKeyId: null, requestId: 'r1' });
    const done = await waitForJob(server.deps, job.id);
    assert.equal(done.state, 'succeeded');
    const view = (await server.app.inject(`/api/v1/jobs/${job.id}`)).json();
    assert.equal(view.state, 'succeeded');
    assert.equal(view.progress, 1);
    assert.ok(view.realTimeFactor > 0);
    assert.deepEqual(view.results, []);
    const list = (await server.app.inject('/api/v1/jobs?state=succeeded&limit=1')).json();
    assert.equal(list.limit, 1);
    assert.ok(list.total >= 1);
    const noVariant = await server.app.inject(`/api/v1/jobs/${job.id}/result`);
    assert.equal(noVariant.statusCode, 400);
    assert.equal(errorOf(noVariant).code, 'request.invalid');
    const running = server.deps.jobs.enqueue('test.sleep', { steps: 500, stepMs: 20 }, { ownerKeyId: null });
    await waitForRunning(server.deps, running.id);
    const early = await server.app.inject(`/api/v1/jobs/${running.id}/result`);
    assert.equal(early.statusCode, 409);
    assert.equal(errorOf(early).code, 'job.not_finished');
    const cancelled = await server.app.inject({ method: 'POST', url: `/api/v1/jobs/${running.id}/cancel` });
    assert.equal(cancelled.json().state, 'cancelled');
    const again = await server.app.inject({ method: 'POST', url: `/api/v1/jobs/${running.id}/cancel` });
    assert.equal(again.statusCode, 409);
    assert.equal(errorOf(again).code, 'job.not_cancellable');
    assert.equal((await server.app.inject({ method: 'DELETE', url: `/api/v1/jobs/${job.id}` })).statusCode, 204);
    const gone = await server.app.inject(`/api/v1/jobs/${job.id}`);
    assert.equal(gone.statusCode, 404);
    assert.equal(errorOf(gone).code, 'job.not_found');
  });

  test('validation: bad query is 400 request.invalid with issues', async () => {
    const response = await server.app.inject('/api/v1/jobs?state=bogus');
    assert.equal(response.statusCode, 400);
    const error = errorOf(response);
    assert.equal(error.code, 'request.invalid');
    assert.ok(Array.isArray(error.details.issues));
  });

  test('wrong content type is 415 request.unsupported_media_type', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    assert.equal(response.statusCode, 415);
    assert.equal(errorOf(response).code, 'request.unsupported_media_type');
  });

  test('synthesize: text checks (empty, too long, path as voice)', async () => {
    const empty = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: '   ' } });
    assert.equal(empty.statusCode, 400);
    assert.equal(errorOf(empty).code, 'tts.text_empty');
    const long = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'a'.repeat(201) } });
    assert.equal(long.statusCode, 413);
    assert.equal(errorOf(long).code, 'tts.text_too_long');
    const path = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'hi', voice: '../../etc/passwd' } });
    assert.equal(path.statusCode, 400);
    assert.equal(errorOf(path).code, 'usage.invalid_argument');
    const unknown = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'hi', voice: 'flite:nobody' } });
    assert.equal(unknown.statusCode, 404);
    assert.equal(errorOf(unknown).code, 'tts.unknown_voice');
  });

  test('synthesize: short text answers with WAV audio; long text becomes a job', async () => {
    const sync = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'Hello there.', voice: 'flite:slt' } });
    assert.equal(sync.statusCode, 200);
    assert.equal(sync.headers['content-type'], 'audio/wav');
    assert.equal(sync.rawPayload.subarray(0, 4).toString(), 'RIFF');
    assert.ok(Number(sync.headers['x-audio-duration-seconds']) > 0.3);
    const asJob = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'This sentence is longer than forty characters, so it is queued.', voice: 'flite:slt', format: 'flac' } });
    assert.equal(asJob.statusCode, 202);
    const done = await waitForJob(server.deps, asJob.json().job.id);
    assert.equal(done.state, 'succeeded');
    const flac = await server.app.inject(`/api/v1/jobs/${done.id}/result`);
    assert.equal(flac.headers['content-type'], 'audio/flac');
    assert.equal(flac.rawPayload.subarray(0, 4).toString(), 'fLaC');
    const asWav = await server.app.inject(`/api/v1/jobs/${done.id}/result?format=wav`);
    assert.equal(asWav.headers['content-type'], 'audio/wav');
    assert.equal(asWav.rawPayload.subarray(0, 4).toString(), 'RIFF');
  });

  test('synthesize stream=true: chunked WAV with an open-ended header', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'One. Two.', voice: 'flite:slt', stream: true } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.rawPayload.readUInt32LE(40), 0xffffffff);
    assert.ok(response.rawPayload.length > 44 + 1000);
  });

  test('uploads: non-audio is 415, too large is 413, too many files is 413, unknown voice is 404', async () => {
    const notAudio = multipartBody([{ name: 'file', file: new TextEncoder().encode('just some text, not audio at all'), filename: 'a.wav' }, { name: 'voice', value: 'x' }]);
    const r415 = await server.app.inject({ method: 'POST', url: '/api/v1/convert', headers: { 'content-type': notAudio.contentType }, payload: notAudio.body });
    assert.equal(r415.statusCode, 415);
    assert.equal(errorOf(r415).code, 'audio.unsupported_format');
    const big = multipartBody([{ name: 'file', file: sineWav(3), filename: 'big.wav' }, { name: 'voice', value: 'x' }]);
    const r413 = await server.app.inject({ method: 'POST', url: '/api/v1/convert', headers: { 'content-type': big.contentType }, payload: big.body });
    assert.equal(r413.statusCode, 413);
    assert.equal(errorOf(r413).code, 'request.too_large');
    const many = multipartBody([1, 2, 3].map((i) => ({ name: 'files', file: sineWav(0.1), filename: `${i}.wav` })).concat([{ name: 'voice', value: 'x' } as never]));
    const rMany = await server.app.inject({ method: 'POST', url: '/api/v1/batch', headers: { 'content-type': many.contentType }, payload: many.body });
    assert.equal(rMany.statusCode, 413);
    const ok = multipartBody([{ name: 'file', file: sineWav(0.2), filename: 'a.wav' }, { name: 'voice', value: 'nobody' }]);
    const r404 = await server.app.inject({ method: 'POST', url: '/api/v1/convert', headers: { 'content-type': ok.contentType }, payload: ok.body });
    assert.equal(r404.statusCode, 404);
    assert.equal(errorOf(r404).code, 'voice.not_found');
    const missing = multipartBody([{ name: 'voice', value: 'x' }]);
    const r400 = await server.app.inject({ method: 'POST', url: '/api/v1/convert', headers: { 'content-type': missing.contentType }, payload: missing.body });
    assert.equal(r400.statusCode, 400);
    assert.equal(errorOf(r400).code, 'request.invalid');
    // No upload of a rejected request stays on disk.
    const { readdirSync } = await import('node:fs');
    assert.deepEqual(readdirSync(server.deps.blobs.root).filter((n) => n.startsWith('upload-')), []);
  });

  test('voices: list, 404 for unknown, invalid profile import is 422', async () => {
    assert.deepEqual((await server.app.inject('/api/v1/voices')).json(), { items: [] });
    const missing = await server.app.inject('/api/v1/voices/nobody');
    assert.equal(missing.statusCode, 404);
    assert.equal(errorOf(missing).code, 'voice.not_found');
    const junk = multipartBody([{ name: 'file', file: new TextEncoder().encode('not a profile'), filename: 'x.avp' }]);
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/voices/import', headers: { 'content-type': junk.contentType }, payload: junk.body });
    assert.equal(bad.statusCode, 422);
    assert.equal(errorOf(bad).code, 'voice.invalid_profile');
  });

  test('idempotency: same key + same request replays; different request is 409', async () => {
    const text = 'A text that is long enough to be queued as a job for sure.';
    const first = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', headers: { 'idempotency-key': 'k-1' }, payload: { text, voice: 'flite:slt' } });
    assert.equal(first.statusCode, 202);
    const replay = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', headers: { 'idempotency-key': 'k-1' }, payload: { text, voice: 'flite:slt' } });
    assert.equal(replay.statusCode, 202);
    assert.equal(replay.json().job.id, first.json().job.id);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    const conflict = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', headers: { 'idempotency-key': 'k-1' }, payload: { text: `${text} Changed.`, voice: 'flite:slt' } });
    assert.equal(conflict.statusCode, 409);
    assert.equal(errorOf(conflict).code, 'idempotency.conflict');
    await waitForJob(server.deps, first.json().job.id);
  });

  test('idempotency: repeats sent while the first is still being created make no second job', async () => {
    const form = multipartBody([
      { name: 'file', file: sineWav(0.5), filename: 'a.wav' },
      { name: 'semitones', value: '2' },
    ]);
    const send = (): Promise<{ statusCode: number; headers: Record<string, unknown>; json(): { job: { id: string } } }> =>
      server.app.inject({ method: 'POST', url: '/api/v1/transform', headers: { 'content-type': form.contentType, 'idempotency-key': 'race-1' }, payload: form.body });
    const answers = await Promise.all([send(), send(), send(), send(), send(), send()]);
    assert.deepEqual(answers.map((a) => a.statusCode), [202, 202, 202, 202, 202, 202]);
    const ids = new Set(answers.map((a) => a.json().job.id));
    assert.equal(ids.size, 1, `jobs created: ${[...ids].join(', ')}`);
    assert.equal(answers.filter((a) => a.headers['idempotent-replayed'] === 'true').length, 5);
    await waitForJob(server.deps, [...ids][0] as string);
  });

  test('a full queue answers 429 queue.full with Retry-After', async () => {
    const blockers = [0, 1].map(() => server.deps.jobs.enqueue('test.sleep', { steps: 500, stepMs: 20 }, { ownerKeyId: null }));
    await Promise.all(blockers.map((b) => waitForRunning(server.deps, b.id)));
    const queued = [0, 1, 2, 3].map(() => server.deps.jobs.enqueue('test.sleep', { steps: 1, stepMs: 1 }, { ownerKeyId: null }));
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'Long enough text to become a queued synthesis job.', voice: 'flite:slt' } });
    assert.equal(response.statusCode, 429);
    assert.equal(errorOf(response).code, 'queue.full');
    assert.ok(Number(response.headers['retry-after']) > 0);
    for (const job of [...blockers, ...queued]) if (['queued', 'running'].includes(server.deps.jobs.mustGet(job.id).state)) server.deps.jobs.cancel(job.id);
  });

  test('a short synchronous synthesis is answered while long jobs hold every job worker', async () => {
    const blockers = [0, 1].map(() => server.deps.jobs.enqueue('test.sleep', { steps: 500, stepMs: 20 }, { ownerKeyId: null }));
    await Promise.all(blockers.map((b) => waitForRunning(server.deps, b.id)));
    const queued = server.deps.jobs.enqueue('test.sleep', { steps: 1, stepMs: 1 }, { ownerKeyId: null });
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'Hello.', voice: 'flite:slt' } });
    assert.equal(response.statusCode, 200);
    // It did not wait for a job worker: both blockers still run, and queued jobs stay queued.
    assert.deepEqual(blockers.map((b) => server.deps.jobs.mustGet(b.id).state), ['running', 'running']);
    assert.equal(server.deps.jobs.mustGet(queued.id).state, 'queued');
    for (const job of [...blockers, queued]) server.deps.jobs.cancel(job.id);
  });

  test('models and tts voices', async () => {
    const models = (await server.app.inject('/api/v1/models')).json();
    assert.equal(models.pipelines.synthesize, true);
    assert.ok(models.devices.some((d: { executionProvider: string; available: boolean }) => d.executionProvider === 'cpu' && d.available));
    const voices = (await server.app.inject('/api/v1/tts/voices?engine=flite')).json();
    assert.ok(voices.items.length >= 2);
    assert.ok(voices.items.every((v: { engine: string; sampleRate: number }) => v.engine === 'flite' && v.sampleRate > 0));
  });

  test('metrics: Prometheus text with autovoice_ names, incl. GPU gauges', async () => {
    const text = (await server.app.inject('/metrics')).body;
    for (const name of [
      'autovoice_http_requests_total',
      'autovoice_http_request_duration_seconds_bucket',
      'autovoice_jobs_total',
      'autovoice_queue_depth',
      'autovoice_active_conversions',
      'autovoice_stage_duration_seconds_bucket',
      'autovoice_audio_seconds_processed_total',
      'autovoice_real_time_factor_bucket',
      'autovoice_websocket_connections',
      'autovoice_gpu_memory_used_bytes{gpu="0",name="Test GPU"} 262144000',
      'autovoice_gpu_utilization_ratio{gpu="0",name="Test GPU"} 0.4',
      'autovoice_process_resident_memory_bytes',
      'autovoice_nodejs_eventloop_lag_seconds',
    ]) {
      assert.ok(text.includes(name), `metrics lack ${name}`);
    }
    assert.match(text, /autovoice_http_requests_total\{method="GET",route="\/api\/v1\/jobs\/:id",status="200"\} \d+/);
  });

  test('every metric the alert rules and the Grafana dashboard query is exported', async () => {
    const text = (await server.app.inject('/metrics')).body;
    const exported = new Set([...text.matchAll(/^# TYPE (autovoice_\w+)/gm)].map((m) => m[1]));
    const referenced = new Set<string>();
    for (const file of ['deploy/prometheus/alerts.yml', 'deploy/grafana/dashboards/autovoice.json']) {
      const body = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      for (const m of body.matchAll(/autovoice_\w+/g)) referenced.add(m[0].replace(/_(bucket|count|sum)$/, ''));
    }
    assert.ok(referenced.size >= 8, `only ${referenced.size} metrics referenced`);
    const missing = [...referenced].filter((name) => !exported.has(name));
    assert.deepEqual(missing, [], `alerts/dashboard query metrics the server does not export: ${missing.join(', ')}`);
  });

  test('OpenAPI 3.1 document and docs page', async () => {
    const spec = (await server.app.inject('/api/v1/openapi.json')).json();
    assert.equal(spec.openapi, '3.1.0');
    assert.ok(spec.paths['/api/v1/convert'].post.requestBody.content['multipart/form-data']);
    assert.ok(spec.paths['/api/v1/jobs/{id}'].get);
    assert.equal((await server.app.inject('/docs/')).statusCode, 200);
  });
});
