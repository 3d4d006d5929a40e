import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runCliCaptured } from '../../../tests/fixtures/run-cli.js';
import { BENCHMARKS } from './bench.command.js';

test('every benchmark name points at a script that exists', () => {
  for (const [name, script] of Object.entries(BENCHMARKS)) {
    assert.ok(existsSync(new URL(`../../../bench/${script}`, import.meta.url)), `${name}: bench/${script} missing`);
  }
});

test('an unknown benchmark is a usage error (exit 2) naming the valid ones', async () => {
  const run = await runCliCaptured(['bench', 'nope']);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /usage\.invalid_argument/);
  assert.match(run.stderr, /audio, dsp/);
});
