import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeAudio } from '../audio/index.js';
import { contours, renderHarmonic } from '../../tests/fixtures/pitch-signals.js';
import { runCliCaptured, type CliRun } from '../../tests/fixtures/run-cli.js';
import { prepareOutputFolder } from './output-paths.js';

let dir: string;

function cli(argv: string[]): Promise<CliRun> {
  return runCliCaptured(argv, { env: { AUTOVOICE_DATA_DIR: join(dir, 'data') }, cwd: dir });
}

/** The code of the one error line a failed run printed (plain or --json form). */
function errorCode(run: CliRun): string | undefined {
  const json = /^\{"error":(.*)\}\s*$/s.exec(run.stderr);
  if (json !== null) return (JSON.parse(json[1] as string) as { code: string }).code;
  return /^autovoice: error \[([a-z_.]+)\]: /.exec(run.stderr)?.[1];
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'autovoice-usage-'));
  const tone = renderHarmonic(contours.constant(200), 0.5, 16000);
  await writeFile(join(dir, 'tone.wav'), await encodeAudio({ channels: [tone], sampleRate: 16000 }, 'wav'));
  await writeFile(join(dir, 'text.txt'), 'Hello.');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('command-line usage errors', () => {
  test('parse errors carry a stable code, and JSON with --json', async () => {
    const missingOut = await cli(['transform', 'tone.wav']);
    assert.equal(missingOut.code, 2);
    assert.equal(errorCode(missingOut), 'usage.missing_argument');
    assert.match(missingOut.stderr, /--out.*autovoice transform --help/);

    const json = await cli(['transform', 'tone.wav', '--json']);
    assert.equal(json.code, 2);
    const doc = JSON.parse(json.stderr) as { error: { code: string; message: string } };
    assert.equal(doc.error.code, 'usage.missing_argument');

    for (const argv of [
      ['no-such-command'],
      ['transform', 'tone.wav', '--out', 'x.wav', '--no-such-option'],
    ]) {
      const run = await cli(argv);
      assert.equal(run.code, 2, argv.join(' '));
      assert.equal(errorCode(run), 'usage.invalid_argument', `${argv.join(' ')}: ${run.stderr}`);
    }
  });

  test('an output that cannot be written is a usage error before any work', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['transform', 'tone.wav', '--out', 'missing/dir/x.wav', '--semitones', '2'],
        /folder .*missing\/dir does not exist/,
      ],
      [['transform', 'tone.wav', '--out', 'tone.wav/x.wav'], /is a file, not a folder/],
      [['transform', 'tone.wav', '--out', '.', '--semitones', '2'], /Cannot tell the output format/],
      [['analyze', 'f0', 'tone.wav', '--out', 'missing/f0.csv'], /does not exist/],
      [['separate', 'tone.wav', '--out-dir', 'tone.wav'], /is not a folder/],
      [['tts', '--text-file', 'no-such.txt', '--out', 'x.wav'], /cannot read .*no-such\.txt \(ENOENT\)/],
      [['tts', '--text-file', '.', '--out', 'x.wav'], /EISDIR/],
      [['tts', '--text-file', 'text.txt', '--out', 'missing/x.wav'], /does not exist/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(argv);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, argv.join(' '));
      assert.ok(
        errorCode(run)?.startsWith('usage.') || errorCode(run) === 'audio.unsupported_encoding',
        run.stderr,
      );
    }
    // Nothing was written beside the inputs.
    assert.deepEqual((await readdir(dir)).sort(), ['text.txt', 'tone.wav']);
  });

  test(
    'output folders are created level by level, and only where they can be',
    { timeout: 20_000 },
    async () => {
      const nested = join(dir, 'stems', 'a', 'b');
      await prepareOutputFolder('--out-dir', nested);
      await prepareOutputFolder('--out-dir', nested); // existing: nothing to do
      assert.deepEqual(await readdir(join(dir, 'stems', 'a')), ['b']);
      await mkdir(join(dir, 'stems', 'file-parent'));
      await writeFile(join(dir, 'stems', 'file-parent', 'f'), '');
      await assert.rejects(
        prepareOutputFolder('--out-dir', join(dir, 'stems', 'file-parent', 'f', 'x')),
        (e) => /usage\.invalid_argument/.test(String((e as { code?: string }).code)),
      );
      await rm(join(dir, 'stems'), { recursive: true });
      // Node's recursive mkdir never returns for a folder under /proc (Linux, where CI runs).
      await assert.rejects(prepareOutputFolder('--out-dir', '/proc/autovoice-test/stems'), (e) =>
        /cannot create \/proc\/autovoice-test/.test((e as Error).message),
      );
    },
  );
});
