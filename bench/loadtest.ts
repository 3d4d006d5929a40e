// Load test of the HTTP service (npm run loadtest): starts `autovoice serve` as a child process
// on a temporary data dir, then runs autocannon (1000 requests, 10 connections — like
// `ab -n 1000 -c 10`) against GET /health, POST /api/v1/synthesize (short sentence, synchronous
// audio) and POST /api/v1/convert (multipart upload → 202 job). Prints throughput, p50/p99
// latency, status counts and the server's RSS before and after each run.
// Options: --requests N (default 1000), --connections N (default 10), --only health,synthesize,convert
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { encodeAudio } from '../src/audio/index.js';
import { synthesizeSpeech } from '../src/tts/index.js';
import { multipartBody } from '../tests/server/helpers/multipart.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}
const amount = Number(arg('requests', '1000'));
const connections = Number(arg('connections', '10'));
const only = arg('only', 'health,synthesize,convert').split(',');

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? 'VmRSS: 0 kB';
  return Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024;
}

const dataDir = mkdtempSync(join(tmpdir(), 'av-loadtest-'));
const child = spawn(process.execPath, ['bin/autovoice.mjs', 'serve'], {
  env: {
    ...process.env,
    NODE_ENV: 'production',
    AUTOVOICE_AUTH: 'off',
    AUTOVOICE_DATA_DIR: dataDir,
    AUTOVOICE_PORT: '0',
    AUTOVOICE_STOCK_VOICES: 'false',
    AUTOVOICE_LOG_LEVEL: 'warn',
    // The per-key limit would turn most of a 1000-request burst into 429s; the load test measures
    // throughput, so it is raised here (the queue limit stays at its default).
    AUTOVOICE_RATE_LIMIT_PER_MINUTE: '1000000',
    AUTOVOICE_SHUTDOWN_GRACE_MS: '1000',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout }).on('line', (line) => {
    const match = /listening on (http:\/\/\S+)/.exec(line);
    if (match?.[1] !== undefined) resolve(match[1]);
  });
  child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const pid = child.pid ?? 0;
console.log(`server ${url} (pid ${pid}), data dir ${dataDir}; ${amount} requests per endpoint, ${connections} connections`);

// A voice to convert into, from ~20 s of TTS speech, and a 2 s clip to convert.
const recording = await encodeAudio(await synthesizeSpeech('The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background. It is easy to tell the depth of a well. These days a chicken leg is a rare dish. Rice is often served in round bowls. The juice of lemons makes fine punch.', { voice: 'flite:slt' }), 'wav');
const voiceForm = multipartBody([{ name: 'name', value: 'loadtest-voice' }, { name: 'files', file: recording, filename: 'voice.wav' }]);
const created = await fetch(`${url}/api/v1/voices`, { method: 'POST', headers: { 'content-type': voiceForm.contentType }, body: voiceForm.body });
if (created.status !== 201) throw new Error(`voice creation failed: ${created.status} ${await created.text()}`);
const voiceId = ((await created.json()) as { voice: { id: string } }).voice.id;
const clip = await encodeAudio(await synthesizeSpeech('Convert this short sentence, please.', { voice: 'flite:rms' }), 'wav');
const convertForm = multipartBody([{ name: 'file', file: clip, filename: 'clip.wav' }, { name: 'voice', value: voiceId }]);

const scenarios = [
  { name: 'health', label: 'GET /health', options: { method: 'GET', path: '/health' } },
  { name: 'synthesize', label: 'POST /api/v1/synthesize', options: { method: 'POST', path: '/api/v1/synthesize', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Hello from the load test.', voice: 'flite:slt' }) } },
  { name: 'convert', label: 'POST /api/v1/convert', options: { method: 'POST', path: '/api/v1/convert', headers: { 'content-type': convertForm.contentType }, body: convertForm.body } },
].filter((s) => only.includes(s.name));

// Warm-up: concurrent requests so every worker loads its engines; the table then measures steady state.
const warmUp = (): Promise<unknown> => fetch(`${url}/api/v1/synthesize`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Warm up the engines.', voice: 'flite:slt' }) }).then((r) => r.arrayBuffer());
for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 8 }, warmUp));

const rows: string[][] = [];
const rssStart = rssMiB(pid);
for (const scenario of scenarios) {
  const before = rssMiB(pid);
  const t0 = performance.now();
  const result = await autocannon({ url: `${url}${scenario.options.path}`, amount, connections, timeout: 60, ...scenario.options });
  const seconds = (performance.now() - t0) / 1000;
  const after = rssMiB(pid);
  const statuses = Object.entries(result.statusCodeStats).map(([code, s]) => `${code}:${s.count}`).join(' ');
  rows.push([
    scenario.label,
    String(result.requests.total),
    (result.requests.total / seconds).toFixed(1),
    result.latency.p50.toFixed(1),
    result.latency.p99.toFixed(1),
    statuses,
    String(result.errors + result.timeouts),
    before.toFixed(0),
    after.toFixed(0),
  ]);
}
const rssEnd = rssMiB(pid);
const header = ['endpoint', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'status counts', 'errors', 'RSS before MiB', 'RSS after MiB'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
console.log(`server RSS: ${rssStart.toFixed(0)} MiB before the first run, ${rssEnd.toFixed(0)} MiB after the last (${(((rssEnd - rssStart) / rssStart) * 100).toFixed(1)}% growth)`);

child.kill('SIGTERM');
await new Promise((resolve) => child.once('exit', resolve));
rmSync(dataDir, { recursive: true, force: true });
