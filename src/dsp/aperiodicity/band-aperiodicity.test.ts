import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VOWEL_A, gaussianNoise, syntheticVowel } from '../../../tests/fixtures/vocoder-signals.js';
import { AperiodicityAnalyzer } from './band-aperiodicity.js';

function meanAperiodicity(
  signal: Float32Array,
  sampleRate: number,
  f0Hz: number,
  maxHz = sampleRate * 0.4,
): number {
  const analyzer = new AperiodicityAnalyzer(sampleRate, 1024, { voicedCalibration: 1 });
  const out = new Float32Array(analyzer.binCount);
  let sum = 0;
  let n = 0;
  for (
    let c = Math.round(0.1 * sampleRate);
    c < signal.length - 0.1 * sampleRate;
    c += Math.round(0.02 * sampleRate)
  ) {
    analyzer.analyzeFrame(signal, c, f0Hz, out);
    for (let k = 1; k < out.length; k++) {
      if ((k * sampleRate) / 1024 > maxHz) break;
      sum += out[k] as number;
      n++;
    }
  }
  return sum / n;
}

describe('band aperiodicity', () => {
  test('is near 0 for a periodic pulse train, at any F0 (also between FFT bins)', () => {
    for (const f0 of [97.3, 150, 233.7, 440]) {
      const { signal } = syntheticVowel(f0, 0.5, 16000, VOWEL_A);
      const ap = meanAperiodicity(signal, 16000, f0);
      assert.ok(ap < 0.05, `F0 ${f0} Hz: mean aperiodicity ${ap.toFixed(3)}`);
    }
  });

  test('is near 1 for white noise analysed as if voiced', () => {
    const noise = gaussianNoise(16000, 0.1, 3);
    for (const f0 of [120, 300]) {
      const ap = meanAperiodicity(noise, 16000, f0);
      assert.ok(ap > 0.85, `F0 ${f0} Hz: mean aperiodicity ${ap.toFixed(3)}`);
    }
  });

  test('rises with added noise (monotone in the noise level)', () => {
    const { signal } = syntheticVowel(200, 0.5, 16000, VOWEL_A);
    const values = [0.001, 0.01, 0.05].map((sigma) => {
      const noise = gaussianNoise(signal.length, sigma, 11);
      return meanAperiodicity(
        signal.map((v, i) => v + (noise[i] as number)),
        16000,
        200,
      );
    });
    assert.ok(
      (values[0] as number) < (values[1] as number) && (values[1] as number) < (values[2] as number),
      values.join(', '),
    );
  });

  test('is 1 in unvoiced frames', () => {
    const analyzer = new AperiodicityAnalyzer(16000, 1024);
    const out = new Float32Array(analyzer.binCount);
    analyzer.analyzeFrame(new Float32Array(100), 50, 0, out);
    assert.ok(out.every((v) => v === 1));
  });
});

test('the default calibration scales voiced aperiodicity by 0.7', () => {
  const noise = gaussianNoise(16000, 0.1, 3);
  const raw = new AperiodicityAnalyzer(16000, 1024, { voicedCalibration: 1 });
  const calibrated = new AperiodicityAnalyzer(16000, 1024);
  const a = new Float32Array(raw.binCount);
  const b = new Float32Array(raw.binCount);
  raw.analyzeFrame(noise, 8000, 150, a);
  calibrated.analyzeFrame(noise, 8000, 150, b);
  for (let k = 0; k < a.length; k += 50)
    assert.ok(Math.abs((b[k] as number) - 0.7 * (a[k] as number)) < 1e-6);
});
