import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docFiles, extractExamples, findBrokenLinks, headingAnchors } from '../../scripts/check-docs.js';

test('heading anchors follow GitHub slugs', () => {
  const anchors = headingAnchors('# Backups and restore\n## `GET /health` details\n```\n# not a heading\n```\n');
  assert.ok(anchors.has('backups-and-restore'));
  assert.ok(anchors.has('get-health-details'));
  assert.ok(!anchors.has('not-a-heading'));
});

test('broken files and anchors are reported, good links are not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docs-links-'));
  writeFileSync(join(dir, 'b.md'), '# Title\n## Real section\n');
  writeFileSync(
    join(dir, 'a.md'),
    '[ok](b.md) [ok2](b.md#real-section) [web](https://example.org/x) [bad](missing.md) [badanchor](b.md#nope)\n',
  );
  const broken = findBrokenLinks([join(dir, 'a.md')]);
  assert.equal(broken.length, 2);
  assert.match(broken[0] ?? '', /missing\.md — no such file/);
  assert.match(broken[1] ?? '', /b\.md#nope — no such heading/);
});

test('examples: curl and autovoice lines from sh blocks, continuations joined', () => {
  const md = '```sh\ncurl -X POST http://localhost:5000/x \\\n  -F a=b\nexport X=1\nautovoice info a.wav\n```\n```json\ncurl not-this\n```\n';
  assert.deepEqual(extractExamples(md), ['curl -X POST http://localhost:5000/x -F a=b', 'autovoice info a.wav']);
});

test('the repository docs have no broken links', () => {
  assert.deepEqual(findBrokenLinks(docFiles()), []);
});
