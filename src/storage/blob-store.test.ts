import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BlobStore, isBlobId } from './blob-store.js';
import { isAutoVoiceError } from '../errors/index.js';

test('blob store: generated ids only, never a client path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'av-blobs-'));
  try {
    const blobs = new BlobStore(dir);
    const id = await blobs.putBytes('upload', new Uint8Array([1, 2, 3]));
    assert.ok(isBlobId(id));
    assert.deepEqual(await blobs.readBytes(id), new Uint8Array([1, 2, 3]));
    assert.deepEqual(await blobs.readHead(id, 2), new Uint8Array([1, 2]));
    const streamed = await blobs.putStream('result', Readable.from([Buffer.from('abc'), Buffer.from('def')]));
    assert.equal(streamed.bytes, 6);
    for (const bad of ['../../etc/passwd', 'upload-../x', '/etc/passwd', 'result-123']) {
      assert.throws(() => blobs.pathOf(bad), (e) => isAutoVoiceError(e, 'usage.invalid_argument'));
    }
    await blobs.delete(id);
    await assert.rejects(blobs.readBytes(id), (e) => isAutoVoiceError(e, 'job.result_expired'));
    // Sweep: old and unreferenced go; referenced or new stay.
    const keep = await blobs.putBytes('upload', new Uint8Array([1]));
    const old = await blobs.putBytes('upload', new Uint8Array([2]));
    for (const b of [keep, old]) utimesSync(blobs.pathOf(b), new Date(0), new Date(0));
    assert.equal(await blobs.sweep(Date.now() - 1000, new Set([keep, streamed.id])), 1);
    assert.equal(await blobs.sizeOf(old), undefined);
    assert.equal(await blobs.sizeOf(keep), 1);
    assert.equal(await blobs.isWritable(), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
