import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { polyphaseKernel } from './resample-kernel.js';
import { resample, resampledLength } from './resample.js';

function sine(frequencyHz: number, sampleRate: number, length: number, amplitude = 1): Float32Array {
  return Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate));
}

function rms(signal: Float32Array, from = 0, to = signal.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += signal[i]! ** 2;
  return Math.sqrt(sum / (to - from));
}

/** Level of a tone relative to full scale (dB), skipping the filter's edge transients. */
function steadyLevelDb(signal: Float32Array, edge: number): number {
  return 20 * Math.log10(rms(signal, edge, signal.length - edge) * Math.SQRT2 + 1e-30);
}

describe('resample', () => {
  test('a tone above the new Nyquist is attenuated by at least 100 dB (44.1 kHz -> 16 kHz)', () => {
    for (const toneHz of [8000, 9000, 12000, 20000]) {
      const out = resample(sine(toneHz, 44100, 44100), 44100, 16000);
      const level = steadyLevelDb(out, 1000);
      assert.ok(level <= -100, `${toneHz} Hz leaks at ${level.toFixed(1)} dB`);
    }
  });

  test('passband tones keep their level within 0.01 dB and their phase (no delay)', () => {
    for (const [from, to] of [
      [44100, 16000],
      [16000, 48000],
      [48000, 44100],
      [22050, 16001],
    ] as const) {
      const toneHz = 0.3 * Math.min(from, to);
      const out = resample(sine(toneHz, from, from), from, to);
      const expected = sine(toneHz, to, out.length);
      const level = steadyLevelDb(out, 500);
      assert.ok(Math.abs(level) < 0.01, `${from}->${to}: ${level} dB`);
      let maxError = 0;
      for (let i = 500; i < out.length - 500; i++) maxError = Math.max(maxError, Math.abs(out[i]! - expected[i]!));
      assert.ok(maxError < 2e-3, `${from}->${to}: waveform error ${maxError}`);
    }
  });

  test('output length follows the rate ratio and equal rates copy', () => {
    assert.equal(resample(new Float32Array(44100), 44100, 16000).length, 16000);
    assert.equal(resampledLength(441, 44100, 16000), 160);
    assert.equal(resampledLength(442, 44100, 16000), 161);
    const x = Float32Array.from([1, 2, 3]);
    const same = resample(x, 8000, 8000);
    assert.deepEqual(same, x);
    assert.notEqual(same, x);
  });

  test('the WebAssembly SIMD kernel is available and agrees with the JavaScript loop, across block boundaries', () => {
    assert.ok(polyphaseKernel(), 'WebAssembly SIMD kernel failed to build');
    const x = Float32Array.from({ length: 200_000 }, (_, i) => Math.sin(i * 0.013) * Math.cos(i * 0.0007));
    for (const [from, to] of [
      [44100, 16000],
      [16000, 44100],
      [48000, 22050],
    ] as const) {
      const simd = resample(x, from, to);
      const js = resample(x, from, to, { simd: false });
      assert.equal(simd.length, js.length);
      let maxError = 0;
      for (let i = 0; i < js.length; i++) maxError = Math.max(maxError, Math.abs(simd[i]! - js[i]!));
      assert.ok(maxError < 1e-6, `${from}->${to}: ${maxError}`);
    }
  });

  test('rejects impossible rates with usage.invalid_argument', () => {
    assert.throws(() => resample(new Float32Array(4), 0, 16000), { code: 'usage.invalid_argument' });
    assert.throws(() => resample(new Float32Array(4), 16000, Number.NaN), { code: 'usage.invalid_argument' });
  });
});
