import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writePiperTestVoice } from '../../../tests/fixtures/piper-test-voice.js';
import { makeLongSpeechFixture } from '../../../tests/fixtures/speech.js';
import { readAudioFile } from '../../audio/index.js';
import { createVoiceProfile } from '../../pipelines/create-profile.pipeline.js';
import { VoiceProfileRepository } from '../../storage/voice-profile.repository.js';
import { runCliCaptured, type CliRun } from '../../../tests/fixtures/run-cli.js';

let dir: string;

/** Runs the CLI in-process with a private data dir and captures what it prints. */
function cli(argv: string[]): Promise<CliRun> {
  return runCliCaptured(argv, { env: { AUTOVOICE_DATA_DIR: join(dir, 'data') }, cwd: dir });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autovoice-tts-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('autovoice tts', () => {
  test('--list-voices --json lists engine voices with language and sample rate; Piper voices from <dataDir>/piper', async () => {
    writePiperTestVoice(join(dir, 'data', 'piper'), 'tiny');
    const { code, stdout } = await cli(['tts', '--list-voices', '--json']);
    assert.equal(code, 0);
    const { voices } = JSON.parse(stdout) as {
      voices: { id: string; language: string; sampleRate: number }[];
    };
    assert.deepEqual(
      voices.find((v) => v.id === 'flite:slt'),
      {
        engine: 'flite',
        id: 'flite:slt',
        name: 'flite slt',
        language: 'en-us',
        sampleRate: 16000,
        gender: 'female',
      },
    );
    assert.ok(voices.some((v) => v.id === 'espeak:fr-fr'));
    assert.ok(voices.some((v) => v.id === 'piper:tiny'));
    const text = await cli(['tts', '--list-voices', '--engine', 'flite']);
    assert.match(text.stdout, /flite:kal16 +en-us +16000 Hz/);
  });

  test('speaks to a WAV file with rate and reports it', async () => {
    const { code, stdout, stderr } = await cli([
      'tts',
      'Hello from the command line.',
      '--voice',
      'flite:kal16',
      '--rate',
      '1.2',
      '--out',
      'hello.wav',
      '--json',
    ]);
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout) as {
      voice: { kind: string; id: string };
      sampleRate: number;
      durationSeconds: number;
    };
    assert.deepEqual(doc.voice, { kind: 'tts', id: 'flite:kal16' });
    const { audio, info } = await readAudioFile(join(dir, 'hello.wav'));
    assert.equal(info.sampleRate, 16000);
    assert.ok(Math.abs(audio.channels[0]!.length / 16000 - doc.durationSeconds) < 0.01);
  });

  test('runs a Piper model given with --model', async () => {
    const model = writePiperTestVoice(join(dir, 'models'), 'cli-voice');
    const { code, stderr } = await cli(['tts', 'Hi there.', '--model', model, '--out', 'piper.wav']);
    assert.equal(code, 0, stderr);
    assert.equal((await readAudioFile(join(dir, 'piper.wav'))).info.sampleRate, 22050);
  });

  test('--voice naming a voice profile speaks in the cloned voice', async () => {
    const { profile } = await createVoiceProfile([await makeLongSpeechFixture('flite:rms')], {
      name: 'deep-voice',
    });
    await new VoiceProfileRepository(join(dir, 'data')).create(profile);
    const { code, stdout, stderr } = await cli([
      'tts',
      'Good evening, everyone.',
      '--voice',
      'deep-voice',
      '--out',
      'cloned.wav',
      '--json',
    ]);
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout) as {
      voice: { kind: string; name: string; baseVoice: string };
      metrics: { similarity: { toTarget: number } };
    };
    assert.equal(doc.voice.kind, 'profile');
    assert.equal(doc.voice.name, 'deep-voice');
    assert.equal(doc.voice.baseVoice, 'flite:rms'); // the base nearest a low male voice
    assert.equal(typeof doc.metrics.similarity.toTarget, 'number');
    assert.ok((await readAudioFile(join(dir, 'cloned.wav'))).audio.channels[0]!.length > 16000);
  });

  test('errors map to exit codes: usage 2, too long 3, unknown voice 1', async () => {
    assert.equal((await cli(['tts', 'Hi.'])).code, 2); // no --out
    assert.equal((await cli(['tts', '<speak>Hi<break time="x"/></speak>', '--out', 'x.wav'])).code, 2);
    const long = await cli(['tts', 'a '.repeat(3000), '--voice', 'flite:kal16', '--out', 'x.wav', '--json']);
    assert.equal(long.code, 3);
    assert.equal((JSON.parse(long.stderr) as { error: { code: string } }).error.code, 'tts.text_too_long');
    const unknown = await cli(['tts', 'Hi.', '--voice', 'flite:nobody', '--out', 'x.wav']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /tts\.unknown_voice/);
  });
});
