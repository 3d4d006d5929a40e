import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSpeakerEmbedding, embeddingSimilarity, SPEAKER_EMBEDDING_LENGTH } from './speaker-embedding.js';
import { renderFormantVoice, type FormantVoice } from '../../tests/fixtures/formant-voice.js';
import { isAutoVoiceError } from '../errors/index.js';

const SR = 16000;
const voices: FormantVoice[] = [
  { f0Hz: 105, formantScale: 1, sourceLowpass: 0.6 },
  { f0Hz: 210, formantScale: 1.2, sourceLowpass: 0.3 },
  { f0Hz: 150, formantScale: 1.1, sourceLowpass: 0.45 },
];

describe('computeSpeakerEmbedding', () => {
  test('fixed length, unit norm, deterministic', () => {
    const { signal } = renderFormantVoice(voices[0]!, 'aiu', SR);
    const e = computeSpeakerEmbedding(signal, SR);
    assert.equal(e.length, SPEAKER_EMBEDDING_LENGTH);
    let n = 0;
    for (const v of e) n += v * v;
    assert.ok(Math.abs(n - 1) < 1e-5);
    assert.deepEqual(computeSpeakerEmbedding(signal, SR), e);
    assert.ok(Math.abs(embeddingSimilarity(e, e) - 1) < 1e-6);
  });
  test('the same voice on different material is more similar than any other voice', () => {
    const first = voices.map((v) => computeSpeakerEmbedding(renderFormantVoice(v, 'aiuoe', SR).signal, SR));
    const second = voices.map((v) => computeSpeakerEmbedding(renderFormantVoice(v, 'ouaei', SR).signal, SR));
    for (let i = 0; i < voices.length; i++) {
      const same = embeddingSimilarity(first[i]!, second[i]!);
      for (let j = 0; j < voices.length; j++) {
        if (j === i) continue;
        const other = embeddingSimilarity(first[i]!, second[j]!);
        assert.ok(same > other + 0.05, `voice ${i}: same ${same.toFixed(3)} vs voice ${j} ${other.toFixed(3)}`);
      }
    }
  });
  test('pools several recordings; rejects silence', () => {
    const a = renderFormantVoice(voices[0]!, 'ai', SR).signal;
    const b = renderFormantVoice(voices[0]!, 'uo', SR).signal;
    assert.equal(computeSpeakerEmbedding([a, b], SR).length, SPEAKER_EMBEDDING_LENGTH);
    assert.throws(() => computeSpeakerEmbedding(new Float32Array(100), SR), (e) => isAutoVoiceError(e, 'quality.invalid_input'));
  });
});
