import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAutoVoiceError } from '../errors/index.js';
import { averageFrames, findNearestFrames } from './knn-timbre.js';
import { createEnvelopeAxisMapper, melEnvelopeAxisHz } from './mel-envelope.js';
import { applyPitchMapping, parsePitchShiftRequest, planPitchMapping } from './pitch-mapping.js';
import { computePitchStatistics, mergePitchStatistics } from './pitch-statistics.js';
import { measureClipping } from './recording-checks.js';
import { createEnvelopeWarp, estimateWarpFactor, referenceLogEnvelope } from './vtln.js';

function track(hz: number[], repeat: number): Float32Array {
  return Float32Array.from({ length: hz.length * repeat }, (_, i) => hz[i % hz.length] as number);
}

describe('pitch statistics', () => {
  test('median, range, note names and log-F0 moments of a known track', () => {
    // Half the frames at A3 (220 Hz), half at A4 (440 Hz), some unvoiced.
    const stats = computePitchStatistics(track([220, 440, 0], 200));
    assert.equal(stats.voicedFrames, 400);
    assert.ok(Math.abs(stats.meanLogF0 - Math.log(220 * Math.SQRT2)) < 0.01);
    assert.ok(Math.abs(stats.stdLogF0 - Math.LN2 / 2) < 0.01);
    assert.equal(stats.lowNote, 'A3');
    assert.equal(stats.highNote, 'A4');
    assert.ok(Math.abs(stats.lowHz - 220) < 3 && Math.abs(stats.highHz - 440) < 6);
  });

  test('merging histograms equals the statistics of both tracks together', () => {
    const a = computePitchStatistics(track([100, 120], 50));
    const b = computePitchStatistics(track([300], 100));
    const both = computePitchStatistics(Float32Array.from([...track([100, 120], 50), ...track([300], 100)]));
    const merged = mergePitchStatistics(a, b);
    assert.equal(merged.voicedFrames, both.voicedFrames);
    assert.ok(Math.abs(merged.meanLogF0 - both.meanLogF0) < 1e-9);
    assert.equal(merged.medianNote, both.medianNote);
  });
});

describe('pitch mapping', () => {
  const src = computePitchStatistics(track([100, 110, 120, 130], 100));
  const tgt = computePitchStatistics(track([200, 230, 260, 300], 100));

  test('speech mode maps log-F0 mean and standard deviation onto the target', () => {
    const mapped = applyPitchMapping(
      track([100, 110, 120, 130], 100),
      planPitchMapping(src, tgt, 'speech', 'auto'),
    );
    const out = computePitchStatistics(mapped);
    assert.ok(Math.abs(out.meanLogF0 - tgt.meanLogF0) < 0.01);
    assert.ok(Math.abs(out.stdLogF0 - tgt.stdLogF0) < 0.01);
  });

  test('singing mode transposes by whole octaves (auto) or exact semitones, keeping intervals', () => {
    const auto = planPitchMapping(src, tgt, 'singing', 'auto');
    assert.equal(auto.semitones, 12);
    const melody = Float32Array.from([110, 0, 220, 246.94]);
    const out = applyPitchMapping(melody, auto);
    assert.deepEqual(
      Array.from(out, (v) => Math.round(v * 100) / 100),
      [220, 0, 440, 493.88],
    );
    const down = applyPitchMapping(melody, planPitchMapping(src, tgt, 'singing', -5));
    assert.ok(Math.abs((down[0] as number) - 110 * 2 ** (-5 / 12)) < 1e-3);
    assert.deepEqual(applyPitchMapping(melody, planPitchMapping(src, tgt, 'keep', 'auto')), melody);
  });

  test('pitch requests are validated', () => {
    assert.equal(parsePitchShiftRequest('+12'), 12);
    assert.equal(parsePitchShiftRequest(undefined), 'auto');
    for (const bad of ['up', '30', 'NaN'])
      assert.throws(
        () => parsePitchShiftRequest(bad),
        (e) => isAutoVoiceError(e, 'usage.invalid_argument'),
      );
  });
});

describe('envelope axis and VTLN', () => {
  test('bins → axis → bins reproduces a smooth envelope', () => {
    const m = createEnvelopeAxisMapper(22050, 1024);
    const power = Float32Array.from({ length: 513 }, (_, k) => Math.exp(-k / 100) + 0.01);
    const axis = new Float32Array(m.axisHz.length);
    const back = new Float32Array(513);
    m.toAxis(power, axis);
    m.toBins(axis, back);
    for (let k = 0; k < 513; k += 16)
      assert.ok(Math.abs(Math.log(back[k] as number) - Math.log(power[k] as number)) < 0.05, `bin ${k}`);
  });

  test('the warp estimate recovers a known formant scaling', () => {
    const axis = melEnvelopeAxisHz();
    const ref = referenceLogEnvelope(axis);
    for (const alpha of [0.85, 1.0, 1.18]) {
      const warped = new Float32Array(axis.length);
      createEnvelopeWarp(axis, alpha).apply(ref, warped);
      const est = estimateWarpFactor(ref, warped, axis);
      assert.ok(Math.abs(est / alpha - 1) < 0.03, `alpha ${alpha} estimated ${est}`);
    }
  });
});

describe('kNN frame selection', () => {
  test('finds the exact k nearest rows and averages them', () => {
    const d = 3;
    const codebook = Float32Array.from([0, 0, 0, 1, 1, 1, 5, 5, 5, 1.2, 1, 1, -1, -1, -1]);
    const idx = new Int32Array(2);
    const dist = new Float64Array(2);
    const found = findNearestFrames(Float32Array.from([1, 1, 1]), codebook, 5, d, 2, idx, dist);
    assert.equal(found, 2);
    assert.deepEqual(Array.from(idx), [1, 3]);
    const avg = new Float32Array(3);
    averageFrames(codebook, 3, idx, 2, avg);
    assert.ok(Math.abs((avg[0] as number) - 1.1) < 1e-6);
  });
});

describe('clipping', () => {
  test('flat runs at the peak count as clipped; a clean sine does not', () => {
    const sine = Float32Array.from({ length: 16000 }, (_, i) => 0.9 * Math.sin(i * 0.05));
    assert.ok(measureClipping(sine, 0.999, 3) < 0.001);
    const clipped = sine.map((v) => Math.max(-0.5, Math.min(0.5, v)));
    assert.ok(measureClipping(clipped, 0.999, 3) > 0.3);
  });
});

describe('F0 outlier repair', () => {
  test('removes isolated octave jumps and spikes, keeps real leaps and unvoiced frames', async () => {
    const { repairF0Outliers } = await import('./f0-repair.js');
    const f0 = Float32Array.from([
      0, 0, 100, 101, 102, 1138, 101, 200, 100, 99, 98, 0, 200, 201, 202, 203, 204, 205, 206, 207,
    ]);
    const out = repairF0Outliers(f0, { halfWindowFrames: 3 });
    assert.ok(Math.abs((out[5] as number) - 101) < 2, `spike ${out[5]}`);
    assert.ok(Math.abs((out[7] as number) - 100) < 3, `octave jump ${out[7]}`);
    assert.equal(out[0], 0);
    assert.equal(out[11], 0);
    // The leap from ~100 Hz to ~200 Hz after the pause is real and stays.
    assert.deepEqual(Array.from(out.subarray(13, 20)), Array.from(f0.subarray(13, 20)));
  });
});
