import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { isAutoVoiceError } from '../../src/errors/index.js';
import { startServer } from '../../src/server/start-server.js';

const quietEnv = {
  NODE_ENV: 'test',
  AUTOVOICE_STOCK_VOICES: 'false',
  AUTOVOICE_LOG_LEVEL: 'silent',
  AUTOVOICE_WORKERS: '1',
  AUTOVOICE_INTERACTIVE_WORKERS: '0',
};
const start = (env: Record<string, string>): ReturnType<typeof startServer> =>
  startServer(loadConfig({ ...quietEnv, ...env }), { version: '0.0.0-test', gpu: async () => [] });

describe('start-up failures are configuration errors, and never hang', { timeout: 60_000 }, () => {
  test('a port already in use is config.invalid naming AUTOVOICE_PORT', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const dataDir = mkdtempSync(join(tmpdir(), 'av-start-'));
    try {
      await assert.rejects(
        start({ AUTOVOICE_DATA_DIR: dataDir, AUTOVOICE_PORT: String(port) }),
        (e) =>
          isAutoVoiceError(e, 'config.invalid') &&
          /already in use.*AUTOVOICE_PORT/.test((e as Error).message),
      );
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a data directory that cannot be created is config.invalid naming AUTOVOICE_DATA_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'av-start-'));
    writeFileSync(join(dir, 'a-file'), '');
    try {
      // A file where a folder should be, and a folder under /proc (where Node's recursive mkdir never returns).
      for (const dataDir of [join(dir, 'a-file', 'data'), '/proc/autovoice-test-data']) {
        await assert.rejects(
          start({ AUTOVOICE_DATA_DIR: dataDir, AUTOVOICE_PORT: '0' }),
          (e) => isAutoVoiceError(e, 'config.invalid') && /AUTOVOICE_DATA_DIR/.test((e as Error).message),
          dataDir,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
