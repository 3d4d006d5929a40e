import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeAudio } from '../../audio/index.js';
import { runCliCaptured, type CliRun } from '../../../tests/fixtures/run-cli.js';

/** Runs the CLI in-process and captures what it prints. */
function cli(argv: string[]): Promise<CliRun> {
  return runCliCaptured(argv, { env: {}, cwd: process.cwd() });
}

let dir: string;
let wavPath: string;
let flacPath: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autovoice-info-'));
  const rate = 48000;
  // 997 Hz at -20 dBFS peak in the left channel only: -23.0 LUFS by BS.1770-4.
  const left = Float32Array.from({ length: rate * 3 }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 997 * i) / rate));
  wavPath = join(dir, 'tone.wav');
  await writeFile(wavPath, await encodeAudio({ channels: [left, new Float32Array(left.length)], sampleRate: rate }, 'wav-f32'));
  flacPath = join(dir, 'tone.mp3'); // a FLAC with a misleading name
  await writeFile(flacPath, await encodeAudio({ channels: [left.subarray(0, rate)], sampleRate: rate }, 'flac'));
});
after(async () => rm(dir, { recursive: true, force: true }));

describe('autovoice info', () => {
  test('--json reports format, codec, duration, rate, channels, bit depth, loudness and true peak', async () => {
    const { code, stdout } = await cli(['info', wavPath, flacPath, '--json']);
    assert.equal(code, 0);
    const [wav, flac] = JSON.parse(stdout) as Record<string, unknown>[];
    assert.equal(wav!.container, 'wav');
    assert.equal(wav!.codec, 'pcm_f32le');
    assert.equal(wav!.durationSeconds, 3);
    assert.equal(wav!.sampleRate, 48000);
    assert.equal(wav!.channels, 2);
    assert.equal(wav!.bitDepth, 32);
    assert.ok(Math.abs((wav!.integratedLufs as number) + 23) < 0.1);
    assert.ok(Math.abs((wav!.truePeakDbtp as number) + 20) < 0.1);
    assert.equal(flac!.container, 'flac');
    assert.equal(flac!.bitDepth, 16);
    assert.equal(flac!.channels, 1);
  });

  test('text output names every field', async () => {
    const { code, stdout } = await cli(['info', wavPath]);
    assert.equal(code, 0);
    for (const label of ['format:', 'duration:', 'sample rate:', 'channels:', 'bit depth:', 'loudness:', 'peaks:']) assert.match(stdout, new RegExp(label));
    assert.match(stdout, /-23\.0 LUFS/);
  });

  test('unusable input exits 3 with the error code; good files are still reported', async () => {
    const bad = join(dir, 'bad.wav');
    await writeFile(bad, 'not audio at all');
    const { code, stdout, stderr } = await cli(['info', wavPath, bad, '--json']);
    assert.equal(code, 3);
    const reports = JSON.parse(stdout) as { file: string; error?: { code: string } }[];
    assert.equal(reports.length, 2);
    assert.equal(reports[1]!.error!.code, 'audio.unsupported_format');
    assert.match(stderr, /audio\.unsupported_format/);
    const empty = join(dir, 'empty.flac');
    await writeFile(empty, new Uint8Array(0));
    assert.equal((await cli(['info', empty])).code, 3);
  });

  test('usage errors exit 2: no file given, a file that does not exist', async () => {
    assert.equal((await cli(['info'])).code, 2);
    assert.equal((await cli(['info', join(dir, 'nope.wav')])).code, 2);
  });
});
