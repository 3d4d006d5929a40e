import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { encodeAudio } from '../../src/audio/index.js';
import { makeLongSpeechFixture, makeSpeechFixture } from '../fixtures/speech.js';
import { makeSongMixture } from '../fixtures/song-mixture.js';
import { createTestServer, waitForJob, type TestServer } from './helpers/test-server.js';
import { multipartBody } from './helpers/multipart.js';

// End to end through HTTP with the real pipelines: profile from recordings, speech conversion,
// cloned-voice TTS, song conversion with stems, batch zip.
describe('pipelines through the API', { timeout: 240_000 }, () => {
  let server: TestServer;
  let voiceId: string;

  before(async () => {
    server = await createTestServer();
    const recording = await encodeAudio(await makeLongSpeechFixture('flite:slt'), 'wav');
    const form = multipartBody([{ name: 'name', value: 'Test Voice' }, { name: 'files', file: recording, filename: 'slt.wav' }]);
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/voices', headers: { 'content-type': form.contentType }, payload: form.body });
    assert.equal(created.statusCode, 201, created.body);
    voiceId = created.json().voice.id;
    assert.ok(created.json().report.voicedSeconds > 3);
  });
  after(async () => server.close());

  test('voices: listed, duplicate name is 409, rename, export', async () => {
    assert.equal((await server.app.inject('/api/v1/voices')).json().items.length, 1);
    const again = multipartBody([{ name: 'name', value: 'test voice' }, { name: 'files', file: await encodeAudio(await makeSpeechFixture('Hello.', 'flite:slt'), 'wav'), filename: 'a.wav' }]);
    const dup = await server.app.inject({ method: 'POST', url: '/api/v1/voices', headers: { 'content-type': again.contentType }, payload: again.body });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.code, 'voice.name_taken');
    const renamed = await server.app.inject({ method: 'PATCH', url: `/api/v1/voices/${voiceId}`, payload: { name: 'Renamed Voice' } });
    assert.equal(renamed.json().voice.name, 'Renamed Voice');
    const exported = await server.app.inject(`/api/v1/voices/Renamed Voice/export`.replace(' ', '%20'));
    assert.equal(exported.statusCode, 200);
    assert.ok(exported.rawPayload.length > 1000);
  });

  test('convert: job → result WAV with metrics', async () => {
    const source = await encodeAudio(await makeSpeechFixture('The quick brown fox jumps over the lazy dog.', 'flite:rms'), 'wav');
    const form = multipartBody([{ name: 'file', file: source, filename: 'rms.wav' }, { name: 'voice', value: voiceId }, { name: 'format', value: 'mp3' }]);
    const accepted = await server.app.inject({ method: 'POST', url: '/api/v1/convert', headers: { 'content-type': form.contentType }, payload: form.body });
    assert.equal(accepted.statusCode, 202, accepted.body);
    const done = await waitForJob(server.deps, accepted.json().job.id, 120_000);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    const view = (await server.app.inject(`/api/v1/jobs/${done.id}`)).json();
    assert.ok(view.metrics !== null);
    assert.ok(view.realTimeFactor > 0);
    const result = await server.app.inject(view.results[0].url);
    assert.equal(result.headers['content-type'], 'audio/mpeg');
  });

  test('transform: voice edit job → result with the realised pitch change; out-of-range edits are 400', async () => {
    const source = await encodeAudio(await makeSpeechFixture('Edit my voice, please.', 'flite:slt'), 'wav');
    const form = multipartBody([
      { name: 'file', file: source, filename: 'slt.wav' },
      { name: 'semitones', value: '-3' },
      { name: 'formantFactor', value: '0.95' },
      { name: 'stretch', value: '1.2' },
      { name: 'format', value: 'flac' },
    ]);
    const accepted = await server.app.inject({ method: 'POST', url: '/api/v1/transform', headers: { 'content-type': form.contentType }, payload: form.body });
    assert.equal(accepted.statusCode, 202, accepted.body);
    const done = await waitForJob(server.deps, accepted.json().job.id, 120_000);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    const view = (await server.app.inject(`/api/v1/jobs/${done.id}`)).json();
    assert.equal(view.type, 'transform');
    assert.deepEqual(view.metrics.edit, { semitones: -3, formantFactor: 0.95, tiltDbPerOctave: 0, breathiness: 1, stretch: 1.2 });
    assert.ok(Math.abs(view.metrics.realisedSemitones + 3) < 0.3, `realised ${view.metrics.realisedSemitones}`);
    const result = await server.app.inject(view.results[0].url);
    assert.equal(result.rawPayload.subarray(0, 4).toString(), 'fLaC');

    const refineForm = multipartBody([{ name: 'file', file: source, filename: 'slt.wav' }, { name: 'formantFactor', value: '1.1' }, { name: 'refine', value: 'true' }]);
    const refining = await server.app.inject({ method: 'POST', url: '/api/v1/transform', headers: { 'content-type': refineForm.contentType }, payload: refineForm.body });
    assert.equal(refining.statusCode, 202, refining.body);
    const refined = await waitForJob(server.deps, refining.json().job.id, 120_000);
    assert.equal(refined.state, 'succeeded', JSON.stringify(refined.error));
    assert.equal((await server.app.inject(`/api/v1/jobs/${refined.id}`)).json().metrics.refined, true);

    const bad = multipartBody([{ name: 'file', file: source, filename: 'slt.wav' }, { name: 'semitones', value: '40' }]);
    const rejected = await server.app.inject({ method: 'POST', url: '/api/v1/transform', headers: { 'content-type': bad.contentType }, payload: bad.body });
    assert.equal(rejected.statusCode, 400, rejected.body);
    assert.equal(rejected.json().error.code, 'request.invalid');
  });

  test('synthesize in the cloned voice', async () => {
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/synthesize', payload: { text: 'Speaking in a cloned voice now.', voice: voiceId } });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.rawPayload.subarray(0, 4).toString(), 'RIFF');
  });

  test('song: job with stems per variant; batch of two → zip', async () => {
    const song = makeSongMixture({ durationSeconds: 3 });
    const form = multipartBody([{ name: 'file', file: await encodeAudio(song.mixture, 'wav'), filename: 'song.wav' }, { name: 'voice', value: voiceId }]);
    const accepted = await server.app.inject({ method: 'POST', url: '/api/v1/convert/song', headers: { 'content-type': form.contentType }, payload: form.body });
    assert.equal(accepted.statusCode, 202, accepted.body);
    const done = await waitForJob(server.deps, accepted.json().job.id, 180_000);
    assert.equal(done.state, 'succeeded', JSON.stringify(done.error));
    const view = (await server.app.inject(`/api/v1/jobs/${done.id}`)).json();
    assert.deepEqual(view.results.map((r: { variant: string }) => r.variant), ['mix', 'vocals', 'original_vocals', 'accompaniment']);
    const stem = await server.app.inject(`/api/v1/jobs/${done.id}/result?variant=accompaniment&format=flac`);
    assert.equal(stem.rawPayload.subarray(0, 4).toString(), 'fLaC');

    const clip = await encodeAudio(await makeSpeechFixture('One more clip.', 'flite:awb'), 'wav');
    const batchForm = multipartBody([{ name: 'files', file: clip, filename: 'a.wav' }, { name: 'files', file: clip, filename: 'b.wav' }, { name: 'voice', value: voiceId }]);
    const batch = await server.app.inject({ method: 'POST', url: '/api/v1/batch', headers: { 'content-type': batchForm.contentType }, payload: batchForm.body });
    assert.equal(batch.statusCode, 202, batch.body);
    const items = batch.json().items as { id: string }[];
    assert.equal(items.length, 2);
    for (const item of items) assert.equal((await waitForJob(server.deps, item.id, 120_000)).state, 'succeeded');
    const status = (await server.app.inject(`/api/v1/batch/${batch.json().id}`)).json();
    assert.equal(status.state, 'succeeded');
    assert.equal(status.progress, 1);
    const zip = await server.app.inject(status.resultUrl);
    assert.equal(zip.headers['content-type'], 'application/zip');
    assert.equal(zip.rawPayload.readUInt32LE(0), 0x04034b50);
    // A result removed under the batch (a job deleted, the expiry sweep) is left out of the zip;
    // it used to take the whole server down with an unhandled 'error' from the zip writer.
    const resultPath = (id: string): string => server.deps.blobs.pathOf(server.deps.jobs.mustGet(id).result?.outputs.main?.blobId ?? '');
    rmSync(resultPath(items[1]!.id));
    const partial = await server.app.inject(status.resultUrl);
    assert.equal(partial.statusCode, 200);
    assert.ok(partial.rawPayload.includes(items[0]!.id) && !partial.rawPayload.includes(items[1]!.id));
    rmSync(resultPath(items[0]!.id));
    const gone = await server.app.inject(status.resultUrl);
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.code, 'job.result_expired');
  });
});
