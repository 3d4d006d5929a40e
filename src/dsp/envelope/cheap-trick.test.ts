import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  VOWEL_A,
  gaussianNoise,
  syntheticVowel,
  vowelPowerResponse,
} from '../../../tests/fixtures/vocoder-signals.js';
import { EnvelopeAnalyzer, envelopeFftSize } from './cheap-trick.js';

const FS = 16000;

function envelopeAt(
  signal: Float32Array,
  f0Hz: number,
  center: number,
): { env: Float32Array; analyzer: EnvelopeAnalyzer } {
  const analyzer = new EnvelopeAnalyzer(FS);
  const env = new Float32Array(analyzer.binCount);
  analyzer.analyzeFrame(signal, center, f0Hz, env);
  return { env, analyzer };
}

/** Mean |difference| in dB over 150..5000 Hz. */
function meanAbsDb(a: (f: number) => number, b: (f: number) => number): number {
  let sum = 0;
  let n = 0;
  for (let f = 150; f <= 5000; f += 25) {
    sum += Math.abs(10 * Math.log10(a(f) / b(f)));
    n++;
  }
  return sum / n;
}

describe('CheapTrick-like spectral envelope', () => {
  test('FFT size holds three periods of the F0 floor', () => {
    assert.equal(envelopeFftSize(16000, 71), 1024);
    assert.equal(envelopeFftSize(44100, 71), 2048);
    assert.equal(envelopeFftSize(8000, 71), 512);
  });

  test('a pulse train through a known vowel filter gives the filter response', () => {
    const { signal } = syntheticVowel(120, 0.5, FS, VOWEL_A);
    const { env, analyzer } = envelopeAt(signal, 120, 4000);
    const at = (f: number): number => env[Math.round((f * analyzer.fftSize) / FS)] as number;
    // syntheticVowel scales the signal by 0.1 → power 0.01·|H|².
    const error = meanAbsDb(at, (f) => 0.01 * vowelPowerResponse(VOWEL_A, FS, f));
    assert.ok(error < 1.5, `mean |error| ${error.toFixed(2)} dB`);
  });

  test('the envelope hardly depends on F0', () => {
    const low = syntheticVowel(110, 0.5, FS, VOWEL_A).signal;
    const high = syntheticVowel(190, 0.5, FS, VOWEL_A).signal;
    const a = envelopeAt(low, 110, 4000);
    const b = envelopeAt(high, 190, 4000);
    const bin = (f: number): number => Math.round((f * a.analyzer.fftSize) / FS);
    const diff = meanAbsDb(
      (f) => a.env[bin(f)] as number,
      (f) => b.env[bin(f)] as number,
    );
    assert.ok(diff < 2, `mean |difference| between F0 110 and 190 Hz: ${diff.toFixed(2)} dB`);
  });

  test('white noise of variance σ² gives σ² per bin on average', () => {
    const sigma = 0.1;
    const noise = gaussianNoise(FS, sigma, 7);
    const analyzer = new EnvelopeAnalyzer(FS);
    const env = new Float32Array(analyzer.binCount);
    let logSum = 0;
    let n = 0;
    for (let c = 2000; c < 14000; c += 400) {
      analyzer.analyzeFrame(noise, c, 0, env);
      for (let k = 10; k < analyzer.binCount - 10; k++) {
        logSum += Math.log(env[k] as number);
        n++;
      }
    }
    // Log-averaging a chi-square estimate is biased low by ~0.5 dB at these degrees of freedom.
    const levelDb = (10 * logSum) / n / Math.LN10 - 10 * Math.log10(sigma * sigma);
    assert.ok(Math.abs(levelDb) < 1.5, `level error ${levelDb.toFixed(2)} dB`);
  });

  test('silence and the signal edges give finite, tiny envelopes', () => {
    const silence = new Float32Array(4000);
    const { env } = envelopeAt(silence, 0, 0);
    for (const v of env) assert.ok(Number.isFinite(v) && v >= 0 && v < 1e-10);
  });
});
