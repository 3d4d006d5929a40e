import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSpeakerEmbedding, embeddingSimilarity } from './speaker-embedding.js';
import { FIXTURE_SENTENCES, makeSpeechFixture } from '../../tests/fixtures/speech.js';

const VOICES = ['flite:slt', 'flite:rms', 'flite:awb', 'espeak:en-us'] as const;

test('TTS voices: the same voice on another sentence is closer than any other voice', async () => {
  const embed = async (voice: string, sentence: string): Promise<Float32Array> => {
    const audio = await makeSpeechFixture(sentence, voice);
    return computeSpeakerEmbedding(audio.channels[0] as Float32Array, audio.sampleRate);
  };
  const first = await Promise.all(VOICES.map((v) => embed(v, FIXTURE_SENTENCES[0])));
  const second = await Promise.all(VOICES.map((v) => embed(v, FIXTURE_SENTENCES[4])));
  for (let i = 0; i < VOICES.length; i++) {
    const same = embeddingSimilarity(first[i] as Float32Array, second[i] as Float32Array);
    for (let j = 0; j < VOICES.length; j++) {
      if (j === i) continue;
      const other = embeddingSimilarity(first[i] as Float32Array, second[j] as Float32Array);
      assert.ok(same > other, `${VOICES[i]}: same voice ${same.toFixed(2)} vs ${VOICES[j]} ${other.toFixed(2)}`);
    }
  }
});
