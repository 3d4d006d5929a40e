// Praat (Debian package `praat`; GPL, run as a separate program, never linked) as a reference in
// the DSP benchmarks: its pitch tracker and its harmonics-to-noise ratio. Absent Praat, benches print n/a.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAudio } from '../src/audio/index.js';
import { resampleF0Track } from '../src/quality/pitch-accuracy.js';

let installed: boolean | undefined;

/** Whether the `praat` program runs here (asked once per process). */
export function praatAvailable(): boolean {
  installed ??= spawnSync('praat', ['--version'], { encoding: 'utf8' }).status === 0;
  return installed;
}

/** Runs `read` on `signal` written as a float WAV in a fresh temporary folder, removed after. */
async function withWav<T>(
  signal: Float32Array,
  sampleRate: number,
  read: (wavPath: string, workDir: string) => T,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'av-praat-'));
  try {
    const wav = join(dir, 'in.wav');
    writeFileSync(wav, await encodeAudio({ channels: [signal], sampleRate }, 'wav-f32'));
    return read(wav, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Praat's F0 of `signal` on our frame grid (frame i at i·hopSeconds, 0 = unvoiced), or null
 * without Praat.
 */
export async function praatPitchTrack(
  signal: Float32Array,
  sampleRate: number,
  hopSeconds: number,
): Promise<Float32Array | null> {
  if (!praatAvailable()) return null;
  const praat = await withWav(signal, sampleRate, (wav, dir) => praatPitch(wav, dir, hopSeconds));
  if (praat === null) return null;
  const frames = Math.floor(signal.length / sampleRate / hopSeconds + 1e-9) + 1;
  return resampleF0Track(
    praat.times,
    praat.f0,
    Float64Array.from({ length: frames }, (_, i) => i * hopSeconds),
  );
}

/** Praat's mean harmonics-to-noise ratio of `signal`, dB, or NaN without Praat. */
export async function praatMeanHarmonicity(signal: Float32Array, sampleRate: number): Promise<number> {
  if (!praatAvailable()) return Number.NaN;
  return withWav(signal, sampleRate, praatHarmonicity);
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
