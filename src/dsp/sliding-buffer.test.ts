import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SlidingBuffer } from './sliding-buffer.js';

describe('SlidingBuffer', () => {
  test('keeps absolute indices through growth, discards and truncation', () => {
    const b = new SlidingBuffer((n) => new Float64Array(n), 16);
    for (let i = 0; i < 1000; i++) {
      b.push(i);
      // A reader that only needs the last 40 values releases the rest as it goes.
      b.discardBefore(i - 40);
      assert.equal(b.at(i), i);
      assert.equal(b.at(Math.max(0, i - 40)), Math.max(0, i - 40));
    }
    assert.equal(b.end, 1000);
    assert.ok(b.start > 0 && b.start <= 960, `start ${b.start}`);
    // Storage stays bounded: compaction happens once half of it is released.
    assert.ok(b.data.length <= 128, `capacity ${b.data.length}`);
    b.append([7, 8, 9]);
    assert.equal(b.at(1002), 9);
    b.truncate(1001);
    assert.equal(b.end, 1001);
    b.push(5);
    assert.equal(b.at(1001), 5);
  });
});
