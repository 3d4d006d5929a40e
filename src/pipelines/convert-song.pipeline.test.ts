import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { writeAudioFile, type RawAudio } from '../audio/index.js';
import { isAutoVoiceError } from '../errors/index.js';
import type { VoiceProfile } from '../voice/voice-profile.js';
import { VoiceProfileRepository } from '../storage/voice-profile.repository.js';
import { runCli } from '../cli/main.js';
import { makeLongSpeechFixture } from '../../tests/fixtures/speech.js';
import { makeSongMixture } from '../../tests/fixtures/song-mixture.js';
import { CONVERT_SONG_STAGES, convertSong } from './convert-song.pipeline.js';
import { createVoiceProfile } from './create-profile.pipeline.js';
import type { ProgressEvent } from './progress.js';

let profile: VoiceProfile;
const song = makeSongMixture({ sampleRate: 16000, durationSeconds: 5, stereo: true, seed: 2 });
const dir = mkdtempSync(join(tmpdir(), 'av-song-'));

before(async () => {
  profile = (await createVoiceProfile([await makeLongSpeechFixture('flite:slt')], { name: 'slt' })).profile;
});
after(() => rmSync(dir, { recursive: true, force: true }));

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(c, _e, cb) {
      chunks.push(String(c));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const rms = (a: RawAudio): number => {
  let s = 0;
  let n = 0;
  for (const c of a.channels) {
    for (const v of c) s += v * v;
    n += c.length;
  }
  return Math.sqrt(s / n);
};

describe('convertSong', () => {
  test('runs its named stages in order, keeps shape, matches loudness and caps the true peak', async () => {
    const events: ProgressEvent[] = [];
    const result = await convertSong(song.mixture, profile, { onProgress: (e) => events.push(e) });
    const stageNames = CONVERT_SONG_STAGES.map((s) => s.name as string);
    const seen = [...new Set(events.map((e) => e.stage))];
    assert.deepEqual(
      seen,
      stageNames.filter((s) => seen.includes(s)),
    );
    assert.ok(seen.includes('separate') && seen.includes('convert') && seen.includes('remix'));
    for (let i = 1; i < events.length; i++)
      assert.ok((events[i] as ProgressEvent).fraction >= (events[i - 1] as ProgressEvent).fraction);
    assert.equal(events.at(-1)?.fraction, 1);
    for (const a of [result.mix, result.convertedVocals, result.originalVocals, result.accompaniment]) {
      assert.equal(a.channels.length, 2);
      assert.equal(a.channels[0]?.length, song.mixture.channels[0]?.length);
    }
    assert.ok(
      Math.abs(result.metrics.mixLufs - result.metrics.originalLufs) < 1.5,
      `mix ${result.metrics.mixLufs} vs original ${result.metrics.originalLufs} LUFS`,
    );
    assert.ok(result.metrics.mixTruePeakDbtp <= -0.9, `true peak ${result.metrics.mixTruePeakDbtp}`);
    assert.ok(
      rms(result.convertedVocals) > 0.1 * rms(result.originalVocals),
      'converted vocal is not silent',
    );
    assert.equal(result.metrics.accompanimentSemitones, 0);
  });

  test('±N transposes the accompaniment too; gains move the balance', async () => {
    const result = await convertSong(song.mixture, profile, {
      pitch: '+2',
      accompanimentGainDb: -6,
      skipMetrics: true,
    });
    assert.equal(result.metrics.accompanimentSemitones, 2);
    assert.equal(result.metrics.vocalSemitones, 2);
    // A transposed accompaniment differs from the separated one but keeps its energy.
    const ratio = rms(result.accompaniment) / rms(song.accompaniment);
    assert.ok(ratio > 0.6 && ratio < 1.4, `energy ratio ${ratio}`);
  });

  test('cancellation and bad options fail with stable codes', async () => {
    const controller = new AbortController();
    const pending = convertSong(song.mixture, profile, {
      signal: controller.signal,
      onProgress: (e) => e.stage === 'convert' && controller.abort(),
    });
    await assert.rejects(pending, (e) => isAutoVoiceError(e, 'operation.cancelled'));
    await assert.rejects(convertSong(song.mixture, profile, { pitch: '+99' }), (e) =>
      isAutoVoiceError(e, 'usage.invalid_argument'),
    );
    await assert.rejects(convertSong(song.mixture, profile, { vocalGainDb: Number.NaN }), (e) =>
      isAutoVoiceError(e, 'usage.invalid_argument'),
    );
  });
});

describe('CLI separate and song (in-process)', () => {
  test('separate writes stems that sum to the input; song writes the mix and stems', async () => {
    const input = join(dir, 'song.wav');
    await writeAudioFile(input, song.mixture, 'wav-f32');
    const env = { ...process.env, AUTOVOICE_DATA_DIR: join(dir, 'data') };
    await new VoiceProfileRepository(join(dir, 'data')).create(profile);

    const out = sink();
    const err = sink();
    const code = await runCli(['separate', input, '--out-dir', join(dir, 'stems'), '--json'], {
      stdout: out.stream,
      stderr: err.stream,
      env,
      cwd: dir,
    });
    assert.equal(code, 0, err.text());
    const doc = JSON.parse(out.text()) as { vocals: string; accompaniment: string };
    assert.ok(existsSync(doc.vocals) && existsSync(doc.accompaniment));

    const out2 = sink();
    const err2 = sink();
    const code2 = await runCli(
      [
        'song',
        input,
        '--voice',
        'slt',
        '--out',
        join(dir, 'out.wav'),
        '--stems',
        join(dir, 'song-stems'),
        '--json',
      ],
      { stdout: out2.stream, stderr: err2.stream, env, cwd: dir },
    );
    assert.equal(code2, 0, err2.text());
    const doc2 = JSON.parse(out2.text()) as {
      output: string;
      stems: Record<string, string>;
      metrics: { mixLufs: number };
    };
    assert.ok(existsSync(doc2.output));
    for (const p of Object.values(doc2.stems)) assert.ok(existsSync(p), p);
    assert.ok(Number.isFinite(doc2.metrics.mixLufs));

    const err3 = sink();
    const code3 = await runCli(['separate', input, '--out-dir', join(dir, 'x'), '--engine', 'magic'], {
      stdout: sink().stream,
      stderr: err3.stream,
      env,
      cwd: dir,
    });
    assert.equal(code3, 2);
    assert.match(err3.text(), /separation\.unknown_engine/);
  });
});
