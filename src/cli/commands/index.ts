import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/**
 * A CLI subcommand: `register` adds it (and its own subcommands) to the program. Each command
 * lives in its own file in this folder and is listed once below.
 */
export interface CliCommand {
  register(program: Command, ctx: CliContext): void;
}

/** All subcommands, in the order `--help` lists them. Add new commands here. */
export async function loadCommands(): Promise<CliCommand[]> {
  const modules = await Promise.all([
    import('./info.command.js'),
    import('./serve.command.js'),
    import('./keys.command.js'),
    import('./config.command.js'),
    import('./profile.command.js'),
    import('./convert.command.js'),
    import('./separate.command.js'),
    import('./song.command.js'),
    import('./transform.command.js'),
    import('./analyze.command.js'),
    import('./tts.command.js'),
    import('./bench.command.js'),
  ]);
  return modules.map((m) => m.command);
}
