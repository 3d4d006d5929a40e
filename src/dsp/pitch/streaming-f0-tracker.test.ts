import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAutoVoiceError } from '../../errors/index.js';
import { rawPitchAccuracy } from '../../quality/pitch-accuracy.js';
import { addNoise, contours, renderHarmonic, truthTrack } from '../../../tests/fixtures/pitch-signals.js';
import { estimateF0 } from './estimate-f0.js';
import { defaultF0Options, type F0Options } from './f0-options.js';
import { StreamingF0Tracker } from './streaming-f0-tracker.js';

const FS = 16000;
/** The silence gate compares with the loudest frame so far in a stream, of the whole signal in batch: off for exact comparisons. */
const NO_GATE: Partial<F0Options> = { silenceThresholdDb: 300 };

/** Notes with a rest, a leap and vibrato: voicing edges and octave moves. */
const melodyContour = ((): ((t: number) => number) => {
  const notes = contours.notes([
    [0.05, 150],
    [0.35, 0],
    [0.45, 300],
    [0.75, 220],
  ]);
  const vibrato = contours.vibrato(1, 60, 5.5);
  return (t) => notes(t) * vibrato(t);
})();

/** The melody over light noise. */
function melody(): Float32Array {
  return addNoise(renderHarmonic(melodyContour, 1.1, FS), 30, 4);
}

function sameTrack(a: Float32Array, b: Float32Array, label: string): void {
  assert.equal(a.length, b.length, label);
  for (let t = 0; t < a.length; t++) {
    const x = a[t] as number;
    const y = b[t] as number;
    assert.equal(x > 0, y > 0, `${label}: voicing of frame ${t} (${x} vs ${y})`);
    if (x > 0) assert.ok(Math.abs(1200 * Math.log2(y / x)) < 0.1, `${label}: frame ${t} ${x} vs ${y} Hz`);
  }
}

/** Feeds `signal` in chunks, deciding every frame whose centre lies `lookAheadMs` behind the input. */
function decideAsStream(
  signal: Float32Array,
  lookAheadMs: number,
  options: Partial<F0Options> = {},
): Float32Array {
  const tracker = new StreamingF0Tracker(FS, options);
  const hop = (FS * defaultF0Options.framePeriodMs) / 1000;
  const lookAhead = Math.ceil((lookAheadMs * FS) / 1000);
  const f0 = new Float32Array(Math.floor(signal.length / hop) + 1);
  let known = 0;
  for (let at = 0; at < signal.length; at += 160) {
    tracker.push(signal.subarray(at, at + 160));
    const covered = Math.min(tracker.frameCount, Math.floor((tracker.inputLength - lookAhead) / hop) + 1);
    if (covered > known) {
      f0.set(tracker.decide(known, covered).f0Hz, known);
      known = covered;
    }
  }
  tracker.finish();
  f0.set(tracker.decide(known, tracker.frameCount).f0Hz, known);
  return f0;
}

describe('StreamingF0Tracker', () => {
  test('given the whole input, decides what estimateF0 decides, for any voicing look-ahead', () => {
    // The noisier copy makes voicing decisions close enough for the look-ahead to matter.
    const signals = [melody(), addNoise(renderHarmonic(melodyContour, 1.1, FS), 3, 5)];
    for (const [s, x] of signals.entries()) {
      for (const voicingLookAheadFrames of [0, 1, 3]) {
        const options = { ...NO_GATE, voicingLookAheadFrames };
        const tracker = new StreamingF0Tracker(FS, options);
        for (let at = 0; at < x.length; at += 333) tracker.push(x.subarray(at, at + 333));
        tracker.finish();
        const { f0Hz: f0, confidence } = tracker.decide(0, tracker.frameCount);
        const batch = estimateF0(x, FS, options);
        const label = `signal ${s}, voicing look-ahead ${voicingLookAheadFrames}`;
        sameTrack(batch.f0Hz, f0, label);
        for (let t = 0; t < f0.length; t++) {
          assert.ok(Math.abs((confidence[t] as number) - (batch.confidence[t] as number)) < 1e-4, label);
        }
      }
    }
  });

  test('a decision reads the input so far as estimateF0 reads that prefix (the open end paying voicingChangeCost)', () => {
    const x = melody();
    const prefixOptions = { ...NO_GATE, unvoicedEndCost: defaultF0Options.voicingChangeCost };
    for (const cut of [2400, 5600, 7300, 12000]) {
      const tracker = new StreamingF0Tracker(FS, NO_GATE);
      tracker.push(x.subarray(0, cut));
      const n = tracker.frameCount;
      const f0 = new Float32Array(n);
      f0.set(tracker.decide(0, n).f0Hz);
      sameTrack(estimateF0(x.subarray(0, cut), FS, prefixOptions).f0Hz, f0, `prefix of ${cut} samples`);
    }
  });

  test('decisions depend on the input so far, not on how it was chunked', () => {
    const x = melody();
    const runs = [[1], [800], [160, 640]].map((sizes) => {
      const tracker = new StreamingF0Tracker(FS);
      const f0 = new Float32Array(Math.floor(x.length / 80) + 1);
      let known = 0;
      for (let at = 0, k = 0; at < x.length; k++) {
        const size = Math.min(sizes[k % sizes.length] as number, x.length - at);
        tracker.push(x.subarray(at, at + size));
        at += size;
        if (at % 800 === 0) {
          const covered = Math.max(known, tracker.frameCount - 8);
          f0.set(tracker.decide(known, covered).f0Hz, known);
          known = covered;
        }
      }
      return f0.subarray(0, known);
    });
    assert.ok((runs[0] as Float32Array).length > 150);
    assert.deepEqual(runs[1], runs[0]);
    assert.deepEqual(runs[2], runs[0]);
  });

  test('with 35 ms of look-ahead, tracks known contours as well as the whole-signal tracker', () => {
    const x = melody();
    const truth = truthTrack(melodyContour, 1.1, defaultF0Options.framePeriodMs);
    const stream = decideAsStream(x, 35);
    const batch = estimateF0(x, FS).f0Hz;
    const streamRpa = rawPitchAccuracy(truth, stream);
    assert.ok(streamRpa >= 0.98, `stream RPA ${streamRpa.toFixed(3)}`);
    assert.ok(
      streamRpa >= rawPitchAccuracy(truth, batch) - 0.01,
      `batch RPA ${rawPitchAccuracy(truth, batch).toFixed(3)}`,
    );
    assert.ok(
      rawPitchAccuracy(batch, stream) >= 0.98,
      `agreement with batch ${rawPitchAccuracy(batch, stream).toFixed(3)}`,
    );
  });

  test('holds bounded storage over a long stream', () => {
    // Two minutes of voice with pauses, decided as it arrives: storage after 10 s and after 120 s.
    const phrase = melody();
    const tracker = new StreamingF0Tracker(FS);
    const hop = (FS * defaultF0Options.framePeriodMs) / 1000;
    let known = 0;
    let early = 0;
    for (let at = 0; at < 120 * FS; at += 160) {
      const offset = at % phrase.length;
      tracker.push(phrase.subarray(offset, Math.min(offset + 160, phrase.length)));
      const covered = Math.min(tracker.frameCount, Math.floor((tracker.inputLength - 0.035 * FS) / hop) + 1);
      if (covered > known) {
        tracker.decide(known, covered);
        known = covered;
      }
      if (at === 10 * FS) early = tracker.storageSize;
    }
    assert.ok(early > 0);
    assert.ok(
      tracker.storageSize <= early,
      `storage ${early} values at 10 s, ${tracker.storageSize} at 120 s`,
    );
  });

  test('short input, silence and misuse', () => {
    const tone = renderHarmonic(contours.constant(200), 0.5, FS);
    const ended = new StreamingF0Tracker(FS);
    ended.push(tone.subarray(0, 0.03 * FS));
    ended.finish();
    assert.ok(
      ended.decide(0, ended.frameCount).f0Hz.every((v) => v === 0),
      'a whole input shorter than one window: unvoiced, as estimateF0',
    );
    // An input that goes on is decided on what has arrived, even before a full window has.
    const tracker = new StreamingF0Tracker(FS);
    tracker.push(tone.subarray(0, 0.039 * FS));
    const first = tracker.decide(0, 1).f0Hz[0] as number;
    assert.ok(Math.abs(first / 200 - 1) < 0.02, `frame 0 after 39 ms: ${first} Hz`);
    const silent = decideAsStream(new Float32Array(FS / 2), 35);
    assert.ok(silent.every((v) => v === 0));
    tracker.push(new Float32Array(0));
    assert.throws(
      () => tracker.decide(0, 1),
      (e) => isAutoVoiceError(e) && e.code === 'dsp.invalid_option',
    );
    assert.throws(
      () => tracker.decide(6, tracker.frameCount + 1),
      (e) => isAutoVoiceError(e) && e.code === 'dsp.invalid_option',
    );
    const length = tracker.inputLength;
    assert.throws(
      () => tracker.push(Float32Array.of(0.1, Number.NaN)),
      (e) => isAutoVoiceError(e) && e.code === 'audio.invalid_samples',
    );
    assert.equal(tracker.inputLength, length, 'nothing appended');
    tracker.finish();
    assert.throws(
      () => tracker.push(new Float32Array(10)),
      (e) => isAutoVoiceError(e) && e.code === 'dsp.invalid_option',
    );
    assert.throws(
      () => new StreamingF0Tracker(FS, { f0CeilHz: 9000 }),
      (e) => isAutoVoiceError(e) && e.code === 'dsp.invalid_option',
    );
  });
});
