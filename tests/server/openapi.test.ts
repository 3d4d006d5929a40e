import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { packageVersion } from '../../src/cli/main.js';
import { formatOpenApiDocument, generateOpenApiDocument } from '../../src/server/openapi-document.js';

test('docs/openapi.json matches a fresh generation from the route schemas (run "npm run openapi" to update)', async () => {
  const fresh = formatOpenApiDocument(await generateOpenApiDocument(packageVersion()));
  const committed = readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
  assert.equal(committed, fresh);
  const spec = JSON.parse(fresh) as { openapi: string; paths: Record<string, unknown> };
  assert.equal(spec.openapi, '3.1.0');
  for (const path of ['/api/v1/voices', '/api/v1/convert', '/api/v1/convert/song', '/api/v1/synthesize', '/api/v1/tts/voices', '/api/v1/jobs', '/api/v1/jobs/{id}/result', '/api/v1/batch', '/api/v1/models', '/health']) {
    assert.ok(spec.paths[path], `spec lacks ${path}`);
  }
});
