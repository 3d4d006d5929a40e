import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderHarmonic, contours, whiteNoise } from '../../../tests/fixtures/pitch-signals.js';
import { decimateForPitch, StreamingDecimator } from './decimate.js';
import { StreamingVoiceBandLevels, voiceBandFrameLevels } from './frame-level.js';
import { NccfAnalyzer, StreamingNccf } from './nccf.js';

/** Pushes `signal` in pieces of the given sizes (cycled) through `push`. */
function inPieces(signal: Float32Array, sizes: readonly number[], push: (piece: Float32Array) => void): void {
  for (let at = 0, k = 0; at < signal.length; k++) {
    const size = Math.min(sizes[k % sizes.length] as number, signal.length - at);
    push(signal.subarray(at, at + size));
    at += size;
  }
}

const voice = (): Float32Array => {
  const x = renderHarmonic(contours.vibrato(180, 80, 5), 0.6, 8000);
  const noise = whiteNoise(x.length, 3);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + 0.05 * (noise[i] as number);
  return x;
};

describe('streaming pitch stages equal their whole-signal versions', () => {
  test('StreamingDecimator: bit for bit, for any chunking; peekFinish gives the tail without consuming it', () => {
    const x = renderHarmonic(contours.glide(100, 300, 0, 0.3), 0.3, 44100);
    const whole = decimateForPitch(x, 5, 0.3);
    for (const sizes of [[1], [441], [37, 1000, 3]]) {
      const d = new StreamingDecimator(5, 0.3);
      const out: number[] = [];
      inPieces(x, sizes, (p) => d.push(p, (v) => out.push(v)));
      const peeked: number[] = [];
      d.peekFinish([], (v) => peeked.push(v));
      d.finish((v) => out.push(v));
      assert.equal(out.length, whole.length);
      assert.deepEqual(Float32Array.from(out), whole, `chunks ${sizes.join(',')}`);
      assert.deepEqual(peeked, out.slice(out.length - peeked.length));
      assert.ok(peeked.length >= 1 && peeked.length <= 5, `${peeked.length} tail samples`);
    }
    // peekFinish with extra samples = what the whole signal with them would end with.
    const d = new StreamingDecimator(2, 0.3);
    d.push(x.subarray(0, 1000), () => undefined);
    const peeked: number[] = [];
    d.peekFinish(x.subarray(1000, 1100), (v) => peeked.push(v));
    const reference = decimateForPitch(x.subarray(0, 1100), 2, 0.3);
    assert.deepEqual(Float32Array.from(peeked), reference.subarray(reference.length - peeked.length));
  });

  test('StreamingNccf: complete frames equal the block NCCF, the newest read the end as a whole signal does', () => {
    const x = voice();
    const hop = 40; // 5 ms at 8 kHz
    const [lagLo, lagHi, window] = [3, 90, 160];
    const frames = Math.floor(x.length / hop) + 1;
    const whole = new NccfAnalyzer(x, hop, lagLo, lagHi, window, 1.5);
    const lags = lagHi - lagLo + 1;
    const reference = new Float32Array(frames * lags);
    whole.computeBlock(0, frames, reference);
    const s = new StreamingNccf({
      hopSamples: hop,
      lagLo,
      lagHi,
      windowSamples: window,
      minPeriodsPerWindow: 1.5,
    });
    const row = new Float32Array(lags);
    let checked = 0;
    let next = 0;
    inPieces(x, [37, 160, 5], (p) => {
      s.append(p);
      for (; next < frames && s.isComplete(next); next++, checked++) {
        s.frameRow(next, row, 0);
        for (let li = 0; li < lags; li++) {
          const want = reference[next * lags + li] as number;
          assert.ok(
            Math.abs((row[li] as number) - want) < 1e-5,
            `frame ${next} lag ${lagLo + li}: ${row[li]} vs ${want}`,
          );
        }
        s.discardBefore(next);
      }
    });
    assert.ok(checked > frames - 12, `${checked} of ${frames} frames complete before the end`);
    // A prefix of the signal: its last frames as the block NCCF of that prefix reads them.
    const cut = 2000;
    const prefix = new NccfAnalyzer(x.subarray(0, cut), hop, lagLo, lagHi, window, 1.5);
    const last = Math.floor(cut / hop);
    const prefixRows = new Float32Array(lags);
    prefix.computeBlock(last, 1, prefixRows);
    const t = new StreamingNccf({
      hopSamples: hop,
      lagLo,
      lagHi,
      windowSamples: window,
      minPeriodsPerWindow: 1.5,
    });
    t.append(x.subarray(0, cut));
    assert.equal(t.isComplete(last), false);
    t.frameRow(last, row, 0);
    for (let li = 0; li < lags; li++)
      assert.ok(Math.abs((row[li] as number) - (prefixRows[li] as number)) < 1e-5);
    // Truncating provisional samples restores the earlier state exactly.
    t.append(x.subarray(cut, cut + 50));
    t.truncate(cut);
    const again = new Float32Array(lags);
    t.frameRow(last, again, 0);
    assert.deepEqual(again, row);
  });

  test('StreamingVoiceBandLevels: equal to voiceBandFrameLevels, and rollback undoes provisional samples', () => {
    const x = voice();
    const frames = Math.floor(x.length / 40) + 1;
    const reference = voiceBandFrameLevels(x, 8000, frames, 5, 20);
    const s = new StreamingVoiceBandLevels(8000, 5, 20);
    inPieces(x, [333], (p) => s.append(p));
    for (let t = 0; t < frames; t++) {
      const want = reference[t] as number;
      assert.ok(Math.abs(s.level(t) - want) <= 1e-9 + 1e-6 * want, `frame ${t}: ${s.level(t)} vs ${want}`);
    }
    const u = new StreamingVoiceBandLevels(8000, 5, 20);
    u.append(x.subarray(0, 1000));
    const mark = u.checkpoint();
    const before = u.level(24);
    u.append(x.subarray(1000, 1200));
    assert.notEqual(u.level(24), before);
    u.rollback(mark);
    assert.equal(u.level(24), before);
    u.append(x.subarray(1000, 1200));
    const direct = new StreamingVoiceBandLevels(8000, 5, 20);
    direct.append(x.subarray(0, 1200));
    assert.equal(u.level(24), direct.level(24));
  });
});
