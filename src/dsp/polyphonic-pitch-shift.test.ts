import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getRealFft } from './fft.js';
import { shiftPitchPolyphonic } from './polyphonic-pitch-shift.js';

const sampleRate = 16000;
const chord = Float32Array.from(
  { length: sampleRate },
  (_, n) =>
    0.3 * Math.sin((2 * Math.PI * 440 * n) / sampleRate) +
    0.3 * Math.sin((2 * Math.PI * 660 * n) / sampleRate),
);

/** Frequencies (Hz) of the two strongest spectral peaks of the middle of `x`. */
function twoStrongestPeaksHz(x: Float32Array): number[] {
  const size = 8192;
  const fft = getRealFft(size);
  const power = new Float64Array(fft.binCount);
  fft.powerSpectrum(x.subarray(4000, 4000 + size), power);
  const peaks: [number, number][] = [];
  for (let k = 1; k < fft.binCount - 1; k++)
    if ((power[k] as number) > (power[k - 1] as number) && (power[k] as number) > (power[k + 1] as number))
      peaks.push([power[k] as number, (k * sampleRate) / size]);
  return peaks
    .sort((a, b) => b[0] - a[0])
    .slice(0, 2)
    .map((p) => p[1])
    .sort((a, b) => a - b);
}

const energy = (x: Float32Array) => x.subarray(2000, 14000).reduce((s, v) => s + v * v, 0);

describe('shiftPitchPolyphonic', () => {
  for (const semitones of [3, -5, 12]) {
    test(`moves every note of a chord by ${semitones} semitones and keeps its length and level`, () => {
      const out = shiftPitchPolyphonic(chord, sampleRate, semitones);
      assert.equal(out.length, chord.length);
      const ratio = 2 ** (semitones / 12);
      const [low, high] = twoStrongestPeaksHz(out);
      assert.ok(Math.abs(1200 * Math.log2((low as number) / (440 * ratio))) < 15, `low note at ${low} Hz`);
      assert.ok(Math.abs(1200 * Math.log2((high as number) / (660 * ratio))) < 15, `high note at ${high} Hz`);
      const gain = energy(out) / energy(chord);
      assert.ok(gain > 0.6 && gain < 1.3, `energy ratio ${gain}`);
    });
  }

  test('0 semitones returns an equal copy', () => {
    const out = shiftPitchPolyphonic(chord, sampleRate, 0);
    assert.notEqual(out, chord);
    assert.deepEqual(out, chord);
  });
});
