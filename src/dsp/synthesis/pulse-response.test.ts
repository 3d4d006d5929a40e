import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resonanceEnvelope } from '../../../tests/fixtures/vocoder-signals.js';
import { getRealFft } from '../fft.js';
import { PulseResponseBuilder, defaultPulseFftSize } from './pulse-response.js';

const FS = 16000;
const BINS = 513;

/** Power of `response` at `hz` (zero-padded DFT of the whole buffer). */
function powerAt(response: Float32Array, hz: number): number {
  const fft = getRealFft(8192);
  const power = new Float64Array(fft.binCount);
  const padded = new Float64Array(8192);
  padded.set(response);
  fft.powerSpectrum(padded, power);
  return power[Math.round((hz * 8192) / FS)] as number;
}

describe('PulseResponseBuilder', () => {
  const builder = new PulseResponseBuilder(FS, BINS, defaultPulseFftSize(FS));

  test('a flat periodic envelope gives a flat response above F0 and nothing below it', () => {
    const out = builder.createBuffer();
    const length = builder.compute(new Float32Array(BINS).fill(1), new Float32Array(BINS), 200, out);
    assert.ok(length > 0 && length <= out.length && length % 8 === 0, `effective length ${length}`);
    // Power per sample 1 → |H|² = 1 at every frequency the high-pass leaves alone.
    for (const hz of [400, 1000, 3000, 6000]) {
      const db = 10 * Math.log10(powerAt(out, hz));
      assert.ok(Math.abs(db) < 0.5, `${hz} Hz: ${db.toFixed(2)} dB, want 0 ± 0.5`);
    }
    // The 4th-order high-pass at F0/2 = 100 Hz: 24 dB per octave below it.
    assert.ok(10 * Math.log10(powerAt(out, 25)) < -40, 'a quarter of the cut-off is 48 dB down');
    let dc = 0;
    for (const v of out) dc += v;
    assert.ok(Math.abs(dc) < 1e-4, `DC ${dc}`);
  });

  test('the response follows the envelope times 1 - aperiodicity² and has its energy in the first samples', () => {
    const envelope = resonanceEnvelope([[1000, 100]], FS, BINS);
    const aperiodicity = new Float32Array(BINS).fill(Math.SQRT1_2); // half the power is aperiodic
    const out = builder.createBuffer();
    const length = builder.compute(envelope, aperiodicity, 150, out);
    const peak = powerAt(out, 1000);
    const expected = 0.5 * (envelope[Math.round((1000 / 8000) * (BINS - 1))] as number);
    assert.ok(Math.abs(10 * Math.log10(peak / expected)) < 0.5, `peak ${peak} vs ${expected}`);
    assert.ok(powerAt(out, 3000) < peak / 100, 'the resonance stands 20 dB above 3 kHz');
    let tail = 0;
    for (let n = length; n < out.length; n++) tail += (out[n] as number) ** 2;
    let total = 0;
    for (const v of out) total += v * v;
    assert.ok(tail <= 1.01e-6 * total, 'the samples past the effective length hold < -60 dB');
  });

  test('fully aperiodic frames give a silent response', () => {
    const out = builder.createBuffer();
    builder.compute(new Float32Array(BINS).fill(1), new Float32Array(BINS).fill(1), 200, out);
    let energy = 0;
    for (const v of out) energy += v * v;
    assert.ok(energy < 1e-12, `energy ${energy}`);
  });
});
