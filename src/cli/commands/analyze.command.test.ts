import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeAudio } from '../../audio/index.js';
import { contours, renderHarmonic } from '../../../tests/fixtures/pitch-signals.js';
import { runCliCaptured, type CliRun } from '../../../tests/fixtures/run-cli.js';

function cli(argv: string[]): Promise<CliRun> {
  return runCliCaptured(argv, { env: {}, cwd: dir });
}

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autovoice-analyze-'));
  // 0.2 s silence, then 220 Hz for 0.6 s, then silence.
  const signal = renderHarmonic(contours.gated(contours.constant(220), [[0.2, 0.8]]), 1, 16000);
  await writeFile(join(dir, 'tone.wav'), await encodeAudio({ channels: [signal], sampleRate: 16000 }, 'wav'));
  // A rough voice: pulses 10 ms ± 4 % apart (fixed generator), each a decaying 600 Hz resonance.
  const rough = new Float32Array(32000);
  let seed = 12345;
  const uniform = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let pos = 100; pos < rough.length; pos += Math.round(160 * (1 + 0.08 * (uniform() - 0.5)))) {
    for (let k = 0; k < 200 && pos + k < rough.length; k++) {
      rough[pos + k] = (rough[pos + k] as number) + 0.3 * Math.exp(-k / 40) * Math.sin((2 * Math.PI * 600 * k) / 16000);
    }
  }
  await writeFile(join(dir, 'rough.wav'), await encodeAudio({ channels: [rough], sampleRate: 16000 }, 'wav-f32'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('autovoice analyze f0', () => {
  test('writes time,f0,voiced CSV on the 5 ms grid', async () => {
    const { code, stdout } = await cli(['analyze', 'f0', 'tone.wav', '--out', 'f0.csv']);
    assert.equal(code, 0);
    assert.match(stdout, /201 frames of 5 ms/);
    const lines = (await readFile(join(dir, 'f0.csv'), 'utf8')).trim().split('\n');
    assert.equal(lines[0], 'time,f0,voiced');
    assert.equal(lines.length, 202);
    const row = (t: number): string[] => (lines[1 + Math.round(t / 0.005)] ?? '').split(',');
    assert.deepEqual(row(0.1), ['0.1000', '0.00', '0']);
    const mid = row(0.5);
    assert.equal(mid[0], '0.5000');
    assert.ok(Math.abs(Number(mid[1]) - 220) < 3, `f0 at 0.5 s: ${mid[1]}`);
    assert.equal(mid[2], '1');
  });

  test('--hop-ms/--json give a summary; CSV goes inline without --out', async () => {
    const { code, stdout } = await cli(['analyze', 'f0', 'tone.wav', '--hop-ms', '10', '--json']);
    assert.equal(code, 0);
    const summary = JSON.parse(stdout) as { frames: number; medianNote: string; csv: string; framePeriodMs: number };
    assert.equal(summary.frames, 101);
    assert.equal(summary.framePeriodMs, 10);
    assert.equal(summary.medianNote, 'A3');
    assert.ok(summary.csv.startsWith('time,f0,voiced\n0.0000,0.00,0\n'));
  });

  test('--median-frames 1 gives the raw frame readings, rougher than the default median', async () => {
    const moves = async (extra: string[]): Promise<number> => {
      const { code, stdout } = await cli(['analyze', 'f0', 'rough.wav', ...extra]);
      assert.equal(code, 0);
      const f0 = stdout.trim().split('\n').slice(1).map((line) => Number(line.split(',')[1]));
      let count = 0;
      for (let t = 1; t < f0.length; t++) {
        const [a, b] = [f0[t - 1] as number, f0[t] as number];
        if (a > 0 && b > 0 && Math.abs(1200 * Math.log2(b / a)) > 20) count++;
      }
      return count;
    };
    const raw = await moves(['--median-frames', '1']);
    const smoothed = await moves([]);
    assert.ok(smoothed < 0.75 * raw, `moves over 20 cents: ${smoothed} with the median, ${raw} raw`);
  });

  test('bad options are usage errors (exit 2); a missing file is not', async () => {
    assert.equal((await cli(['analyze', 'f0', 'tone.wav', '--hop-ms', 'abc'])).code, 2);
    assert.equal((await cli(['analyze', 'f0', 'tone.wav', '--median-frames', '4'])).code, 2);
    assert.equal((await cli(['analyze', 'f0', 'tone.wav', '--min-hz', '600', '--max-hz', '300'])).code, 2);
    const missing = await cli(['analyze', 'f0', 'nope.wav', '--json']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /"code"/);
  });

  test('input below 8 kHz is unusable input (exit 3), not a usage error about --max-hz', async () => {
    // At 2 kHz the tracker's lag grid is too coarse: a 150 Hz voice read 83 Hz.
    const low = renderHarmonic(contours.constant(150), 0.6, 2000);
    await writeFile(join(dir, 'low.wav'), await encodeAudio({ channels: [low], sampleRate: 2000 }, 'wav'));
    const run = await cli(['analyze', 'f0', 'low.wav']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /\[audio\.unsupported_sample_rate\].*2000 Hz/);
  });
});
