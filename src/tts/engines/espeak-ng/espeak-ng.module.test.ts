import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEspeakNg, type EspeakNg } from './espeak-ng.module.js';

const PROSODY = { wordsPerMinute: 175, pitch: 50, pitchRange: 50 };

/** Starts an instance while the clock reads `clockMs`, as a process started then would. */
async function startedAt(clockMs: number): Promise<EspeakNg> {
  const realNow = Date.now;
  Date.now = () => clockMs;
  try {
    return await createEspeakNg();
  } finally {
    Date.now = realNow;
  }
}

test('instances started at different times speak the same requests with the same samples', async () => {
  const first = await startedAt(Date.UTC(2026, 0, 1));
  const second = await startedAt(Date.UTC(2026, 5, 1, 12, 34, 56));
  // en-us+f3 is a Klatt voice: its breathy source is drawn from espeak's noise generator.
  const text = 'She sells sea shells by the sea shore.';
  for (const voice of ['en-us+f3', 'en-us']) {
    const a = await first.synthesize(text, voice, PROSODY);
    const b = await second.synthesize(text, voice, PROSODY);
    assert.ok(a.length > 22050, `${voice}: expected over a second of speech, got ${a.length} samples`);
    assert.deepEqual(b, a, `${voice}: the two instances differ`);
  }
});
