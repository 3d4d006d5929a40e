// Writes docs/openapi.json from the route schemas. `--check` exits 1 when the committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { packageVersion } from '../src/cli/main.js';
import { formatOpenApiDocument, generateOpenApiDocument } from '../src/server/openapi-document.js';

const target = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
const text = formatOpenApiDocument(await generateOpenApiDocument(packageVersion()));
if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== text) {
    console.error('docs/openapi.json is out of date: run "npm run openapi" and commit it.');
    process.exit(1);
  }
  console.log('docs/openapi.json is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
