import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeConversionMetrics } from './result-metrics.js';
import { computeSpeakerEmbedding } from './speaker-embedding.js';
import { estimateSnrDb } from './snr-estimate.js';
import { detectClipping } from './clipping.js';
import { renderFormantVoice } from '../../tests/fixtures/formant-voice.js';
import { monoAudio } from '../audio/index.js';
import { isAutoVoiceError } from '../errors/index.js';

const SR = 16000;
const male = { f0Hz: 110, formantScale: 1, sourceLowpass: 0.6 };
const female = { f0Hz: 220, formantScale: 1.2, sourceLowpass: 0.3 };

function noise(n: number, amp: number, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return amp * ((s / 2147483648) * 2 - 1);
  });
}

describe('estimateSnrDb', () => {
  test('tone bursts over white noise at a known SNR', () => {
    const n = SR * 2;
    const tone = Float32Array.from({ length: n }, (_, i) => (Math.floor(i / 4000) % 2 === 0 ? Math.sin(i * 0.1) : 0));
    // tone power 0.5; noise power amp²/3 → 20 dB SNR when amp² = 0.015
    const mix = noise(n, Math.sqrt(0.015)).map((v, i) => v + (tone[i] as number));
    assert.ok(Math.abs(estimateSnrDb(mix, SR) - 20) < 1.5, String(estimateSnrDb(mix, SR)));
    assert.equal(estimateSnrDb(tone, SR), 60); // digital silence between bursts
  });
});

describe('detectClipping', () => {
  test('flat tops count, a clean sine does not', () => {
    const sine = Float32Array.from({ length: 48000 }, (_, i) => 0.9 * Math.sin((2 * Math.PI * 200 * i) / 48000));
    assert.equal(detectClipping(sine).clippedFraction, 0);
    const clipped = sine.map((v) => Math.max(-0.5, Math.min(0.5, v)));
    const r = detectClipping(clipped);
    // |0.9·sin| ≥ 0.5 for 1 − 2·asin(0.5/0.9)/π ≈ 0.625 of the time
    assert.ok(Math.abs(r.clippedFraction - 0.625) < 0.01, String(r.clippedFraction));
  });
});

describe('computeConversionMetrics', () => {
  test('speech: perfect intonation correlation, similarity higher to the target voice', () => {
    const src = renderFormantVoice(male, 'aiuoe', SR).signal;
    const out = renderFormantVoice({ ...female, f0Hz: 165 }, 'aiuoe', SR).signal; // same contour, a fifth up
    const target = computeSpeakerEmbedding(renderFormantVoice(female, 'oeiua', SR).signal, SR);
    const m = computeConversionMetrics({ source: monoAudio(src, SR), output: monoAudio(out, SR), mode: 'speech', targetEmbedding: target });
    assert.ok(m.pitch.logF0Correlation !== null && m.pitch.logF0Correlation > 0.9, JSON.stringify(m.pitch));
    assert.ok(m.similarity.toTarget !== null && m.similarity.toSource !== null);
    assert.ok(m.similarity.toTarget > m.similarity.toSource, JSON.stringify(m.similarity));
    assert.ok(m.loudness.integratedLufs !== null && m.loudness.integratedLufs < 0);
    assert.equal(m.clippingFraction, 0);
    assert.ok(m.snrDb !== null && m.snrDb > 15, String(m.snrDb)); // no pauses: the floor estimate is conservative
    assert.doesNotThrow(() => JSON.stringify(m));
  });
  test('singing: RPA against the melody transposed by the inferred octave', () => {
    const singer = { ...male, formantScale: 1.2 };
    const src = renderFormantVoice(singer, 'aaoo', SR).signal;
    const out = renderFormantVoice({ ...singer, f0Hz: 220 }, 'aaoo', SR).signal;
    const m = computeConversionMetrics({ source: src, output: out, sampleRate: SR, mode: 'singing', profile: { embedding: computeSpeakerEmbedding(src, SR) } });
    assert.equal(m.pitch.transpositionSemitones, 12);
    assert.ok(m.pitch.rawPitchAccuracy !== null && m.pitch.rawPitchAccuracy > 0.95, JSON.stringify(m.pitch));
    const wrong = computeConversionMetrics({ source: src, output: out, sampleRate: SR, mode: 'singing', semitones: 7 });
    assert.ok(wrong.pitch.rawPitchAccuracy !== null && wrong.pitch.rawPitchAccuracy < 0.1);
    assert.equal(wrong.similarity.toTarget, null);
  });
  test('needs a sample rate for bare samples', () => {
    assert.throws(
      () => computeConversionMetrics({ source: new Float32Array(10), output: new Float32Array(10), mode: 'keep' }),
      (e) => isAutoVoiceError(e, 'quality.invalid_input'),
    );
  });
});
