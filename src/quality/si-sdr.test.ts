import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scaleInvariantSdr, sdrImprovement } from './si-sdr.js';
import { isAutoVoiceError } from '../errors/index.js';

function sine(n: number, cycles: number, amp = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * cycles * i) / n));
}

describe('scaleInvariantSdr', () => {
  test('is invariant to the estimate gain and infinite for an exact copy', () => {
    const s = sine(1000, 7);
    assert.equal(scaleInvariantSdr(s, s), Number.POSITIVE_INFINITY);
    assert.equal(scaleInvariantSdr(s, sine(1000, 7, 0.25)), Number.POSITIVE_INFINITY);
  });
  test('orthogonal interference at a known power ratio gives that ratio', () => {
    const s = sine(1000, 7);
    const n = sine(1000, 13, 0.1); // orthogonal over whole cycles; power ratio 100 → 20 dB
    const est = Float32Array.from(s, (v, i) => v + (n[i] as number));
    assert.ok(Math.abs(scaleInvariantSdr(s, est) - 20) < 1e-3);
  });
  test('equal target and interference energy is 0 dB; NaN for a silent reference', () => {
    const s = sine(1000, 7);
    const est = Float32Array.from(s, (v, i) => v + Math.cos((2 * Math.PI * 13 * i) / 1000));
    assert.ok(Math.abs(scaleInvariantSdr(s, est)) < 1e-3);
    assert.ok(Number.isNaN(scaleInvariantSdr(new Float32Array(10), s.subarray(0, 10))));
  });
  test('rejects signals of different lengths', () => {
    assert.throws(() => scaleInvariantSdr(new Float32Array(4), new Float32Array(5)), (e) => isAutoVoiceError(e, 'quality.invalid_input'));
  });
});

describe('sdrImprovement', () => {
  test('mixture at 0 dB, estimate at 20 dB → 20 dB improvement', () => {
    const s = sine(2000, 11);
    const other = sine(2000, 29);
    const mix = Float32Array.from(s, (v, i) => v + (other[i] as number));
    const est = Float32Array.from(s, (v, i) => v + 0.1 * (other[i] as number));
    assert.ok(Math.abs(sdrImprovement(s, est, mix) - 20) < 1e-3);
  });
});
