import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

test('docs/api.md documents every operation of the OpenAPI document', () => {
  const spec = JSON.parse(readFileSync(new URL('docs/openapi.json', root), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const md = readFileSync(new URL('docs/api.md', root), 'utf8');
  const missing: string[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const method of Object.keys(operations)) {
      const verb = method.toUpperCase();
      // `GET /x` or a combined `GET/PATCH/DELETE /x` row.
      const documented = new RegExp(`\\b([A-Z]+/)*${verb}(/[A-Z]+)* ${path.replace(/[{}]/g, '\\$&')}(?![\\w/{])`).test(md);
      if (!documented) missing.push(`${verb} ${path}`);
    }
  }
  assert.ok(Object.keys(spec.paths).length >= 15, 'the OpenAPI document lists the API');
  assert.deepEqual(missing, [], `document these in docs/api.md: ${missing.join(', ')}`);
});

test('docs/errors.md is generated from the error registry (run `npm run errors:docs`)', async () => {
  const { renderErrorDocs } = await import('../../scripts/generate-error-docs.js');
  assert.equal(readFileSync(new URL('docs/errors.md', root), 'utf8'), renderErrorDocs());
});
