import type { Writable } from 'node:stream';

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
