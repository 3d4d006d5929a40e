#!/usr/bin/env node
// Launcher: in a source checkout run the TypeScript directly (tsx); in an installed/built
// package (no src/, e.g. the Docker image) run the compiled JavaScript in dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sourceEntry = `${root}src/cli/main.ts`;
const builtEntry = `${root}dist/cli/main.js`;

let entry;
if (existsSync(sourceEntry)) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = sourceEntry;
} else {
  entry = builtEntry;
}
const { main } = await import(new URL(`file://${entry}`).href);
await main();
