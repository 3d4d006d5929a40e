import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCliCaptured, type CliRun } from '../../../tests/fixtures/run-cli.js';

function cli(argv: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return runCliCaptured(argv, { env, cwd: process.cwd() });
}

test('keys create/list/revoke and config print', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'av-keys-'));
  const env = { AUTOVOICE_DATA_DIR: dir, AUTOVOICE_ADMIN_KEY: 'a-very-secret-admin-key-1234567890' };
  try {
    const created = await cli(['keys', 'create', '--name', 'ci', '--role', 'admin', '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    const key = JSON.parse(created.stdout) as { id: string; key: string; role: string };
    assert.equal(key.role, 'admin');
    assert.match(key.key, /^av_/);
    const listed = await cli(['keys', 'list', '--json'], env);
    const list = JSON.parse(listed.stdout) as { id: string; revokedAt: number | null }[];
    assert.equal(list.length, 1);
    assert.ok(!listed.stdout.includes(key.key), 'list never shows the secret');
    assert.equal((await cli(['keys', 'revoke', key.id], env)).code, 0);
    assert.notEqual((JSON.parse((await cli(['keys', 'list', '--json'], env)).stdout) as { revokedAt: number | null }[])[0]?.revokedAt, null);
    assert.equal((await cli(['keys', 'revoke', 'nope'], env)).code, 1);
    assert.equal((await cli(['keys', 'create', '--name', 'x', '--role', 'root'], env)).code, 2);

    const printed = await cli(['config', 'print', '--json'], env);
    assert.equal(printed.code, 0);
    const config = JSON.parse(printed.stdout) as { auth: { bootstrapAdminKey: string }; server: { port: number } };
    assert.equal(config.auth.bootstrapAdminKey, '***');
    assert.equal(config.server.port, 5000);
    assert.ok(!printed.stdout.includes('a-very-secret-admin-key'));
    const bad = await cli(['config', 'print'], { ...env, AUTOVOICE_PORT: 'x' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /config\.invalid.*AUTOVOICE_PORT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
