import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAutoVoiceError } from '../errors/index.js';
import { openDatabase } from './database.js';
import { JobRepository } from './job.repository.js';

test('list: pages newest first; a limit or offset SQLite cannot bind is usage.invalid_argument, not a database error', () => {
  const repo = new JobRepository(openDatabase(':memory:'));
  for (const [i, id] of ['a', 'b', 'c'].entries()) repo.insert({ id, type: 'test.sleep', payload: {}, ownerKeyId: null, maxAttempts: 1, createdAt: 1000 + i });
  const page = repo.list({ limit: 2, offset: 1 });
  assert.equal(page.total, 3);
  assert.deepEqual(page.items.map((job) => job.id), ['b', 'a']);
  assert.deepEqual(repo.list({ limit: 10, offset: Number.MAX_SAFE_INTEGER }).items, []);
  for (const [limit, offset] of [[10, 1e300], [10, 2 ** 63], [10, Infinity], [10, -1], [10, 0.5], [NaN, 0], [1e300, 0]]) {
    assert.throws(() => repo.list({ limit: limit ?? 0, offset: offset ?? 0 }), (error: unknown) => isAutoVoiceError(error, 'usage.invalid_argument'), `limit ${limit}, offset ${offset}`);
  }
});
