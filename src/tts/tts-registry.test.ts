import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDefaultPiperTestVoice } from '../../tests/fixtures/piper-test-voice.js';
import { listTtsVoices } from './synthesize-speech.js';
import { configureDefaultTtsRegistry } from './tts-registry.js';

test('the default registry lists Piper voices from the folders the service configures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'autovoice-piper-dirs-'));
  try {
    writeDefaultPiperTestVoice(dir);
    configureDefaultTtsRegistry({ piperVoiceDirs: [dir] });
    const piper = await listTtsVoices({ engines: ['piper'] });
    assert.deepEqual(
      piper.map((v) => v.id),
      ['piper:test-voice'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
