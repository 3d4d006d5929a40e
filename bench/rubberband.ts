// Rubber Band R3 (Debian package `rubberband-cli`, run as a separate program) as the reference
// pitch shifter in the benchmarks. Absent the program, benches print n/a.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAudio, mixToMono, readAudioFile } from '../src/audio/index.js';

let installed: boolean | undefined;

/** Whether the `rubberband` program runs here (asked once per process). */
export function rubberbandAvailable(): boolean {
  installed ??= spawnSync('rubberband', ['--version'], { encoding: 'utf8' }).status === 0;
  return installed;
}

/**
 * `rubberband -3 [-F] -p semitones` on `signal` (R3 engine; -F preserves formants): the output
 * and the program's wall and CPU seconds, or null without Rubber Band or when it fails.
 */
export async function rubberbandShift(
  signal: Float32Array,
  sampleRate: number,
  semitones: number,
  preserveFormants: boolean,
): Promise<{ out: Float32Array; wallSeconds: number; cpuSeconds: number } | null> {
  if (!rubberbandAvailable()) return null;
  const dir = mkdtempSync(join(tmpdir(), 'av-rb-'));
  try {
    const inPath = join(dir, 'in.wav');
    const outPath = join(dir, 'out.wav');
    writeFileSync(inPath, await encodeAudio({ channels: [signal], sampleRate }, 'wav-f32'));
    const flags = `-3${preserveFormants ? ' -F' : ''} -p ${semitones.toFixed(4)}`;
    const r = spawnSync(
      'bash',
      ['-c', `TIMEFORMAT='%R %U %S'; time rubberband ${flags} "${inPath}" "${outPath}" >/dev/null 2>&1`],
      { encoding: 'utf8' },
    );
    const [wall, user, sys] = r.stderr.trim().split(/\s+/).slice(-3).map(Number);
    if (r.status !== 0 || !existsSync(outPath)) return null;
    const { audio } = await readAudioFile(outPath);
    return {
      out: mixToMono(audio),
      wallSeconds: wall as number,
      cpuSeconds: (user as number) + (sys as number),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
