import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VoiceProfileRepository } from '../storage/voice-profile.repository.js';
import { FIXTURE_SENTENCES, makeSpeechFixture } from '../../tests/fixtures/speech.js';
import { ensureStockVoices, stockVoiceName } from './stock-voices.js';

test('ensureStockVoices creates profiles from TTS voices once (idempotent)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'av-stock-'));
  try {
    const repo = new VoiceProfileRepository(dir);
    let calls = 0;
    // A shorter text than the built-in one keeps the test fast; the fixture cache renders it once.
    const options = {
      count: 1,
      voiceIds: ['flite:awb'],
      synthesize: async (_text: string, voice: string) => {
        calls++;
        return makeSpeechFixture(FIXTURE_SENTENCES.slice(0, 4).join(' '), voice);
      },
    };
    assert.deepEqual(await ensureStockVoices(repo, options), ['stock-flite-awb']);
    assert.deepEqual(await ensureStockVoices(repo, options), []);
    assert.equal(calls, 1);
    const profile = await repo.get(stockVoiceName('flite:awb'));
    assert.equal(profile.origin, 'stock');
    assert.equal(profile.sources[0]?.label, 'tts:flite:awb');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
