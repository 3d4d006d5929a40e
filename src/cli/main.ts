import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AutoVoiceError, exitCodeOf, toAutoVoiceError } from '../errors/index.js';
import type { CliContext } from './cli-context.js';
import { loadCommands } from './commands/index.js';

/** Exit codes of the CLI contract: 0 ok, 2 bad usage, 3 unusable input, 1 other. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 2;

/** The package version, read once from package.json. */
export function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. Never calls
 * process.exit, so tests and the server can run it in-process.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = new Command('autovoice')
    .description('AutoVoice — voice cloning, conversion, song conversion and text-to-speech, offline on a CPU.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      // Parse errors are reported below like every other error: a stable code, JSON with --json.
      outputError: () => undefined,
    });
  for (const command of await loadCommands()) command.register(program, ctx);

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      if (error.exitCode === 0) return EXIT_OK;
      // Help shown because a command was missing: the help is the message.
      if (error.code === 'commander.help' || error.code === 'commander.helpDisplayed') return EXIT_USAGE;
      const usage = usageErrorOf(error, program, argv);
      reportError(usage, ctx, argv.includes('--json'));
      return exitCodeOf(usage.code);
    }
    const avError = toAutoVoiceError(error);
    reportError(avError, ctx, argv.includes('--json'));
    return exitCodeOf(avError.code);
  }
}

/** Commander's parse errors that mean something the caller left out (the rest are invalid values). */
const MISSING_CODES = new Set([
  'commander.missingArgument',
  'commander.optionMissingArgument',
  'commander.missingMandatoryOptionValue',
]);

/** A command-line parse error as a usage error with a stable code and where to read the usage. */
function usageErrorOf(error: CommanderError, program: Command, argv: readonly string[]): AutoVoiceError {
  const named = argv.find((a) => !a.startsWith('-'));
  const command = program.commands.find((c) => c.name() === named || c.aliases().includes(named ?? ''));
  const help = command === undefined ? 'autovoice --help' : `autovoice ${command.name()} --help`;
  const message = error.message.replace(/^error: /, '');
  return new AutoVoiceError(
    MISSING_CODES.has(error.code) ? 'usage.missing_argument' : 'usage.invalid_argument',
    `${message}; run "${help}" for usage.`,
    { parser: error.code },
  );
}

function reportError(error: AutoVoiceError, ctx: CliContext, json: boolean): void {
  if (json) {
    ctx.stderr.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
  } else {
    ctx.stderr.write(`autovoice: error [${error.code}]: ${error.message}\n`);
  }
}

/** Entry point used by bin/autovoice.mjs. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
  // Let long-running commands (serve) keep the process alive; others exit with their code.
  process.exitCode = code;
}
