import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readAudioFile, writeAudioFile } from '../../audio/index.js';
import { FIXTURE_SENTENCES, makeSpeechFixture } from '../../../tests/fixtures/speech.js';
import { runCliCaptured, type CliRun } from '../../../tests/fixtures/run-cli.js';

let dir: string;
let env: NodeJS.ProcessEnv;

/** Runs the CLI in-process against the temporary data directory, capturing output. */
function cli(argv: string[]): Promise<CliRun> {
  return runCliCaptured(argv, { env, cwd: dir });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autovoice-profile-cli-'));
  env = { AUTOVOICE_DATA_DIR: join(dir, 'data') };
  await writeAudioFile(
    join(dir, 'slt.wav'),
    await makeSpeechFixture(FIXTURE_SENTENCES.slice(0, 4).join(' '), 'flite:slt'),
  );
  await writeAudioFile(join(dir, 'short.wav'), await makeSpeechFixture(FIXTURE_SENTENCES[1], 'flite:slt'));
  await writeAudioFile(join(dir, 'rms.wav'), await makeSpeechFixture(FIXTURE_SENTENCES[5], 'flite:rms'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('autovoice profile / convert', () => {
  test('create, list, show, export, import, rename, delete', async () => {
    const created = await cli(['profile', 'create', '--name', 'Alice', 'slt.wav', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const profile = JSON.parse(created.stdout) as {
      id: string;
      name: string;
      report: { voicedSeconds: number; pitchRange: { lowNote: string } };
    };
    assert.equal(profile.name, 'Alice');
    assert.ok(profile.report.voicedSeconds > 5);
    assert.match(profile.report.pitchRange.lowNote, /^[A-G]/);

    const taken = await cli(['profile', 'create', '--name', 'alice', 'slt.wav']);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /voice\.name_taken/);
    const short = await cli(['profile', 'create', '--name', 'Bob', 'short.wav', '--json']);
    assert.equal(short.code, 3);
    assert.equal((JSON.parse(short.stderr) as { error: { code: string } }).error.code, 'voice.too_short');

    const list = JSON.parse((await cli(['profile', 'list', '--json'])).stdout) as { id: string }[];
    assert.deepEqual(
      list.map((p) => p.id),
      [profile.id],
    );
    const shown = await cli(['profile', 'show', 'alice']);
    assert.match(shown.stdout, new RegExp(profile.id));

    assert.equal((await cli(['profile', 'export', 'Alice', '--out', 'alice.avp'])).code, 0);
    const imported = await cli(['profile', 'import', 'alice.avp', '--name', 'Alice copy', '--json']);
    assert.equal(imported.code, 0, imported.stderr);
    const copyId = (JSON.parse(imported.stdout) as { id: string }).id;
    assert.notEqual(copyId, profile.id);
    assert.equal((await cli(['profile', 'export', copyId, '--out', 'copy.avp'])).code, 0);
    assert.ok((await stat(join(dir, 'copy.avp'))).size > 10000);
    assert.equal((await cli(['profile', 'rename', copyId, 'Carol'])).code, 0);
    assert.equal((await cli(['profile', 'delete', 'carol'])).code, 0);
    const gone = await cli(['profile', 'show', 'carol']);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /voice\.not_found/);

    // convert into the profile, with metrics in --json
    const conv = await cli(['convert', 'rms.wav', '--voice', 'Alice', '--out', 'out.wav', '--json']);
    assert.equal(conv.code, 0, conv.stderr);
    const doc = JSON.parse(conv.stdout) as {
      metrics: { similarity: { toTarget: number }; loudness: { integratedLufs: number } };
      plan: { mode: string };
    };
    assert.equal(doc.plan.mode, 'speech');
    assert.equal(typeof doc.metrics.similarity.toTarget, 'number');
    const out = await readAudioFile(join(dir, 'out.wav'));
    const src = await readAudioFile(join(dir, 'rms.wav'));
    assert.ok(Math.abs(out.info.durationSeconds - src.info.durationSeconds) < 0.01);
    assert.ok((await readFile(join(dir, 'out.wav'))).byteLength > 1000);

    assert.equal(
      (await cli(['convert', 'rms.wav', '--voice', 'Alice', '--out', 'x.wav', '--mode', 'opera'])).code,
      2,
    );
    assert.equal((await cli(['convert', 'rms.wav', '--voice', 'Nobody', '--out', 'x.wav'])).code, 1);
  });
});
