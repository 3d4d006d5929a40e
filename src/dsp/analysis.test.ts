import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VOWEL_I, syntheticVowel } from '../../tests/fixtures/vocoder-signals.js';
import { analyzeVoice, capAperiodicity, f0Slope, voiceFrameCount } from './analysis.js';

describe('analyzeVoice', () => {
  test('frame grid: floor(duration/period) + 1 frames, fftSize/2+1 bins, frame-major storage', () => {
    const { signal } = syntheticVowel(200, 0.3, 16000, VOWEL_I);
    const a = analyzeVoice(signal, 16000);
    assert.equal(a.f0Hz.length, voiceFrameCount(signal.length, 16000, 5));
    assert.equal(a.f0Hz.length, 61);
    assert.equal(a.spectralEnvelope[0]?.length, a.fftSize / 2 + 1);
    assert.equal(a.spectralEnvelope[0]?.buffer, a.spectralEnvelope[60]?.buffer);
    assert.equal(a.signalLength, signal.length);
  });

  test('f0Slope: central difference in Hz/s, one-sided at voicing edges', () => {
    const f0 = Float32Array.from([0, 100, 110, 120, 0]);
    assert.equal(f0Slope(f0, 2, 5), 2000);
    assert.equal(f0Slope(f0, 1, 5), 2000);
    assert.equal(f0Slope(f0, 3, 5), 2000);
    assert.equal(f0Slope(f0, 0, 5), 0);
  });

  test('capAperiodicity lowers (never raises) the aperiodic share to 1 - periodicity', () => {
    const envelope = new Float32Array(65).fill(1);
    const ap = new Float32Array(65).fill(0.8);
    capAperiodicity(envelope, ap, 0.9, 64);
    let share = 0;
    for (let k = 1; k <= 64; k++) share += (ap[k] as number) ** 2;
    assert.ok(Math.abs(share / 64 - 0.1) < 1e-6);
    const low = new Float32Array(65).fill(0.1);
    capAperiodicity(envelope, low, 0.5, 64);
    assert.ok(low.every((v) => Math.abs(v - 0.1) < 1e-7));
  });
});
