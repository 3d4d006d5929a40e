import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { voiceBandFrameLevels } from './frame-level.js';

const RATE = 8000;
const tone = (hz: number, amplitude: number, seconds: number): Float32Array =>
  Float32Array.from(
    { length: Math.round(seconds * RATE) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / RATE),
  );

describe('voiceBandFrameLevels', () => {
  test('reads the mean square of voice-band sound: a 300 Hz sine of amplitude a gives a²/2', () => {
    const levels = voiceBandFrameLevels(tone(300, 0.5, 1), RATE, 201, 5, 20);
    for (let t = 20; t < 180; t++) {
      assert.ok(Math.abs((levels[t] as number) / 0.125 - 1) < 0.03, `frame ${t}: ${levels[t]}`);
    }
  });

  test('hardly hears rumble: a 30 Hz sine reads more than 30 dB below a 300 Hz one', () => {
    const voice = voiceBandFrameLevels(tone(300, 0.5, 1), RATE, 201, 5, 20);
    const rumble = voiceBandFrameLevels(tone(30, 0.5, 1), RATE, 201, 5, 20);
    const db = 10 * Math.log10((rumble[100] as number) / (voice[100] as number));
    assert.ok(db < -30, `${db.toFixed(1)} dB`);
  });

  test('frames past the end read the part of their window that exists, and nothing reads NaN', () => {
    const levels = voiceBandFrameLevels(tone(300, 0.5, 0.1), RATE, 40, 5, 20);
    assert.ok(levels.every((v) => Number.isFinite(v) && v >= 0));
    assert.equal(levels[39], 0);
    assert.ok((levels[10] as number) > 0.1);
  });

  test('leaves its input untouched', () => {
    const x = tone(30, 0.5, 0.2);
    const copy = Float32Array.from(x);
    voiceBandFrameLevels(x, RATE, 41, 5, 20);
    assert.deepEqual(x, copy);
  });
});
