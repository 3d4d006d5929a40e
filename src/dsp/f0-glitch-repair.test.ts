import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repairF0Glitches } from './f0-glitch-repair.js';

test('a few frames jumping octaves up are held at the last good F0; a lasting new register is accepted', () => {
  const glitch = Float32Array.from([100, 101, 1150, 1140, 102, 103, 0, 400, 405]);
  assert.deepEqual(Array.from(repairF0Glitches(glitch)), [100, 101, 101, 101, 102, 103, 0, 400, 405]);
  const lasting = new Float32Array(30).fill(200);
  lasting.fill(100, 0, 5);
  const repaired = repairF0Glitches(lasting);
  assert.equal(repaired[5], 100);
  assert.equal(repaired[29], 200);
  const glide = Float32Array.from([200, 210, 220, 230, 240]);
  assert.deepEqual(Array.from(repairF0Glitches(glide.slice())), Array.from(glide));
});
