import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from './database.js';
import { ApiKeyRepository } from './api-key.repository.js';

test('keys: created once, verified, stored hashed, revoked', () => {
  const db = openDatabase(':memory:');
  const repo = new ApiKeyRepository(db);
  const { record, key } = repo.create('alice', 'user', 1000);
  assert.match(key, /^av_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(repo.verify(key), record);
  const secret = key.split('_').slice(2).join('_');
  const row = db.prepare('SELECT secret_hash FROM api_keys').get() as { secret_hash: string };
  assert.notEqual(row.secret_hash, secret);
  assert.equal(row.secret_hash.length, 64);
  // One changed character of the secret, a wrong id, or garbage: rejected.
  const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
  assert.equal(repo.verify(tampered), undefined);
  assert.equal(repo.verify(`av_0000000000000000_${secret}`), undefined);
  assert.equal(repo.verify('nonsense'), undefined);
  assert.equal(repo.revoke(record.id, 2000), true);
  assert.equal(repo.verify(key), undefined);
  assert.equal(repo.list()[0]?.revokedAt, 2000);
  assert.equal(repo.revoke('nope', 1), false);
  db.close();
});
