import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { measureIntegratedLoudness, monoAudio, type RawAudio } from '../audio/index.js';
import { estimateF0 } from '../dsp/pitch/index.js';
import { isAutoVoiceError } from '../errors/index.js';
import { computeSpeakerEmbedding, embeddingSimilarity, rawPitchAccuracy } from '../quality/index.js';
import type { VoiceProfile } from '../voice/voice-profile.js';
import { FIXTURE_SENTENCES, makeSpeechFixture } from '../../tests/fixtures/speech.js';
import { contours, renderHarmonic, truthTrack } from '../../tests/fixtures/pitch-signals.js';
import { convertVoice } from './convert-voice.pipeline.js';
import { createVoiceProfile } from './create-profile.pipeline.js';

let target: VoiceProfile;
before(async () => {
  // Target: a female TTS voice, profile from five sentences; sources below are other voices/sentences.
  target = (
    await createVoiceProfile(
      [await makeSpeechFixture(FIXTURE_SENTENCES.slice(0, 5).join(' '), 'flite:slt')],
      { name: 'slt' },
    )
  ).profile;
});

const mono = (a: RawAudio): Float32Array => a.channels[0] as Float32Array;

/** A sung melody with known notes (harmonic source through vowel formants), 16 kHz. */
const NOTES: [number, number][] = [
  [0, 220],
  [0.6, 246.94],
  [1.2, 293.66],
  [1.8, 329.63],
  [2.4, 293.66],
  [3.0, 246.94],
];
const melodyContour = contours.notes(NOTES);
const MELODY_SECONDS = 3.6;
const melody = monoAudio(renderHarmonic(melodyContour, MELODY_SECONDS, 16000), 16000);

function pitchAccuracyAgainst(out: RawAudio, semitones: number): number {
  const est = estimateF0(mono(out), out.sampleRate, { framePeriodMs: 10 }).f0Hz;
  const intended = truthTrack((t) => melodyContour(t) * 2 ** (semitones / 12), MELODY_SECONDS, 10).subarray(
    0,
    est.length,
  );
  // Skip 40 ms around each note change: the vocoder glides, the truth steps.
  const ref = intended.map((f, i) => (NOTES.some(([s]) => Math.abs(i * 0.01 - s) < 0.04) ? 0 : f));
  return rawPitchAccuracy(ref, est);
}

describe('convertVoice', () => {
  test('speech: keeps duration and loudness, moves the voice toward the target', async () => {
    const source = await makeSpeechFixture(FIXTURE_SENTENCES[5], 'flite:rms');
    const { audio, metrics, plan } = await convertVoice(source, target, { mode: 'speech' });
    assert.equal(audio.sampleRate, source.sampleRate);
    assert.equal(mono(audio).length, mono(source).length);
    assert.ok(Math.abs(measureIntegratedLoudness(audio) - measureIntegratedLoudness(source)) < 0.5);
    const before = embeddingSimilarity(
      computeSpeakerEmbedding(mono(source), source.sampleRate),
      target.embedding,
    );
    const after = embeddingSimilarity(
      computeSpeakerEmbedding(mono(audio), audio.sampleRate),
      target.embedding,
    );
    assert.ok(after > before + 0.2, `similarity to target ${before.toFixed(2)} -> ${after.toFixed(2)}`);
    // A male source into a female voice goes up by most of an octave.
    assert.ok(plan.semitones > 5, `semitones ${plan.semitones}`);
    assert.ok(metrics !== undefined && metrics.similarity.toTarget !== null);
  });

  test('singing: the melody is kept exactly, transposed by whole octaves or by the semitones asked', async () => {
    const auto = await convertVoice(melody, target, { mode: 'singing', skipMetrics: true });
    assert.ok(Number.isInteger(auto.plan.semitones / 12), `semitones ${auto.plan.semitones}`);
    const rpaAuto = pitchAccuracyAgainst(auto.audio, auto.plan.semitones);
    assert.ok(rpaAuto >= 0.95, `RPA ${rpaAuto}`);
    const up = await convertVoice(melody, target, { mode: 'singing', pitch: '+3', skipMetrics: true });
    assert.equal(up.plan.semitones, 3);
    const rpaUp = pitchAccuracyAgainst(up.audio, 3);
    assert.ok(rpaUp >= 0.95, `RPA ${rpaUp}`);
  });

  test('chunked conversion is seamless: no clicks at chunk boundaries, same result as one chunk', async () => {
    const source = await makeSpeechFixture(FIXTURE_SENTENCES.slice(0, 3).join(' '), 'flite:awb');
    const small = await convertVoice(source, target, { chunkSeconds: 2, skipMetrics: true });
    const large = await convertVoice(source, target, { chunkSeconds: 60, skipMetrics: true });
    assert.ok(small.plan.chunks >= 4 && large.plan.chunks === 1);
    const a = mono(small.audio);
    const b = mono(large.audio);
    let diff = 0;
    let energy = 0;
    for (let i = 0; i < a.length; i++) {
      diff += ((a[i] as number) - (b[i] as number)) ** 2;
      energy += (b[i] as number) ** 2;
    }
    assert.ok(diff / energy < 1e-3, `relative difference ${diff / energy}`);
    // Largest sample-to-sample jump within 5 ms of a boundary vs anywhere.
    const rate = small.audio.sampleRate;
    let jumpNear = 0;
    let jumpAll = 0;
    for (let i = 1; i < a.length; i++) {
      const j = Math.abs((a[i] as number) - (a[i - 1] as number));
      jumpAll = Math.max(jumpAll, j);
      const t = i / rate;
      if (Math.abs(t / 2 - Math.round(t / 2)) * 2 < 0.005) jumpNear = Math.max(jumpNear, j);
    }
    assert.ok(jumpNear <= jumpAll, `boundary jump ${jumpNear} vs max ${jumpAll}`);
    assert.ok(jumpNear < 0.5);
  });

  test('rejects bad options with usage errors', async () => {
    await assert.rejects(convertVoice(melody, target, { mode: 'opera' as never }), (e) =>
      isAutoVoiceError(e, 'usage.invalid_argument'),
    );
    await assert.rejects(convertVoice(melody, target, { pitch: '+99' }), (e) =>
      isAutoVoiceError(e, 'usage.invalid_argument'),
    );
  });
});
