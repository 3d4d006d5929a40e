import type { Command } from 'commander';
import { CONFIG_FIELDS } from '../../config/config-fields.js';
import { loadConfig } from '../../config/config.js';
import { maskConfig } from '../../config/mask-config.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import type { CliCommand } from './index.js';

function valueAt(obj: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o as Record<string, unknown> | undefined)?.[key], obj);
}

/** `autovoice config print`: the effective configuration (env + file + defaults), secrets masked. */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext) {
    const config = program.command('config').description('Show the service configuration.');
    config
      .command('print')
      .description('Print the effective configuration with secrets masked (exits 2 with every problem when invalid).')
      .option('--config <file>', 'JSON config file (overrides AUTOVOICE_CONFIG_FILE)')
      .option('--json', 'print JSON')
      .action((options: { config?: string; json?: boolean }) => {
        const masked = maskConfig(loadConfig(ctx.env, { cwd: ctx.cwd, ...(options.config === undefined ? {} : { file: options.config }) }));
        if (options.json) {
          printJson(ctx, masked);
          return;
        }
        for (const field of CONFIG_FIELDS) {
          const value = valueAt(masked, field.path);
          printLine(ctx, `${field.path.padEnd(32)} ${JSON.stringify(value) ?? '(unset)'}`.padEnd(72) + `  ${field.env[0]}`);
        }
      });
  },
};
