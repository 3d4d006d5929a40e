import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeAudio, readAudioFile } from '../../audio/index.js';
import { estimateF0 } from '../../dsp/pitch/index.js';
import { contours, renderHarmonic } from '../../../tests/fixtures/pitch-signals.js';
import { runCliCaptured, type CliRun } from '../../../tests/fixtures/run-cli.js';

function cli(argv: string[]): Promise<CliRun> {
  return runCliCaptured(argv, { env: {}, cwd: dir });
}

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autovoice-transform-'));
  const signal = renderHarmonic(contours.constant(220), 1, 16000);
  await writeFile(
    join(dir, 'tone.wav'),
    await encodeAudio({ channels: [signal, signal], sampleRate: 16000 }, 'wav'),
  );
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('autovoice transform', () => {
  test('--semitones and --stretch write the edited voice and report the realised shift', async () => {
    const { code, stdout } = await cli([
      'transform',
      'tone.wav',
      '--out',
      'up.wav',
      '--semitones',
      '3',
      '--stretch',
      '1.2',
    ]);
    assert.equal(code, 0);
    assert.match(stdout, /\+3\.0 st/);
    assert.match(stdout, /realised/);
    const { audio } = await readAudioFile(join(dir, 'up.wav'));
    assert.equal(audio.channels.length, 1, 'a voice comes out mono');
    assert.equal(audio.channels[0]?.length, 19200);
    const f0 = estimateF0(audio.channels[0] as Float32Array, 16000).f0Hz;
    const mid = f0[Math.floor(f0.length / 2)] as number;
    assert.ok(Math.abs(1200 * Math.log2(mid / (220 * 2 ** 0.25))) < 20, `F0 ${mid}`);
  });

  test('--json reports the edit as applied; --refine is skipped when the pitch moves', async () => {
    const kept = await cli([
      'transform',
      'tone.wav',
      '--out',
      'a.flac',
      '--formant',
      '1.1',
      '--refine',
      '--json',
    ]);
    assert.equal(kept.code, 0);
    const doc = JSON.parse(kept.stdout) as {
      edit: { formantFactor: number; semitones: number };
      refined: boolean;
    };
    assert.equal(doc.edit.formantFactor, 1.1);
    assert.equal(doc.edit.semitones, 0);
    assert.equal(doc.refined, true);
    const moved = await cli(['transform', 'tone.wav', '--out', 'b.wav', '--semitones', '-2', '--refine']);
    assert.equal(moved.code, 0);
    assert.match(moved.stdout, /--refine skipped/);
  });

  test('bad values and a missing input are usage errors (exit 2) with a typed code', async () => {
    assert.equal((await cli(['transform', 'tone.wav', '--out', 'x.wav', '--semitones', 'up'])).code, 2);
    assert.equal((await cli(['transform', 'tone.wav', '--out', 'x.wav', '--formant', '3'])).code, 2);
    const missing = await cli(['transform', 'nope.wav', '--out', 'x.wav', '--json']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /"code":"usage.invalid_argument"/);
    assert.match(missing.stderr, /nope\.wav/);
  });
});
