import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { FIXTURE_SENTENCES, makeLongSpeechFixture } from '../../tests/fixtures/speech.js';
import { computeSpeakerEmbedding, embeddingSimilarity } from '../quality/index.js';
import { synthesizeSpeech } from '../tts/index.js';
import type { VoiceProfile } from '../voice/voice-profile.js';
import { createVoiceProfile } from './create-profile.pipeline.js';
import type { ProgressEvent } from './progress.js';
import {
  chooseBaseVoice,
  collectAudio,
  synthesizeWithVoice,
  synthesizeWithVoiceStream,
} from './synthesize.pipeline.js';

const TEXT = 'Could you bring the blue folder to the meeting this afternoon? Thank you very much.';

describe('chooseBaseVoice', () => {
  const withMedian = (medianHz: number) => ({ pitch: { medianHz } }) as Pick<VoiceProfile, 'pitch'>;
  test('picks the English base voice nearest in pitch and a bounded offset toward the target', () => {
    assert.deepEqual(chooseBaseVoice(withMedian(100)), { voiceId: 'flite:rms', pitchSemitones: -0.2 });
    assert.equal(chooseBaseVoice(withMedian(220)).voiceId, 'flite:slt');
    assert.equal(chooseBaseVoice(withMedian(400)).pitchSemitones, 6);
    assert.equal(chooseBaseVoice(withMedian(130)).voiceId, 'flite:awb');
  });
  test('other languages use espeak in that language, female variant for high voices', () => {
    assert.equal(chooseBaseVoice(withMedian(210), 'de').voiceId, 'espeak:de+f2');
    assert.equal(chooseBaseVoice(withMedian(95), 'fr').voiceId, 'espeak:fr');
  });
});

describe('synthesizeWithVoice', () => {
  let profile: VoiceProfile;
  before(async () => {
    // The target: a male voice (flite rms) cloned from ~20 s of speech.
    const recording = await makeLongSpeechFixture('flite:rms');
    profile = (await createVoiceProfile([recording], { name: 'target-rms' })).profile;
  });

  test('stock voices pass straight through to the TTS engine', async () => {
    const result = await synthesizeWithVoice(FIXTURE_SENTENCES[0], { voice: 'flite:kal16' });
    assert.deepEqual(result.voice, { kind: 'tts', id: 'flite:kal16' });
    assert.deepEqual(
      result.audio.channels[0],
      (await synthesizeSpeech(FIXTURE_SENTENCES[0], { voice: 'flite:kal16' })).channels[0],
    );
  });

  test('a cloned voice is measurably closer to the target than the base voice is', async () => {
    const events: ProgressEvent[] = [];
    // Force a distant base (female slt) so the conversion has real work to do.
    const result = await synthesizeWithVoice(TEXT, {
      voice: profile,
      baseVoice: 'flite:slt',
      onProgress: (e) => events.push(e),
    });
    const base = await synthesizeSpeech(TEXT, { voice: 'flite:slt' });
    const samples = result.audio.channels[0] ?? new Float32Array(0);
    const baseSimilarity = embeddingSimilarity(
      computeSpeakerEmbedding(base.channels[0] ?? new Float32Array(0), base.sampleRate),
      profile.embedding,
    );
    const clonedSimilarity = embeddingSimilarity(
      computeSpeakerEmbedding(samples, result.audio.sampleRate),
      profile.embedding,
    );
    assert.ok(
      clonedSimilarity > baseSimilarity + 0.05,
      `similarity to target: cloned ${clonedSimilarity}, base ${baseSimilarity}`,
    );
    assert.equal(result.metrics?.similarity.toTarget !== null, true);
    assert.equal(result.voice.kind, 'profile');
    assert.deepEqual([...new Set(events.map((e) => e.stage))], ['synthesize', 'convert', 'finish']);
    assert.equal(events[events.length - 1]?.fraction, 1);
  });

  test('streams a cloned voice sentence by sentence', async () => {
    const chunks = [];
    for await (const chunk of synthesizeWithVoiceStream(TEXT, { voice: profile })) chunks.push(chunk);
    assert.equal(chunks.length, 2);
    const whole = await collectAudio(synthesizeWithVoiceStream(TEXT, { voice: profile }));
    assert.equal(
      whole.channels[0]?.length,
      chunks.reduce((n, c) => n + (c.channels[0]?.length ?? 0), 0),
    );
  });
});
