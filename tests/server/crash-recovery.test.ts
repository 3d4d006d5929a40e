import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

interface ServiceEvent {
  event: string;
  id?: string;
  attempt?: number;
  state?: string;
  attempts?: number;
  code?: string | null;
}

/** A service child process and the events it prints. */
class ServiceProcess {
  readonly events: ServiceEvent[] = [];
  private waiters: { match: (e: ServiceEvent) => boolean; resolve: (e: ServiceEvent) => void }[] = [];
  readonly exited: Promise<number | string | null>;

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{"event"')) return;
      const event = JSON.parse(line) as ServiceEvent;
      this.events.push(event);
      this.waiters = this.waiters.filter((w) => !(w.match(event) && (w.resolve(event), true)));
    });
    // Exit code, or the signal's name when a signal ended the process.
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  }

  static start(dataDir: string, jobs: string): ServiceProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'service-process.ts')], {
      env: { ...process.env, NODE_ENV: 'test', AUTOVOICE_DATA_DIR: dataDir, AUTOVOICE_PORT: '0', AUTOVOICE_WORKERS: '1', AUTOVOICE_JOB_MAX_ATTEMPTS: '2', AUTOVOICE_STOCK_VOICES: 'false', AUTOVOICE_LOG_LEVEL: 'warn', AV_TEST_JOBS: jobs },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new ServiceProcess(child);
  }

  next(match: (e: ServiceEvent) => boolean, timeoutMs = 60_000): Promise<ServiceEvent> {
    const found = this.events.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event; saw ${JSON.stringify(this.events)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }
}

describe('crash recovery with real processes (kill -9 mid-job, restart)', { timeout: 180_000 }, () => {
  let dataDir: string;
  let current: ServiceProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'av-crash-'));
  });
  after(async () => {
    current?.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('an interrupted job is retried, fails after its attempts; a queued job survives and runs', async () => {
    // First process: a long job X (running) and a short job Y (queued behind it: one worker).
    current = ServiceProcess.start(dataDir, '20000,20');
    const x = await current.next((e) => e.event === 'enqueued');
    const y = await current.next((e) => e.event === 'enqueued' && e.id !== x.id);
    await current.next((e) => e.event === 'started' && e.id === x.id && e.attempt === 1);
    current.child.kill('SIGKILL');
    assert.equal(await current.exited, 'SIGKILL');

    // Second process: X is re-queued and runs again (attempt 2); crash it again mid-job.
    current = ServiceProcess.start(dataDir, '');
    await current.next((e) => e.event === 'started' && e.id === x.id && e.attempt === 2);
    current.child.kill('SIGKILL');
    await current.exited;

    // Third process: X has used both attempts → failed with job.attempts_exhausted; Y runs.
    current = ServiceProcess.start(dataDir, '');
    const xFinal = await current.next((e) => e.event === 'finished' && e.id === x.id);
    assert.equal(xFinal.state, 'failed');
    assert.equal(xFinal.code, 'job.attempts_exhausted');
    const yFinal = await current.next((e) => e.event === 'finished' && e.id === y.id);
    assert.equal(yFinal.state, 'succeeded');
    assert.equal(yFinal.attempts, 1);

    // Graceful SIGTERM exits cleanly.
    current.child.kill('SIGTERM');
    assert.equal(await current.exited, 0);
    current = undefined;
  });
});
