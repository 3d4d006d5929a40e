import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUTTERWORTH4_Q, BiquadCascade, filterInPlace, highPassBiquad } from './biquad.js';

describe('BiquadCascade', () => {
  test('sample by sample, it gives what filterInPlace gives section after section', () => {
    const sections = BUTTERWORTH4_Q.map((q) => highPassBiquad(100 / 8000, q));
    const input = Float32Array.from(
      { length: 2000 },
      (_, i) => Math.sin(i * 0.05) + 0.3 * Math.sin(i * 1.3) + (i === 500 ? 1 : 0),
    );
    const whole = input.slice();
    for (const s of sections) filterInPlace(whole, s);
    const cascade = new BiquadCascade(sections);
    for (let i = 0; i < input.length; i++) {
      const y = cascade.next(input[i] as number);
      assert.ok(Math.abs(y - (whole[i] as number)) < 1e-5, `sample ${i}: ${y} vs ${whole[i]}`);
    }
  });

  test('a 4th-order 100 Hz high-pass passes 1 kHz and stops 20 Hz by more than 50 dB', () => {
    const rms = (hz: number): number => {
      const cascade = new BiquadCascade(BUTTERWORTH4_Q.map((q) => highPassBiquad(100 / 8000, q)));
      let sum = 0;
      for (let i = 0; i < 16000; i++) {
        const y = cascade.next(Math.sin((2 * Math.PI * hz * i) / 8000));
        if (i >= 8000) sum += y * y;
      }
      return Math.sqrt(sum / 8000);
    };
    assert.ok(Math.abs(rms(1000) - Math.SQRT1_2) < 0.01, `1 kHz rms ${rms(1000)}`);
    assert.ok(
      20 * Math.log10(rms(20) / Math.SQRT1_2) < -50,
      `20 Hz ${(20 * Math.log10(rms(20) / Math.SQRT1_2)).toFixed(1)} dB`,
    );
  });
});
