import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getRealFft } from './fft.js';

test('RealFft.inverse(forward(x)) = x for sizes 4..4096 (half-size complex inverse)', () => {
  for (const size of [4, 8, 64, 1024, 4096]) {
    const fft = getRealFft(size);
    const x = new Float64Array(size).map((_, i) => Math.sin(i * 0.37) + ((i * 7919) % 13) / 13 - 0.5);
    const re = new Float64Array(fft.binCount);
    const im = new Float64Array(fft.binCount);
    const y = new Float64Array(size);
    fft.forward(x, re, im);
    fft.inverse(re, im, y);
    for (let i = 0; i < size; i++)
      assert.ok(Math.abs((y[i] as number) - (x[i] as number)) < 1e-12, `size ${size} sample ${i}`);
  }
});

test('RealFft.inverse of a flat unit spectrum is a unit impulse; of a Nyquist bin, an alternating sequence', () => {
  const fft = getRealFft(16);
  const out = new Float64Array(16);
  fft.inverse(new Float64Array(9).fill(1), new Float64Array(9), out);
  assert.ok(Math.abs((out[0] as number) - 1) < 1e-12);
  for (let i = 1; i < 16; i++) assert.ok(Math.abs(out[i] as number) < 1e-12);
  const nyquist = new Float64Array(9);
  nyquist[8] = 16;
  fft.inverse(nyquist, new Float64Array(9), out);
  for (let i = 0; i < 16; i++) assert.ok(Math.abs((out[i] as number) - (i % 2 === 0 ? 1 : -1)) < 1e-12);
});
