import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.js';
import { maskConfig } from './mask-config.js';
import { isAutoVoiceError } from '../errors/index.js';

describe('loadConfig', () => {
  test('defaults: port 5000, loopback host, auth off outside production', () => {
    const config = loadConfig({}, { cwd: '/srv' });
    assert.equal(config.server.port, 5000);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.auth.mode, 'off');
    assert.equal(config.dataDir, '/srv/data');
  });

  test('production defaults to auth required; PORT and AUTOVOICE_PORT override', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }).auth.mode, 'required');
    assert.equal(loadConfig({ PORT: '6001' }).server.port, 6001);
    assert.equal(loadConfig({ PORT: '6001', AUTOVOICE_PORT: '6002' }).server.port, 6002);
  });

  test('parses sizes, lists and booleans', () => {
    const config = loadConfig({ AUTOVOICE_MAX_UPLOAD_MB: '2', AUTOVOICE_CORS_ORIGINS: 'https://a.example, https://b.example', AUTOVOICE_TRUST_PROXY: 'yes' });
    assert.equal(config.limits.uploadMaxBytes, 2 * 1024 * 1024);
    assert.deepEqual(config.server.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.server.trustProxy, true);
  });

  test('reports every bad value at once with the variable name', () => {
    try {
      loadConfig({ AUTOVOICE_PORT: 'eighty', AUTOVOICE_AUTH: 'maybe' });
      assert.fail('expected config.invalid');
    } catch (error) {
      assert.ok(isAutoVoiceError(error, 'config.invalid'));
      assert.match(error.message, /AUTOVOICE_PORT/);
      assert.match(error.message, /AUTOVOICE_AUTH.*required, off/);
      assert.equal((error.details?.problems as string[]).length, 2);
    }
  });

  test('reads a JSON file; env wins over the file; unknown keys are errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'av-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ server: { port: 7000 }, jobs: { workers: 4 } }));
    const config = loadConfig({ AUTOVOICE_WORKERS: '3' }, { file });
    assert.equal(config.server.port, 7000);
    assert.equal(config.jobs.workers, 3);
    writeFileSync(file, JSON.stringify({ server: { prot: 7000 } }));
    assert.throws(() => loadConfig({}, { file }), (e) => isAutoVoiceError(e, 'config.invalid') && /server\.prot/.test(e.message));
    writeFileSync(file, '{ not json');
    assert.throws(() => loadConfig({}, { file }), (e) => isAutoVoiceError(e, 'config.invalid'));
  });

  test('maskConfig hides secrets', () => {
    const config = loadConfig({ AUTOVOICE_ADMIN_KEY: 'x'.repeat(32) });
    const masked = maskConfig(config) as { auth: { bootstrapAdminKey: string } };
    assert.equal(masked.auth.bootstrapAdminKey, '***');
    assert.equal(config.auth.bootstrapAdminKey, 'x'.repeat(32));
  });
});

describe('onnx execution provider', () => {
  test('defaults to auto and accepts cpu/cuda; anything else stops start-up naming the variable', () => {
    assert.equal(loadConfig({}, { cwd: '/srv' }).onnx.executionProvider, 'auto');
    assert.equal(loadConfig({ AUTOVOICE_EXECUTION_PROVIDER: 'cuda' }, { cwd: '/srv' }).onnx.executionProvider, 'cuda');
    assert.throws(
      () => loadConfig({ AUTOVOICE_EXECUTION_PROVIDER: 'gpu' }, { cwd: '/srv' }),
      (e: unknown) => e instanceof Error && (e as { code?: string }).code === 'config.invalid' && e.message.includes('AUTOVOICE_EXECUTION_PROVIDER'),
    );
  });
});
