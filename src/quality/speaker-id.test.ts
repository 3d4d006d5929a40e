import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { identifySpeaker, trainSpeakerModels } from './speaker-id.js';
import { trainGmm, gmmMeanLogLikelihood } from './gmm.js';
import { FIXTURE_SENTENCES, FIXTURE_VOICES, makeSpeechFixture } from '../../tests/fixtures/speech.js';
import { isAutoVoiceError } from '../errors/index.js';
import type { RawAudio } from '../audio/index.js';

describe('trainGmm', () => {
  test('recovers two well-separated clusters', () => {
    let s = 7;
    const rnd = (): number => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647 - 0.5;
    };
    const frames = Array.from({ length: 400 }, (_, i) => Float32Array.of((i % 2 === 0 ? -5 : 5) + rnd(), rnd()));
    const gmm = trainGmm(frames, { components: 2, iterations: 10 });
    const centres = gmm.means.map((m) => m[0]!).sort((a, b) => a - b);
    assert.ok(Math.abs(centres[0]! + 5) < 0.2 && Math.abs(centres[1]! - 5) < 0.2, String(centres));
    assert.ok(Math.abs(gmm.weights[0]! - 0.5) < 0.05);
    // A far-away point is much less likely than the training data.
    assert.ok(gmmMeanLogLikelihood(gmm, [Float32Array.of(40, 0)]) < gmmMeanLogLikelihood(gmm, frames) - 100);
  });
  test('needs enough frames', () => {
    assert.throws(() => trainGmm([Float32Array.of(1)], { components: 4 }), (e) => isAutoVoiceError(e, 'quality.invalid_input'));
  });
});

describe('identifySpeaker (GMM-UBM over MFCCs)', () => {
  test('identifies every TTS fixture voice on held-out sentences', async () => {
    const enrol = new Map<string, RawAudio[]>();
    for (const voice of FIXTURE_VOICES) {
      enrol.set(voice, await Promise.all(FIXTURE_SENTENCES.slice(0, 3).map((s) => makeSpeechFixture(s, voice))));
    }
    const models = trainSpeakerModels(enrol, { components: 16 });
    let correct = 0;
    let total = 0;
    const misses: string[] = [];
    for (const voice of FIXTURE_VOICES) {
      for (const sentence of FIXTURE_SENTENCES.slice(4, 6)) {
        const ranking = identifySpeaker(models, await makeSpeechFixture(sentence, voice));
        total++;
        if (ranking[0]!.speaker === voice) correct++;
        else misses.push(`${voice} → ${ranking[0]!.speaker}`);
      }
    }
    assert.ok(correct / total >= 0.9, `${correct}/${total} correct; ${misses.join(', ')}`);
  });
});
