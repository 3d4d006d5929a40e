import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

test('every runtime dependency is listed in THIRD_PARTY_NOTICES.md', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const notices = readFileSync(new URL('THIRD_PARTY_NOTICES.md', root), 'utf8');
  const missing = Object.keys(pkg.dependencies).filter((name) => !notices.includes(`\`${name}\``));
  assert.deepEqual(missing, [], `add these to THIRD_PARTY_NOTICES.md: ${missing.join(', ')}`);
});
