import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SourcePhaseAnchor } from './source-phase-anchor.js';
import { signalSource } from './source-signal.js';

const fs = 16000;
const f0 = 120;
const hop = 80;
const impulse = new Float64Array([1]);

/** A second of fundamental (amplitude `a1`, zero phase at sample 0) and 2nd harmonic (`a2`, phase `phase2`). */
function source(a1: number, a2: number, phase2 = 1): Float32Array {
  const x = new Float32Array(fs);
  for (let n = 0; n < x.length; n++) {
    const phase = (2 * Math.PI * f0 * n) / fs;
    x[n] = a1 * Math.cos(phase) + a2 * Math.cos(2 * phase + phase2);
  }
  return x;
}

describe('SourcePhaseAnchor', () => {
  const centre = 8000; // a whole number of periods from sample 0: the fundamental peaks here
  const period = fs / f0;

  test('puts a pulse on the source fundamental’s peak and pulls a late train back', () => {
    const anchor = new SourcePhaseAnchor(signalSource(source(1, 0.5)), fs, 0.05, hop);
    const at = anchor.pulseTime(centre, f0, impulse, 1);
    const offset = (((((at - centre) / period) % 1) + 1.5) % 1) - 0.5;
    assert.ok(Math.abs(offset) < 0.01, `pulse ${offset.toFixed(3)} periods off the peak`);
    // A train whose last pulse sat a quarter period late gains phase (its next pulses come
    // earlier): gain × error spread over one hop.
    const pull = anchor.pullPerSample(centre + period / 4, centre, f0, impulse, 1);
    assert.ok(pull > 0, `pull ${pull}`);
    assert.ok(Math.abs(pull * hop - 0.05 * 0.25) < 0.002, `pull per frame ${(pull * hop).toFixed(4)} cycles`);
  });

  test('follows the 2nd harmonic where the fundamental is 6-12 dB under it, nothing further down', () => {
    // The 2nd harmonic a quarter cycle ahead of the fundamental's alignment: a train on the
    // fundamental's peak is an eighth of a period late for it.
    const strong = new SourcePhaseAnchor(signalSource(source(1, 0.5, Math.PI / 2)), fs, 0.05, hop);
    assert.ok(Math.abs(strong.pullPerSample(centre, centre, f0, impulse, 1) * hop) < 0.001);
    // −10.5 dB: the 2nd harmonic sets the pull.
    const weak = new SourcePhaseAnchor(signalSource(source(0.3, 1, Math.PI / 2)), fs, 0.05, hop);
    const pull = weak.pullPerSample(centre, centre, f0, impulse, 1);
    assert.ok(
      Math.abs(pull * hop - 0.05 * 0.125) < 0.001,
      `pull per frame ${(pull * hop).toFixed(4)} cycles`,
    );
    // −20 dB: a period-doubled note read at half its pitch, or a voice behind a high-pass.
    const absent = new SourcePhaseAnchor(signalSource(source(0.1, 1)), fs, 0.05, hop);
    assert.equal(absent.pullPerSample(centre + period / 4, centre, f0, impulse, 1), 0);
  });
});
