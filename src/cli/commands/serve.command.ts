import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { startServer } from '../../server/start-server.js';
import { AutoVoiceError } from '../../errors/index.js';
import { packageVersion } from '../main.js';
import { printLine, type CliContext } from '../cli-context.js';
import { loadTtsCatalog } from '../../server/tts-catalog.js';
import type { CliCommand } from './index.js';

/** `autovoice serve`: starts the REST + WebSocket service; SIGTERM/SIGINT drain jobs and exit. */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('serve')
      .description('Start the AutoVoice service (REST API, WebSocket, workers). Port 5000 unless PORT/AUTOVOICE_PORT.')
      .option('--port <port>', 'TCP port (overrides AUTOVOICE_PORT)')
      .option('--host <host>', 'bind address (overrides AUTOVOICE_HOST)')
      .option('--config <file>', 'JSON config file (overrides AUTOVOICE_CONFIG_FILE)')
      .action(async (options: { port?: string; host?: string; config?: string }) => {
        const env = { ...ctx.env, ...(options.port === undefined ? {} : { AUTOVOICE_PORT: options.port }), ...(options.host === undefined ? {} : { AUTOVOICE_HOST: options.host }) };
        const config = loadConfig(env, { cwd: ctx.cwd, ...(options.config === undefined ? {} : { file: options.config }) });
        const server = await startServer(config, { version: packageVersion(), listTtsVoices: await loadTtsCatalog() });
        printLine(ctx, `AutoVoice ${packageVersion()} listening on ${server.url} (docs: ${server.url}/docs)`);
        await new Promise<void>((resolve, reject) => {
          const onSignal = (signal: string): void => {
            printLine(ctx, `${signal}: shutting down (running jobs get ${config.jobs.shutdownGraceMs} ms)`);
            server.stop().then(resolve, (error: unknown) => reject(new AutoVoiceError('internal.error', `Shutdown failed: ${(error as Error).message}`)));
          };
          process.once('SIGTERM', () => onSignal('SIGTERM'));
          process.once('SIGINT', () => onSignal('SIGINT'));
        });
      });
  },
};
