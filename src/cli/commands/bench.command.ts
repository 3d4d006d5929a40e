import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AutoVoiceError } from '../../errors/index.js';
import type { CliContext } from '../cli-context.js';
import type { CliCommand } from './index.js';

/** Benchmark name → script under bench/ (the same scripts `npm run bench*` runs). */
export const BENCHMARKS: Readonly<Record<string, string>> = {
  audio: 'audio.bench.ts',
  dsp: 'dsp.bench.ts',
  pitch: 'dsp-pitch.bench.ts',
  vocoder: 'dsp-vocoder.bench.ts',
  quality: 'quality.bench.ts',
  tts: 'tts.bench.ts',
  song: 'song.bench.ts',
  load: 'loadtest.ts',
};

const benchDir = fileURLToPath(new URL('../../../bench/', import.meta.url));

/** Runs one benchmark script in a child process (tables go straight to the terminal); resolves to its exit code. */
function runBenchmark(script: string, args: readonly string[], ctx: CliContext): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${benchDir}${script}`, ...args], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      env: ctx.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => ctx.stdout.write(d));
    child.stderr.on('data', (d: Buffer) => ctx.stderr.write(d));
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('bench')
      .description(`Run a benchmark and print its tables (${Object.keys(BENCHMARKS).join(', ')}); needs a source checkout.`)
      .argument('<name>', 'which benchmark')
      .argument('[args...]', 'arguments passed to the benchmark (e.g. --quick)')
      .allowUnknownOption(true)
      .action(async (name: string, args: string[]) => {
        const script = BENCHMARKS[name];
        if (script === undefined) {
          throw new AutoVoiceError('usage.invalid_argument', `Unknown benchmark "${name}"; use one of: ${Object.keys(BENCHMARKS).join(', ')}.`, { name });
        }
        if (!existsSync(`${benchDir}${script}`)) {
          throw new AutoVoiceError('usage.invalid_argument', 'Benchmarks run from a source checkout (bench/ is not part of the built package).', { name });
        }
        const code = await runBenchmark(script, args, ctx);
        if (code !== 0) throw new AutoVoiceError('internal.error', `Benchmark "${name}" exited with code ${code}.`, { name, exitCode: code });
      });
  },
};
