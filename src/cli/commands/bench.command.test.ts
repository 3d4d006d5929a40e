import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { runCli } from '../main.js';
import { BENCHMARKS } from './bench.command.js';

function capture(): { ctx: Parameters<typeof runCli>[1]; err: () => string } {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { ctx: { stdout: new PassThrough(), stderr, env: process.env, cwd: process.cwd() }, err: () => err };
}

test('every benchmark name points at a script that exists', () => {
  for (const [name, script] of Object.entries(BENCHMARKS)) {
    assert.ok(existsSync(new URL(`../../../bench/${script}`, import.meta.url)), `${name}: bench/${script} missing`);
  }
});

test('an unknown benchmark is a usage error (exit 2) naming the valid ones', async () => {
  const { ctx, err } = capture();
  assert.equal(await runCli(['bench', 'nope'], ctx), 2);
  assert.match(err(), /usage\.invalid_argument/);
  assert.match(err(), /audio, dsp/);
});
