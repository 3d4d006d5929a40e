import type { Writable } from 'node:stream';
import { AutoVoiceError } from '../errors/index.js';

/**
 * What a CLI command needs from its surroundings. Passed in rather than read from globals so
 * tests can run commands in-process with captured output.
 */
export interface CliContext {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Writes one line to stdout. */
export function printLine(ctx: CliContext, line = ''): void {
  ctx.stdout.write(`${line}\n`);
}

/** Writes a JSON document (pretty, one trailing newline) to stdout — the `--json` contract. */
export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * The finite number an option's text holds, or `usage.invalid_argument` naming the option and
 * an example of what it takes (ranges are the pipeline's to check).
 */
export function parseNumberOption(flag: string, text: string, example: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new AutoVoiceError(
      'usage.invalid_argument',
      `${flag} takes a number, e.g. ${example}; got "${text}".`,
      {
        option: flag,
        value: text,
      },
    );
  }
  return value;
}
