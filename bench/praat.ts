// Praat (Debian package `praat`; GPL, run as a separate program, never linked) as a reference in
// the DSP benchmarks: its pitch tracker and its harmonics-to-noise ratio. Absent Praat, benches print n/a.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether the `praat` program runs here. */
export function praatAvailable(): boolean {
  return spawnSync('praat', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Praat's "To Pitch (ac)" on a WAV file, or null where Praat is not installed. Times in s, F0 in Hz. */
export function praatPitch(
  wavPath: string,
  workDir: string,
  stepSeconds: number,
): { times: Float64Array; f0: Float32Array; seconds: number } | null {
  const script = join(workDir, 'pitch.praat');
  if (!existsSync(script)) {
    writeFileSync(
      script,
      [
        'form args',
        '  sentence inFile',
        '  sentence outFile',
        '  real step 0.005',
        'endform',
        'sound = Read from file: inFile$',
        'stopwatch',
        'pitch = To Pitch (ac): step, 50, 15, "no", 0.03, 0.45, 0.01, 0.35, 0.14, 1200',
        'elapsed = stopwatch',
        'n = Get number of frames',
        'text$ = ""',
        'for i to n',
        '  t = Get time from frame number: i',
        '  f = Get value in frame: i, "Hertz"',
        '  if f = undefined',
        '    f = 0',
        '  endif',
        '  text$ = text$ + fixed$(t, 6) + "," + fixed$(f, 3) + newline$',
        'endfor',
        'writeFile: outFile$, text$',
        'writeInfoLine: elapsed',
      ].join('\n'),
    );
  }
  const out = join(workDir, 'praat-out.csv');
  const result = spawnSync('praat', ['--run', script, wavPath, out, String(stepSeconds)], {
    encoding: 'utf8',
  });
  if (result.error !== undefined || result.status !== 0) return null;
  const rows = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  return {
    times: Float64Array.from(rows, (r) => r[0] ?? 0),
    f0: Float32Array.from(rows, (r) => r[1] ?? 0),
    seconds: Number(result.stdout.trim()),
  };
}

/**
 * Praat's mean harmonics-to-noise ratio (To Harmonicity (cc): 10 ms, 75 Hz floor, silence
 * threshold 0.1, 1 period per window) of a WAV file in dB, or NaN where Praat does not run.
 */
export function praatHarmonicity(wavPath: string, workDir: string): number {
  const script = join(workDir, 'harmonicity.praat');
  if (!existsSync(script)) {
    writeFileSync(
      script,
      [
        'form args',
        '  sentence inFile',
        'endform',
        'sound = Read from file: inFile$',
        'harmonicity = To Harmonicity (cc): 0.01, 75, 0.1, 1.0',
        'mean = Get mean: 0, 0',
        'writeInfoLine: mean',
      ].join('\n'),
    );
  }
  const result = spawnSync('praat', ['--run', script, wavPath], { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) return Number.NaN;
  return Number(result.stdout.trim());
}
