import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VOWEL_A, VOWEL_I, f0TrackOf, syntheticVowel } from '../../../tests/fixtures/vocoder-signals.js';
import { analyzeVoice, type VoiceAnalysis } from '../analysis.js';
import { estimateF0 } from '../pitch/index.js';
import { synthesizeVoice } from '../synthesis/index.js';
import { scaleBreathiness } from './breathiness.js';
import { shiftFormants } from './formant-shift.js';
import { replaceF0, shiftPitch } from './pitch-transforms.js';
import { applySpectralTilt } from './spectral-tilt.js';
import { stretchTime } from './time-stretch.js';

const FS = 16000;

function analyse(
  base: number,
  vowel = VOWEL_I,
  seconds = 0.6,
): { signal: Float32Array; analysis: VoiceAnalysis } {
  const { signal, f0 } = syntheticVowel(base, seconds, FS, vowel);
  const analysis = analyzeVoice(signal, FS, {
    f0Track: { f0Hz: f0TrackOf(f0, signal.length, FS, 5), framePeriodMs: 5 },
  });
  return { signal, analysis };
}

function medianF0(signal: Float32Array): number {
  const track = estimateF0(signal, FS);
  const voiced = Array.from(track.f0Hz.subarray(10, track.f0Hz.length - 10)).filter((f) => f > 0);
  voiced.sort((a, b) => a - b);
  return voiced[voiced.length >> 1] as number;
}

/** Frequency of the envelope's maximum between loHz and hiHz, averaged over the middle frames. */
function envelopePeakHz(a: VoiceAnalysis, loHz: number, hiHz: number): number {
  const bins = a.fftSize / 2 + 1;
  const mean = new Float64Array(bins);
  const frames = a.spectralEnvelope.slice(20, a.spectralEnvelope.length - 20);
  for (const f of frames)
    for (let k = 0; k < bins; k++) mean[k] = (mean[k] as number) + Math.log(f[k] as number);
  let best = -Infinity;
  let bestK = 0;
  for (let k = Math.ceil((loHz * a.fftSize) / FS); k <= (hiHz * a.fftSize) / FS; k++) {
    if ((mean[k] as number) > best) {
      best = mean[k] as number;
      bestK = k;
    }
  }
  return (bestK * FS) / a.fftSize;
}

describe('transforms', () => {
  test('shiftPitch realises the shift in cents (via estimateF0) and keeps the formants', () => {
    const { signal, analysis } = analyse(160);
    for (const semitones of [4, -3]) {
      const shifted = shiftPitch(analysis, semitones);
      const y = synthesizeVoice(shifted);
      const cents = 1200 * Math.log2(medianF0(y) / medianF0(signal));
      assert.ok(Math.abs(cents - 100 * semitones) < 10, `${semitones} st realised ${cents.toFixed(1)} cents`);
      // Formants: re-analyse the output at its new F0; F2 of /i/ (2290 Hz) stays put.
      const again = analyzeVoice(y, FS, { f0Track: { f0Hz: shifted.f0Hz, framePeriodMs: 5 } });
      const peak = envelopePeakHz(again, 1800, 2800);
      assert.ok(Math.abs(peak - envelopePeakHz(analysis, 1800, 2800)) < 120, `F2 ${peak} Hz`);
    }
    assert.throws(() => shiftPitch(analysis, Number.NaN), { code: 'dsp.invalid_option' });
  });

  test('replaceF0 renders the given contour', () => {
    const { analysis } = analyse(150);
    const contour = new Float32Array(analysis.f0Hz.length).fill(210);
    const y = synthesizeVoice(replaceF0(analysis, contour));
    assert.ok(Math.abs(1200 * Math.log2(medianF0(y) / 210)) < 15);
    assert.throws(() => replaceF0(analysis, new Float32Array(3)), { code: 'dsp.invalid_option' });
  });

  test('shiftFormants moves the envelope peak by the factor', () => {
    const { analysis } = analyse(130, VOWEL_A);
    const before = envelopePeakHz(analysis, 500, 1000); // F1 of /a/ ≈ 730 Hz
    for (const factor of [1.2, 0.85]) {
      const after = envelopePeakHz(shiftFormants(analysis, factor), 500 * factor, 1000 * factor);
      assert.ok(Math.abs(after / before - factor) < 0.04, `factor ${factor}: ${before} → ${after} Hz`);
    }
    assert.equal(
      shiftFormants(analysis, 1).spectralEnvelope[30]?.[100],
      analysis.spectralEnvelope[30]?.[100],
    );
  });

  test('applySpectralTilt changes the level by dB per octave around 1 kHz', () => {
    const { analysis } = analyse(150);
    const tilted = applySpectralTilt(analysis, -6);
    const ratioDb = (hz: number): number => {
      const k = Math.round((hz * analysis.fftSize) / FS);
      return (
        10 *
        Math.log10(
          (tilted.spectralEnvelope[40]?.[k] as number) / (analysis.spectralEnvelope[40]?.[k] as number),
        )
      );
    };
    assert.ok(Math.abs(ratioDb(1000)) < 0.1);
    assert.ok(Math.abs(ratioDb(4000) + 12) < 0.3, `4 kHz: ${ratioDb(4000)} dB`);
    assert.ok(Math.abs(ratioDb(500) - 6) < 0.3);
  });

  test('scaleBreathiness scales voiced aperiodicity and clamps at 1', () => {
    const { analysis } = analyse(150);
    const t = 40;
    const k = 100;
    const before = analysis.aperiodicity[t]?.[k] as number;
    assert.ok(
      Math.abs((scaleBreathiness(analysis, 3).aperiodicity[t]?.[k] as number) - Math.min(1, 3 * before)) <
        1e-6,
    );
    assert.ok(scaleBreathiness(analysis, 1e3 / 10).aperiodicity[t]?.every((v) => v <= 1));
    assert.ok(scaleBreathiness(analysis, 0).aperiodicity[t]?.every((v) => v === 0));
  });

  test('stretchTime changes the length by the factor and keeps F0', () => {
    const { signal, analysis } = analyse(180, VOWEL_I, 0.5);
    for (const factor of [1.5, 0.7]) {
      const stretched = stretchTime(analysis, factor);
      const y = synthesizeVoice(stretched);
      assert.equal(y.length, Math.round(signal.length * factor));
      assert.ok(Math.abs(1200 * Math.log2(medianF0(y) / medianF0(signal))) < 15);
    }
  });
});
