import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gaussianNoise, resonanceEnvelope, sameTimingMcd } from '../../tests/fixtures/vocoder-signals.js';
import { analyzeVoice, type VoiceAnalysis } from './analysis.js';
import { refineAnalysis } from './analysis-refinement.js';
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

/** Mean aperiodicity² over voiced frames 40..FRAMES-40, between `loHz` and `hiHz`. */
function meanAperiodicPower(a: VoiceAnalysis, loHz: number, hiHz: number): number {
  let sum = 0;
  let count = 0;
  for (let t = 40; t < FRAMES - 40; t++) {
    const ap = a.aperiodicity[t] as Float32Array;
    for (let k = Math.ceil((loHz * FFT_SIZE) / FS); k <= Math.floor((hiHz * FFT_SIZE) / FS); k++) {
      sum += (ap[k] as number) ** 2;
      count++;
    }
  }
  return sum / count;
}

describe('refineAnalysis (analysis by synthesis)', () => {
  test('brings the envelopes of a known vowel closer to the truth and the resynthesis closer to the recording', () => {
    const refined = refineAnalysis(signal, analysis);
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

  test('leaves the input analysis untouched; no passes and no de-bias give an equal copy', () => {
    const before = Float32Array.from(analysis.spectralEnvelope[100] as Float32Array);
    const apBefore = Float32Array.from(analysis.aperiodicity[100] as Float32Array);
    const refined = refineAnalysis(signal, analysis, { passes: 1 });
    assert.deepEqual(analysis.spectralEnvelope[100], before);
    assert.deepEqual(analysis.aperiodicity[100], apBefore);
    assert.notDeepEqual(refined.spectralEnvelope[100], before);
    const copy = refineAnalysis(signal, analysis, { passes: 0, debiasAperiodicity: false });
    assert.notEqual(copy.spectralEnvelope[100], analysis.spectralEnvelope[100]);
    assert.deepEqual(copy.spectralEnvelope[100], analysis.spectralEnvelope[100]);
    assert.equal(copy.aperiodicity, analysis.aperiodicity);
  });

  test('the de-bias removes the aperiodicity envelope jitter reads as, and renders noise that reads closer to the recording', () => {
    // No noise at all, but formants that wobble from frame to frame as estimated envelopes do:
    // each pulse's response differs from the last, which the estimator reads as noise.
    const wobble = gaussianNoise(3 * FRAMES, 1, 11);
    const wobbly: VoiceAnalysis = {
      ...truth,
      spectralEnvelope: Array.from({ length: FRAMES }, (_, t) =>
        resonanceEnvelope(
          [
            [500 + 40 * (wobble[3 * t] as number), 80],
            [1500 + 80 * (wobble[3 * t + 1] as number), 100],
            [2500 + 120 * (wobble[3 * t + 2] as number), 150],
          ],
          FS,
          BINS,
        ),
      ),
    };
    // The options the analysis was made with go to the refinement too.
    const options = { aperiodicity: { smoothingHarmonics: 1 } };
    const analyse = (x: Float32Array): VoiceAnalysis =>
      analyzeVoice(x, FS, { f0Track: { f0Hz, framePeriodMs: 5 }, ...options });
    const wobblySignal = synthesizeVoice(wobbly);
    const read = analyse(wobblySignal);
    const debiased = refineAnalysis(wobblySignal, read, { passes: 0, ...options });
    const before = meanAperiodicPower(read, 1500, 6000);
    const after = meanAperiodicPower(debiased, 1500, 6000);
    assert.ok(before > 0.2, `the estimator reads the jitter as noise: ap² ${before.toFixed(3)} (true 0)`);
    assert.ok(after < 0.4 * before, `ap² ${before.toFixed(3)} → ${after.toFixed(3)} (true 0)`);
    // Static formants and real noise (a quarter of the power): the estimator reads it right, but a
    // resynthesis from that reading adds the jitter of envelopes estimated through noise and
    // re-reads noisier; the de-biased analysis renders closer to the recording's reading.
    const noisy: VoiceAnalysis = {
      ...truth,
      aperiodicity: Array.from({ length: FRAMES }, () => new Float32Array(BINS).fill(0.5)),
    };
    const noisySignal = synthesizeVoice(noisy);
    const noisyRead = analyse(noisySignal);
    const recording = meanAperiodicPower(noisyRead, 1500, 6000);
    assert.ok(
      Math.abs(recording - 0.25) < 0.03,
      `ap² of the noisy vowel ${recording.toFixed(3)} (true 0.25)`,
    );
    const plainRendering = meanAperiodicPower(analyse(synthesizeVoice(noisyRead)), 1500, 6000);
    const debiasedRendering = meanAperiodicPower(
      analyse(synthesizeVoice(refineAnalysis(noisySignal, noisyRead, { passes: 0, ...options }))),
      1500,
      6000,
    );
    assert.ok(
      Math.abs(debiasedRendering - recording) < 0.8 * Math.abs(plainRendering - recording),
      `re-read ap²: recording ${recording.toFixed(3)}, plain resynthesis ${plainRendering.toFixed(3)}, de-biased ${debiasedRendering.toFixed(3)}`,
    );
  });

  test('rejects bad options and a signal that is not the analysed one with dsp.invalid_option', () => {
    for (const options of [{ passes: -1 }, { passes: 1.5 }, { passes: 11 }, { step: 0 }, { step: 1.5 }]) {
      assert.throws(() => refineAnalysis(signal, analysis, options), { code: 'dsp.invalid_option' });
    }
    assert.throws(() => refineAnalysis(signal.subarray(0, 1000), analysis), { code: 'dsp.invalid_option' });
  });
});
