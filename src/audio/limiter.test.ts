import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { limitPeaks, normalizeLoudness } from './limiter.js';
import { measureIntegratedLoudness, measureLoudness } from './loudness.js';

const rate = 16000;
function sine(frequencyHz: number, amplitude: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rate) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / rate));
}

describe('true-peak limiter', () => {
  test('a loud burst is held under the ceiling, with a smooth gain that recovers afterwards', () => {
    const x = sine(300, 0.2, 3);
    for (let i = rate; i < rate * 1.2; i++) x[i] = x[i]! * 5; // burst at 1.0 peak
    const ceilingDbtp = -6;
    const out = limitPeaks({ channels: [x], sampleRate: rate }, { ceilingDbtp }).channels[0]!;
    assert.ok(measureLoudness({ channels: [out], sampleRate: rate }).truePeakDbtp <= ceilingDbtp + 0.05);
    // The gain (out/in, where the input is not near a zero crossing) never jumps: no clicks.
    let previousGain = 1;
    let largestStep = 0;
    for (let i = 0; i < x.length; i++) {
      if (Math.abs(x[i]!) < 0.05) continue;
      const gain = out[i]! / x[i]!;
      largestStep = Math.max(largestStep, Math.abs(gain - previousGain));
      previousGain = gain;
    }
    assert.ok(largestStep < 0.05, `gain step ${largestStep}`);
    // Before the look-ahead window and 0.5 s after the burst, the signal is untouched.
    assert.ok(Math.abs(out[rate - 200]! - x[rate - 200]!) < 1e-6);
    const late = Math.round(rate * 1.9);
    assert.ok(Math.abs(out[late]! / x[late]! - 1) < 0.01 || Math.abs(x[late]!) < 0.05);
  });

  test('audio under the ceiling comes back unchanged; a ceiling above 0 dBTP is refused', () => {
    const audio = { channels: [sine(440, 0.1, 1)], sampleRate: rate };
    assert.equal(limitPeaks(audio, { ceilingDbtp: -1 }), audio);
    assert.throws(() => limitPeaks(audio, { ceilingDbtp: 3 }), { code: 'usage.invalid_argument' });
  });
});

describe('normalizeLoudness', () => {
  test('reaches the target loudness when no limiting is needed', () => {
    const audio = { channels: [sine(1000, 0.05, 5), sine(700, 0.05, 5)], sampleRate: rate };
    const out = normalizeLoudness(audio, { targetLufs: -23, truePeakCeilingDbtp: -1 });
    assert.ok(Math.abs(measureIntegratedLoudness(out) + 23) < 0.05);
  });

  test('loud target: the true peak stays under the ceiling', () => {
    const audio = { channels: [sine(1000, 0.05, 5)], sampleRate: rate };
    const out = normalizeLoudness(audio, { targetLufs: -4, truePeakCeilingDbtp: -2 }); // needs a -1 dBFS peak
    const m = measureLoudness(out);
    assert.ok(m.truePeakDbtp <= -2 + 0.05, `true peak ${m.truePeakDbtp}`);
    assert.ok(m.integratedLufs < -4 && m.integratedLufs > -6, `loudness ${m.integratedLufs}`);
  });

  test('silence is returned unchanged; an impossible target is refused', () => {
    const silence = { channels: [new Float32Array(rate)], sampleRate: rate };
    assert.equal(normalizeLoudness(silence), silence);
    assert.throws(() => normalizeLoudness(silence, { targetLufs: 5 }), { code: 'usage.invalid_argument' });
  });
});
