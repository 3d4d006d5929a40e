import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyFades, detectSilence, fadeGain, trimAudio, trimSilence } from './edit.js';

const rate = 1000;
function tone(seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => amplitude * Math.sin(i * 0.7));
}
function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

describe('trim and fades', () => {
  test('trimAudio keeps the requested range of every channel and clamps to the end', () => {
    const x = Float32Array.from({ length: 100 }, (_, i) => i);
    const out = trimAudio({ channels: [x, x.map((v) => -v)], sampleRate: 10 }, { startSeconds: 2, endSeconds: 5 });
    assert.deepEqual([...out.channels[0]!], [20, 21, 22, 23, 24, 25, 26, 27, 28, 29].concat([30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49]));
    assert.equal(out.channels[1]![0], -20);
    assert.equal(trimAudio({ channels: [x], sampleRate: 10 }, { startSeconds: 9 }).channels[0]!.length, 10);
    assert.throws(() => trimAudio({ channels: [x], sampleRate: 10 }, { startSeconds: 3, endSeconds: 1 }), { code: 'usage.invalid_argument' });
  });

  test('linear and equal-power fades start at zero and reach full level; equal power keeps power in a cross-fade', () => {
    const ones = new Float32Array(100).fill(1);
    const lin = applyFades({ channels: [ones], sampleRate: 100 }, { fadeInSeconds: 0.5, fadeOutSeconds: 0.2 }).channels[0]!;
    assert.equal(lin[0], 0);
    assert.ok(Math.abs(lin[25]! - 0.5) < 1e-6);
    assert.equal(lin[60], 1);
    assert.equal(lin[99], 0);
    for (let t = 0; t <= 1; t += 0.1) {
      const power = fadeGain(t, 'equal-power') ** 2 + fadeGain(1 - t, 'equal-power') ** 2;
      assert.ok(Math.abs(power - 1) < 1e-9);
    }
  });
});

describe('silence', () => {
  test('detectSilence finds the quiet stretch between two tones, and trimSilence strips the ends', () => {
    const x = concat(new Float32Array(500), tone(1), new Float32Array(800), tone(0.5), new Float32Array(200));
    const ranges = detectSilence({ channels: [x], sampleRate: rate }, { minSilenceSeconds: 0.3 });
    assert.deepEqual(
      ranges.map((r) => [r.startSeconds, r.endSeconds]),
      [
        [0, 0.5],
        [1.5, 2.3],
      ],
    );
    const trimmed = trimSilence({ channels: [x], sampleRate: rate });
    assert.equal(trimmed.channels[0]!.length, 2800 - 500);
  });
});
