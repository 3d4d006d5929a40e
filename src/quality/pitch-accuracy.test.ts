import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  centsBetween,
  grossPitchError,
  logF0Correlation,
  logF0Rmse,
  rawChromaAccuracy,
  rawPitchAccuracy,
  resampleF0Track,
  voicingFalseAlarm,
  voicingRecall,
} from './pitch-accuracy.js';
import { isAutoVoiceError } from '../errors/index.js';

const f = (values: number[]): Float32Array => Float32Array.from(values);
const cents = (hz: number, c: number): number => hz * 2 ** (c / 1200);

describe('rawPitchAccuracy', () => {
  test('counts reference-voiced frames within 50 cents', () => {
    const ref = f([0, 200, 200, 200, 200, 0]);
    // 30 cents ok; 60 cents wrong; unvoiced estimate wrong; octave wrong.
    const est = f([100, cents(200, 30), cents(200, 60), 0, 400, 0]);
    assert.equal(rawPitchAccuracy(ref, est), 1 / 4);
    assert.equal(rawPitchAccuracy(ref, est, { toleranceCents: 70 }), 2 / 4);
  });
  test('identical tracks score 1; NaN with no voiced reference', () => {
    const ref = f([110, 220, 330]);
    assert.equal(rawPitchAccuracy(ref, ref), 1);
    assert.ok(Number.isNaN(rawPitchAccuracy(f([0, 0]), f([100, 100]))));
  });
  test('rejects a bad tolerance with a usage code', () => {
    assert.throws(() => rawPitchAccuracy(f([1]), f([1]), { toleranceCents: -1 }), (e) => isAutoVoiceError(e, 'quality.invalid_input'));
  });
});

describe('rawChromaAccuracy', () => {
  test('forgives octave errors', () => {
    const ref = f([200, 200, 200, 200]);
    const est = f([400, 100, cents(800, 20), cents(200, 100)]);
    assert.equal(rawChromaAccuracy(ref, est), 3 / 4);
    assert.equal(rawPitchAccuracy(ref, est), 0);
  });
});

describe('grossPitchError', () => {
  test('20% relative deviation over both-voiced frames', () => {
    const ref = f([100, 100, 100, 100, 0, 100]);
    const est = f([119, 121, 79, 100, 300, 0]);
    // both-voiced: frames 0..3 → 121 and 79 are gross.
    assert.equal(grossPitchError(ref, est), 2 / 4);
  });
});

describe('voicing', () => {
  test('recall and false alarm', () => {
    const ref = f([0, 0, 0, 0, 100, 100, 100, 100]);
    const est = f([0, 50, 0, 0, 100, 0, 90, 0]);
    assert.equal(voicingRecall(ref, est), 2 / 4);
    assert.equal(voicingFalseAlarm(ref, est), 1 / 4);
  });
});

describe('logF0Rmse and logF0Correlation', () => {
  test('a constant 100-cent offset gives RMSE 100 and correlation 1', () => {
    const ref = f([100, 150, 0, 220, 180]);
    const est = f(Array.from(ref, (hz) => (hz > 0 ? cents(hz, 100) : 0)));
    assert.ok(Math.abs(logF0Rmse(ref, est) - 100) < 1e-3);
    assert.ok(Math.abs(logF0Correlation(ref, est) - 1) < 1e-6);
  });
  test('mirrored contour correlates at -1; mixed errors give the RMS', () => {
    const ref = f([100, 200, 400]);
    const est = f([400, 200, 100]);
    assert.ok(Math.abs(logF0Correlation(ref, est) + 1) < 1e-6);
    // errors +2400, 0, -2400 cents → RMS = 2400·sqrt(2/3)
    assert.ok(Math.abs(logF0Rmse(ref, est) - 2400 * Math.sqrt(2 / 3)) < 1e-2);
  });
  test('centsBetween', () => {
    assert.ok(Math.abs(centsBetween(440, 880) - 1200) < 1e-9);
  });
});

describe('resampleF0Track', () => {
  test('interpolates in log frequency between voiced frames, nearest voicing otherwise', () => {
    const times = [0, 0.01, 0.02, 0.03];
    const f0 = [100, 400, 0, 300];
    const out = resampleF0Track(times, f0, [0, 0.005, 0.012, 0.018, 0.024, 0.027, 0.03, 0.5]);
    assert.ok(Math.abs((out[0] as number) - 100) < 1e-3);
    assert.ok(Math.abs((out[1] as number) - 200) < 1e-2); // geometric midpoint
    assert.ok(Math.abs((out[2] as number) - 400) < 1e-3); // nearer the voiced frame
    assert.equal(out[3], 0); // nearer the unvoiced frame
    assert.equal(out[4], 0); // nearer the unvoiced frame
    assert.ok(Math.abs((out[5] as number) - 300) < 1e-3);
    assert.ok(Math.abs((out[6] as number) - 300) < 1e-3);
    assert.equal(out[7], 0); // outside the source range
  });
  test('rejects unsorted times', () => {
    assert.throws(() => resampleF0Track([0, 0.02, 0.01], [1, 2, 3], [0]), (e) => isAutoVoiceError(e, 'quality.invalid_input'));
  });
});
