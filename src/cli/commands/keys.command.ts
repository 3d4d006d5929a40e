import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { AutoVoiceError } from '../../errors/index.js';
import { databasePath } from '../../server/create-services.js';
import { ApiKeyRepository, type ApiKeyRecord, type ApiKeyRole } from '../../storage/api-key.repository.js';
import { openDatabase } from '../../storage/database.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import type { CliCommand } from './index.js';

function withRepository<T>(ctx: CliContext, run: (repo: ApiKeyRepository) => T): T {
  const db = openDatabase(databasePath(loadConfig(ctx.env, { cwd: ctx.cwd })));
  try {
    return run(new ApiKeyRepository(db));
  } finally {
    db.close();
  }
}

function describe(key: ApiKeyRecord): string {
  const state = key.revokedAt === null ? 'active' : `revoked ${new Date(key.revokedAt).toISOString()}`;
  return `${key.id}  ${key.role.padEnd(5)}  ${key.name}  (created ${new Date(key.createdAt).toISOString()}, ${state})`;
}

/** `autovoice keys create|list|revoke`: API keys stored hashed in the data dir's database. */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext) {
    const keys = program.command('keys').description('Manage API keys (stored hashed; a new key is shown once).');
    keys
      .command('create')
      .description('Create an API key and print it once.')
      .requiredOption('--name <name>', 'who or what uses the key')
      .option('--role <role>', 'admin or user', 'user')
      .option('--json', 'print JSON')
      .action((options: { name: string; role: string; json?: boolean }) => {
        if (options.role !== 'admin' && options.role !== 'user') throw new AutoVoiceError('usage.invalid_argument', `--role must be admin or user, not "${options.role}".`);
        const name = options.name.trim();
        if (name.length === 0 || name.length > 100) throw new AutoVoiceError('usage.invalid_argument', '--name must be 1 to 100 characters.');
        const { record, key } = withRepository(ctx, (repo) => repo.create(name, options.role as ApiKeyRole, Date.now()));
        if (options.json) printJson(ctx, { ...record, key });
        else {
          printLine(ctx, key);
          printLine(ctx, `(key ${record.id}, role ${record.role}: store it now — it cannot be shown again)`);
        }
      });
    keys
      .command('list')
      .description('List API keys (never their secrets).')
      .option('--json', 'print JSON')
      .action((options: { json?: boolean }) => {
        const list = withRepository(ctx, (repo) => repo.list());
        if (options.json) printJson(ctx, list);
        else if (list.length === 0) printLine(ctx, 'no API keys; create one with "autovoice keys create --name NAME --role admin"');
        else for (const key of list) printLine(ctx, describe(key));
      });
    keys
      .command('revoke <id>')
      .description('Revoke an API key by id (takes effect at once).')
      .action((id: string) => {
        const revoked = withRepository(ctx, (repo) => repo.revoke(id, Date.now()));
        if (!revoked) throw new AutoVoiceError('api_key.not_found', `No API key "${id}"; see "autovoice keys list".`);
        printLine(ctx, `revoked ${id}`);
      });
  },
};
