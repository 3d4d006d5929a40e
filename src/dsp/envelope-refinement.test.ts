import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { resonanceEnvelope, sameTimingMcd } from '../../tests/fixtures/vocoder-signals.js';
import { analyzeVoice, type VoiceAnalysis } from './analysis.js';
import { refineEnvelopes } from './envelope-refinement.js';
import { signalSource, synthesizeVoice } from './synthesis/index.js';

const FS = 16000;
const FFT_SIZE = 1024;
const BINS = FFT_SIZE / 2 + 1;
const F0 = 130;
const FRAMES = 201;

// A vowel with narrow formants whose envelope is known exactly: our own pulses through it.
const TRUE_ENVELOPE = resonanceEnvelope(
  [
    [500, 80],
    [1500, 100],
    [2500, 150],
  ],
  FS,
  BINS,
);
const f0Hz = new Float32Array(FRAMES).fill(F0);
const truth: VoiceAnalysis = {
  sampleRate: FS,
  framePeriodMs: 5,
  fftSize: FFT_SIZE,
  f0Hz,
  voiced: new Uint8Array(FRAMES).fill(1),
  spectralEnvelope: Array.from({ length: FRAMES }, () => Float32Array.from(TRUE_ENVELOPE)),
  aperiodicity: Array.from({ length: FRAMES }, () => new Float32Array(BINS)),
  signalLength: FS,
};
const signal = synthesizeVoice(truth);
const analysis = analyzeVoice(signal, FS, { f0Track: { f0Hz, framePeriodMs: 5 } });

/** Mean |dB error| of the envelopes at the harmonics below 4 kHz, level removed per frame. */
function harmonicErrorDb(a: VoiceAnalysis): number {
  let sum = 0;
  let count = 0;
  for (let t = 40; t < FRAMES - 40; t++) {
    const errors: number[] = [];
    for (let h = 1; h * F0 < 4000; h++) {
      const k = Math.round((h * F0 * FFT_SIZE) / FS);
      const env = a.spectralEnvelope[t] as Float32Array;
      errors.push(10 * Math.log10((env[k] as number) / (TRUE_ENVELOPE[k] as number)));
    }
    const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
    for (const e of errors) sum += Math.abs(e - mean);
    count += errors.length;
  }
  return sum / count;
}

describe('refineEnvelopes (analysis by synthesis)', () => {
  test('brings the envelopes of a known vowel closer to the truth and the resynthesis closer to the recording', () => {
    const refined = refineEnvelopes(signal, analysis);
    const before = harmonicErrorDb(analysis);
    const after = harmonicErrorDb(refined);
    assert.ok(after < 0.6 * before, `harmonic error ${before.toFixed(3)} → ${after.toFixed(3)} dB`);
    const source = signalSource(signal);
    const mcdBefore = sameTimingMcd(signal, synthesizeVoice(analysis, { source }), FS);
    const mcdAfter = sameTimingMcd(signal, synthesizeVoice(refined, { source }), FS);
    assert.ok(
      mcdAfter < 0.85 * mcdBefore,
      `round-trip MCD ${mcdBefore.toFixed(3)} → ${mcdAfter.toFixed(3)} dB`,
    );
  });

  test('leaves the input analysis untouched; zero passes give an equal copy', () => {
    const before = Float32Array.from(analysis.spectralEnvelope[100] as Float32Array);
    const refined = refineEnvelopes(signal, analysis, { passes: 1 });
    assert.deepEqual(analysis.spectralEnvelope[100], before);
    assert.notDeepEqual(refined.spectralEnvelope[100], before);
    const copy = refineEnvelopes(signal, analysis, { passes: 0 });
    assert.notEqual(copy.spectralEnvelope[100], analysis.spectralEnvelope[100]);
    assert.deepEqual(copy.spectralEnvelope[100], analysis.spectralEnvelope[100]);
    assert.equal(copy.aperiodicity, analysis.aperiodicity);
  });

  test('rejects bad options and a signal that is not the analysed one with dsp.invalid_option', () => {
    for (const options of [{ passes: -1 }, { passes: 1.5 }, { passes: 11 }, { step: 0 }, { step: 1.5 }]) {
      assert.throws(() => refineEnvelopes(signal, analysis, options), { code: 'dsp.invalid_option' });
    }
    assert.throws(() => refineEnvelopes(signal.subarray(0, 1000), analysis), { code: 'dsp.invalid_option' });
  });
});
