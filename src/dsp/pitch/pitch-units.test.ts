import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { centsToHz, hzToCents, hzToMidi, hzToNoteName, midiToHz, midiToNoteName } from './pitch-units.js';

describe('pitch units', () => {
  test('MIDI <-> Hz round trip with A4 = 440 Hz', () => {
    assert.equal(hzToMidi(440), 69);
    assert.ok(Math.abs(midiToHz(60) - 261.6256) < 1e-3);
    for (const hz of [55, 123.4, 1000]) assert.ok(Math.abs(midiToHz(hzToMidi(hz)) - hz) < 1e-9);
    assert.ok(Math.abs(hzToMidi(432, 432) - 69) < 1e-12);
  });

  test('cents: an octave is 1200, converters are inverse', () => {
    assert.equal(hzToCents(880, 440), 1200);
    assert.ok(Math.abs(hzToCents(440, 880) + 1200) < 1e-9);
    assert.ok(Math.abs(centsToHz(100, 440) - 466.1638) < 1e-3);
  });

  test('unvoiced (0 Hz) has no pitch: NaN, not -Infinity', () => {
    assert.ok(Number.isNaN(hzToMidi(0)));
    assert.ok(Number.isNaN(hzToCents(0, 440)));
    assert.ok(Number.isNaN(hzToCents(440, -1)));
    assert.equal(hzToNoteName(0), '');
  });

  test('note names use scientific pitch notation and round to the nearest note', () => {
    assert.equal(midiToNoteName(60), 'C4');
    assert.equal(midiToNoteName(69), 'A4');
    assert.equal(midiToNoteName(61.4), 'C#4');
    assert.equal(midiToNoteName(59.6), 'C4');
    assert.equal(midiToNoteName(21), 'A0');
    assert.equal(hzToNoteName(261.63), 'C4');
    assert.throws(() => midiToNoteName(Number.NaN), RangeError);
  });
});
