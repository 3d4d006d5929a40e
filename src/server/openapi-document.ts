import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../config/config.js';
import { buildServer } from './build-server.js';
import { createServices } from './create-services.js';

/**
 * Generates the OpenAPI 3.1 document from the route schemas, with the default configuration
 * (so the committed docs/openapi.json does not depend on the local environment).
 */
export async function generateOpenApiDocument(version: string): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'av-openapi-'));
  const config = loadConfig({ AUTOVOICE_DATA_DIR: dataDir, AUTOVOICE_STOCK_VOICES: 'false', AUTOVOICE_WORKERS: '1' });
  const services = await createServices(config, pino({ level: 'silent' }), { version, gpu: async () => [], listTtsVoices: undefined });
  try {
    const app = await buildServer(config, services.deps);
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The document as committed: pretty JSON with a trailing newline. */
export function formatOpenApiDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
