import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isAutoVoiceError } from '../errors/index.js';
import { makeSyntheticProfile } from '../../tests/fixtures/voice-profile-fixture.js';
import { encodeVoiceProfile } from '../voice/profile-format.js';
import type { VoiceProfile } from '../voice/voice-profile.js';
import { VoiceProfileRepository } from './voice-profile.repository.js';

const dirs: string[] = [];
async function freshRepo(): Promise<VoiceProfileRepository> {
  const dir = await mkdtemp(join(tmpdir(), 'av-voices-'));
  dirs.push(dir);
  return new VoiceProfileRepository(dir);
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('VoiceProfileRepository', () => {
  test('create, get by id or name (case-insensitive), list, delete', async () => {
    const repo = await freshRepo();
    const a = await repo.create(makeSyntheticProfile('Alice', 1));
    const b = await repo.create(makeSyntheticProfile('bob', 2));
    assert.match(a.id, /^vp-[0-9a-f]{16}$/);
    assert.equal((await repo.get(a.id)).name, 'Alice');
    assert.equal((await repo.get('alice')).id, a.id);
    assert.deepEqual(
      (await repo.list()).map((s) => s.name),
      ['Alice', 'bob'],
    );
    assert.equal(await repo.delete('BOB'), b.id);
    await assert.rejects(repo.get(b.id), (e) => isAutoVoiceError(e, 'voice.not_found'));
    await assert.rejects(repo.delete('bob'), (e) => isAutoVoiceError(e, 'voice.not_found'));
  });

  test('names are unique: voice.name_taken on create, rename and import', async () => {
    const repo = await freshRepo();
    await repo.create(makeSyntheticProfile('Carol', 1));
    const d = await repo.create(makeSyntheticProfile('dave', 2));
    await assert.rejects(repo.create(makeSyntheticProfile(' carol ', 3)), (e) =>
      isAutoVoiceError(e, 'voice.name_taken'),
    );
    await assert.rejects(repo.rename(d.id, 'CAROL'), (e) => isAutoVoiceError(e, 'voice.name_taken'));
    const renamed = await repo.rename(d.id, 'David');
    assert.equal(renamed.id, d.id);
    assert.equal((await repo.get('david')).id, d.id);
    await assert.rejects(repo.import(await repo.export('carol')), (e) =>
      isAutoVoiceError(e, 'voice.name_taken'),
    );
  });

  test('client-supplied paths never reach the file system', async () => {
    const repo = await freshRepo();
    for (const evil of ['../../etc/passwd', '..', 'vp-../../x', '/tmp/x', 'a/b']) {
      await assert.rejects(repo.get(evil), (e) => isAutoVoiceError(e, 'voice.not_found'));
    }
    const stored = await repo.create({ ...makeSyntheticProfile('Eve', 4), id: '../escape' });
    assert.match(stored.id, /^vp-/);
    assert.deepEqual(await readdir(repo.directory), [`${stored.id}.avp`]);
  });

  test('export → import round-trips the exact bytes of every array', async () => {
    const repo = await freshRepo();
    const original = await repo.create(makeSyntheticProfile('Frank', 5, 300));
    const bytes = await repo.export(original.id);
    const other = await freshRepo();
    const imported = await other.import(bytes);
    assert.equal(imported.id, original.id);
    assert.ok(Buffer.from(await other.export(imported.id)).equals(Buffer.from(bytes)));
    const again = await other.get('frank');
    const raw = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    assert.ok(raw(again.timbre.codebook).equals(raw(original.timbre.codebook)));
    assert.ok(raw(again.embedding).equals(raw(original.embedding)));
    // Importing a second copy under a new name gets a new id.
    const copy = await other.import(bytes, { name: 'Frank 2' });
    assert.notEqual(copy.id, original.id);
  });

  test('ownerKeyId limits visibility; shared profiles are visible to every key', async () => {
    const repo = await freshRepo();
    await repo.create(makeSyntheticProfile('shared', 1));
    await repo.create(makeSyntheticProfile('mine', 2), { ownerKeyId: 'key-a' });
    await repo.create(makeSyntheticProfile('theirs', 3), { ownerKeyId: 'key-b' });
    assert.deepEqual(
      (await repo.list({ ownerKeyId: 'key-a' })).map((s) => s.name),
      ['mine', 'shared'],
    );
    await assert.rejects(repo.get('theirs', { ownerKeyId: 'key-a' }), (e) =>
      isAutoVoiceError(e, 'voice.not_found'),
    );
    assert.equal((await repo.list()).length, 3);
  });

  test('a damaged file is skipped by list and reported by get', async () => {
    const repo = await freshRepo();
    const ok = await repo.create(makeSyntheticProfile('good', 1));
    await writeFile(join(repo.directory, 'vp-0000000000000000.avp'), 'garbage');
    assert.deepEqual(
      (await repo.list()).map((s) => s.id),
      [ok.id],
    );
    await assert.rejects(repo.import(new TextEncoder().encode('garbage')), (e) =>
      isAutoVoiceError(e, 'voice.invalid_profile'),
    );
  });

  test('a profile whose metadata lacks a field is refused on import and skipped when found on disk', async () => {
    const repo = await freshRepo();
    const ok = await repo.create(makeSyntheticProfile('good', 1));
    const edited = { ...makeSyntheticProfile('no report', 2), report: undefined } as unknown as VoiceProfile;
    const bytes = encodeVoiceProfile(edited);
    await assert.rejects(repo.import(bytes), (e) => isAutoVoiceError(e, 'voice.invalid_profile'));
    assert.deepEqual(await readdir(repo.directory), [`${ok.id}.avp`]);
    // One already on disk (written by an older version, or by hand) must not break the others.
    await writeFile(join(repo.directory, 'vp-00000000000000aa.avp'), bytes);
    assert.deepEqual(
      (await repo.list()).map((s) => s.name),
      ['good'],
    );
    assert.equal((await repo.get('good')).id, ok.id);
    await assert.rejects(repo.get('vp-00000000000000aa'), (e) => isAutoVoiceError(e, 'voice.not_found'));
    assert.equal((await repo.create(makeSyntheticProfile('another', 3))).name, 'another');
  });
});
