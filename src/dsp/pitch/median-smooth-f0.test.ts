import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { medianSmoothF0 } from './median-smooth-f0.js';

describe('medianSmoothF0', () => {
  test('removes a one-frame excursion and keeps a step', () => {
    const f0 = Float32Array.from([100, 100, 112, 100, 100, 100, 200, 200, 200, 200]);
    assert.deepEqual(Array.from(medianSmoothF0(f0, 2)), [100, 100, 100, 100, 100, 100, 200, 200, 200, 200]);
  });

  test('leaves a monotone glide as it is, except that its first and last two frames hold', () => {
    const f0 = Float32Array.from({ length: 20 }, (_, i) => 100 * 2 ** (i / 19));
    const expected = Array.from(f0, (v, i) => (i < 2 ? f0[2] : i > 17 ? f0[17] : v));
    assert.deepEqual(Array.from(medianSmoothF0(f0, 2)), expected);
  });

  test('never reaches across an unvoiced frame, and keeps unvoiced frames at 0', () => {
    const f0 = Float32Array.from([100, 0, 300, 330, 310, 0, 0, 150, 0, 120, 180]);
    // Frame 0 and 7 are runs of one and 9..10 a run of two: nothing to take a median of. The run
    // 2..4 is three frames: each of them gets the median of those three, nothing from outside.
    assert.deepEqual(Array.from(medianSmoothF0(f0, 2)), [100, 0, 310, 310, 310, 0, 0, 150, 0, 120, 180]);
  });

  test('returns a copy with radius 0 and leaves its input alone', () => {
    const f0 = Float32Array.from([100, 130, 100]);
    const out = medianSmoothF0(f0, 0);
    assert.notEqual(out, f0);
    assert.deepEqual(Array.from(out), [100, 130, 100]);
    medianSmoothF0(f0, 1);
    assert.deepEqual(Array.from(f0), [100, 130, 100]);
  });
});
