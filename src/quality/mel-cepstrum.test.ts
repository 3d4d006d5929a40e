import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alignByMelCepstra, computeMelCepstra, freqt, melCepstralDistortion, melWarpAlpha } from './mel-cepstrum.js';
import { computeMfcc, dctMatrix, hzToMel, melToHz } from './mfcc.js';
import { dtwAlign } from './dtw.js';
import { renderFormantVoice } from '../../tests/fixtures/formant-voice.js';
import { isAutoVoiceError } from '../errors/index.js';

const SR = 16000;
const male = { f0Hz: 110, formantScale: 1, sourceLowpass: 0.6 };
const female = { f0Hz: 220, formantScale: 1.22, sourceLowpass: 0.3 };

describe('mfcc', () => {
  test('mel scale round-trips and 1000 Hz ≈ 1000 mel', () => {
    assert.ok(Math.abs(hzToMel(1000) - 1000) < 0.5);
    assert.ok(Math.abs(melToHz(hzToMel(3210)) - 3210) < 1e-6);
  });
  test('DCT-II matrix is orthonormal', () => {
    const d = dctMatrix(8, 8);
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        let s = 0;
        for (let k = 0; k < 8; k++) s += (d[i] as Float64Array)[k]! * (d[j] as Float64Array)[k]!;
        assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-9);
      }
    }
  });
  test('frame count and dimension; a gain change moves only c0', () => {
    const { signal } = renderFormantVoice(male, 'ai', SR);
    const m1 = computeMfcc(signal, SR);
    const m2 = computeMfcc(Float32Array.from(signal, (v) => v * 0.1), SR);
    assert.equal(m1.length, Math.floor(signal.length / 160) + 1);
    assert.equal(m1[0]!.length, 20);
    const t = Math.floor(m1.length / 2);
    assert.ok(Math.abs(m1[t]![0]! - m2[t]![0]! - Math.log(100) * Math.sqrt(40)) < 0.05);
    for (let k = 1; k < 20; k++) assert.ok(Math.abs(m1[t]![k]! - m2[t]![k]!) < 1e-3);
  });
});

describe('freqt', () => {
  test('alpha 0 is the identity (truncated)', () => {
    const out = freqt([1, 0.5, 0.25, 0.125], 2, 0);
    assert.deepEqual(Array.from(out), [1, 0.5, 0.25]);
  });
  test('alpha by sample rate', () => {
    assert.equal(melWarpAlpha(16000), 0.42);
    assert.equal(melWarpAlpha(44100), 0.544);
  });
});

describe('dtwAlign', () => {
  test('aligns a sequence with a time-stretched copy of itself at zero cost', () => {
    const a = Array.from({ length: 50 }, (_, i) => Float32Array.of(Math.sin(i / 5), Math.cos(i / 7)));
    const b = a.flatMap((f) => [f, f]); // every frame twice
    const path = dtwAlign(a, b);
    assert.equal(path.totalCost, 0);
    assert.equal(path.pathA[0], 0);
    assert.equal(path.pathB[path.pathB.length - 1], 99);
  });
  test('rejects empty input', () => {
    assert.throws(() => dtwAlign([], [Float32Array.of(1)]), (e) => isAutoVoiceError(e, 'quality.invalid_input'));
  });
});

describe('melCepstralDistortion', () => {
  test('same signal → 0 dB, with and without DTW; gain does not matter', () => {
    const { signal } = renderFormantVoice(male, 'aiu', SR);
    assert.equal(melCepstralDistortion(signal, signal, { sampleRate: SR, dtw: false }), 0);
    assert.equal(melCepstralDistortion(signal, signal, { sampleRate: SR }), 0);
    const quieter = Float32Array.from(signal, (v) => v * 0.3);
    assert.ok(melCepstralDistortion(signal, quieter, { sampleRate: SR, dtw: false }) < 0.05);
  });
  test('different vocal tracts are far apart; the same tract at another F0 is close', () => {
    const a = renderFormantVoice(male, 'aiuoe', SR).signal;
    const sameTractOtherF0 = renderFormantVoice({ ...male, f0Hz: 140 }, 'aiuoe', SR).signal;
    const otherVoice = renderFormantVoice(female, 'aiuoe', SR).signal;
    const near = melCepstralDistortion(a, sameTractOtherF0, { sampleRate: SR });
    const far = melCepstralDistortion(a, otherVoice, { sampleRate: SR });
    assert.ok(far > 4, `different voices ${far.toFixed(2)} dB`);
    assert.ok(near < far / 2, `same tract ${near.toFixed(2)} dB vs other voice ${far.toFixed(2)} dB`);
  });
  test('DTW absorbs a timing difference', () => {
    const a = renderFormantVoice(male, 'aiu', SR, 0.3).signal;
    const slow = renderFormantVoice(male, 'aiu', SR, 0.42).signal;
    const aligned = melCepstralDistortion(a, slow, { sampleRate: SR });
    const unaligned = melCepstralDistortion(a, slow, { sampleRate: SR, dtw: false });
    assert.ok(aligned < unaligned * 0.6, `aligned ${aligned.toFixed(2)} vs unaligned ${unaligned.toFixed(2)}`);
  });
  test('mel-cepstra have order+1 coefficients; signals need a sample rate', () => {
    const { signal } = renderFormantVoice(male, 'a', SR);
    assert.equal(computeMelCepstra(signal, SR).frames[0]!.length, 25);
    assert.throws(() => melCepstralDistortion(signal, signal), (e) => isAutoVoiceError(e, 'quality.invalid_input'));
  });
});

describe('alignByMelCepstra', () => {
  test('maps frames across leading silence in full-grid indices', () => {
    const { signal } = renderFormantVoice(male, 'aiu', SR);
    const delayed = new Float32Array(signal.length + 1600); // 100 ms = 20 frames of silence first
    delayed.set(signal, 1600);
    const align = alignByMelCepstra(signal, delayed, SR);
    assert.equal(align.framePeriodMs, 5);
    assert.ok(align.meanMcdDb < 0.5, String(align.meanMcdDb));
    const mid = Math.floor(align.pathA.length / 2);
    assert.equal(align.pathB[mid]! - align.pathA[mid]!, 20);
  });
});

test('index-paired MCD keeps frames in line: faint noise added to a signal barely moves it', () => {
  const sampleRate = 16000;
  const n = sampleRate * 2;
  let seed = 1;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  // A low-passed noise burst in the middle second, digital silence around it.
  const a = new Float32Array(n);
  let y = 0;
  for (let i = sampleRate / 2; i < (3 * sampleRate) / 2; i++) {
    y = 0.9 * y + rand();
    a[i] = 0.1 * y;
  }
  // The same with white noise about 37 dB below the burst everywhere: the silent frames of b are
  // now above the activity threshold, the silent frames of a are not.
  const b = a.map((v) => v + 0.004 * rand());
  const mcd = melCepstralDistortion(a, b, { sampleRate, dtw: false });
  assert.ok(mcd < 1.5, `MCD ${mcd.toFixed(2)} dB: frames must stay paired by time`);
});
