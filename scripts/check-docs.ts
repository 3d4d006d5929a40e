// Docs check: (1) every relative link in the Markdown docs resolves to a file, and to a heading
// when it names an anchor; (2) every `curl` and `autovoice` example in the docs' fenced sh blocks
// runs against a live local server and succeeds. Run: `npm run check:docs` (part of .ci/run).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The Markdown files that make up the documentation. */
export function docFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((n) => n.endsWith('.md'))
    .map((n) => join(root, 'docs', n));
  return [join(root, 'README.md'), join(root, 'DEPLOYMENT_CHECKLIST.md'), join(root, 'THIRD_PARTY_NOTICES.md'), ...docs].filter(
    (p) => existsSync(p),
  );
}

/** GitHub-style heading anchors of a Markdown text. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) continue;
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (m?.[1] === undefined) continue;
    const slug = m[1]
      .trim()
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    anchors.add(slug);
  }
  return anchors;
}

/** Broken relative links as "file: link — reason". */
export function findBrokenLinks(files: string[]): string[] {
  const broken: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? '';
      if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
      const [pathPart = '', anchor] = target.split('#');
      const targetFile = pathPart === '' ? file : resolve(dirname(file), pathPart);
      const where = `${relative(root, file)}: ${target}`;
      if (!existsSync(targetFile)) {
        broken.push(`${where} — no such file`);
        continue;
      }
      if (anchor !== undefined && targetFile.endsWith('.md')) {
        if (!headingAnchors(readFileSync(targetFile, 'utf8')).has(anchor)) broken.push(`${where} — no such heading`);
      }
    }
  }
  return broken;
}

/** `curl …` and `autovoice …` commands from fenced sh/bash blocks (continuation lines joined). */
export function extractExamples(markdown: string): string[] {
  const examples: string[] = [];
  for (const block of markdown.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    const lines = (block[1] ?? '').replace(/\s*\\\n\s*/g, ' ').split('\n');
    for (const raw of lines) {
      const line = raw.trim();
      if (/^(curl|autovoice|npx autovoice)\s/.test(line)) examples.push(line);
    }
  }
  return examples;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address !== null ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not ready at ${url} within ${timeoutMs} ms`);
}

/**
 * The files the documented examples name: speech.wav (an embedded TTS voice), alice.wav (about
 * 15 s of another voice, enough for a profile) and song.wav (a synthetic song with known stems).
 */
async function prepareExampleMaterial(work: string, env: NodeJS.ProcessEnv): Promise<void> {
  const cli = (args: string[]): void => {
    execFileSync(process.execPath, [join(root, 'bin/autovoice.mjs'), ...args], { env, cwd: work, stdio: 'pipe' });
  };
  cli(['tts', 'The quick brown fox jumps over the lazy dog. We make test audio for the documentation examples.', '--voice', 'flite:slt', '--out', join(work, 'speech.wav')]);
  cli([
    'tts',
    'Alice reads a few sentences so that a voice profile can be made from them. She speaks slowly and clearly, with pauses between the sentences. ' +
      'A profile needs at least five seconds of voiced speech. This recording has more than enough of it for the examples.',
    '--voice',
    'flite:awb',
    '--out',
    join(work, 'alice.wav'),
  ]);
  const { makeSongMixture } = await import('../tests/fixtures/song-mixture.js');
  const { writeAudioFile } = await import('../src/audio/index.js');
  await writeAudioFile(join(work, 'song.wav'), makeSongMixture({ durationSeconds: 8 }).mixture);
}

async function runExamples(files: string[]): Promise<string[]> {
  // `serve` runs until stopped: the live server this check starts is that example.
  const examples = files
    .flatMap((f) => extractExamples(readFileSync(f, 'utf8')).map((cmd) => ({ file: f, cmd })))
    .filter(({ cmd }) => !/^(npx )?autovoice serve\b/.test(cmd));
  if (examples.length === 0) return [];
  const work = mkdtempSync(join(tmpdir(), 'autovoice-docs-'));
  const port = await freePort();
  const adminKey = 'av_docs_check_admin_key_0123456789';
  const env = {
    ...process.env,
    AUTOVOICE_DATA_DIR: join(work, 'data'),
    AUTOVOICE_PORT: String(port),
    AUTOVOICE_HOST: '127.0.0.1',
    AUTOVOICE_AUTH: 'required',
    AUTOVOICE_ADMIN_KEY: adminKey,
    AUTOVOICE_LOG_LEVEL: 'warn',
    AUTOVOICE_KEY: adminKey,
    AUTOVOICE_URL: `http://127.0.0.1:${port}`,
  };
  const server = spawn(process.execPath, [join(root, 'bin/autovoice.mjs'), 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let serverErr = '';
  server.stderr.on('data', (d: Buffer) => (serverErr += d.toString()));
  const failures: string[] = [];
  try {
    await waitReady(`http://127.0.0.1:${port}/health/ready`, 120_000);
    await prepareExampleMaterial(work, env);
    for (const { file, cmd } of examples) {
      const command = cmd
        .replace(/http:\/\/localhost:5000/g, env.AUTOVOICE_URL)
        .replace(/^npx autovoice /, 'autovoice ')
        .replace(/^autovoice /, `${process.execPath} ${join(root, 'bin/autovoice.mjs')} `);
      const shell = command.startsWith('curl') ? command.replace(/^curl /, 'curl -fsS --max-time 120 ') : command;
      try {
        execFileSync('bash', ['-c', shell], { env, cwd: work, stdio: 'pipe', timeout: 180_000 });
      } catch (error) {
        const e = error as { stderr?: Buffer; status?: number };
        failures.push(`${relative(root, file)}: \`${cmd}\` → exit ${e.status ?? '?'}: ${e.stderr?.toString().slice(0, 300) ?? ''}`);
      }
    }
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    if (failures.length > 0 && serverErr) failures.push(`server stderr: ${serverErr.slice(-1000)}`);
    rmSync(work, { recursive: true, force: true });
  }
  return failures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = docFiles();
  const broken = findBrokenLinks(files);
  for (const b of broken) console.error(`broken link: ${b}`);
  const failures = process.argv.includes('--links-only') ? [] : await runExamples(files);
  for (const f of failures) console.error(`failed example: ${f}`);
  if (broken.length + failures.length > 0) process.exit(1);
  console.log(`docs: ${files.length} files, links resolve${process.argv.includes('--links-only') ? '' : ', examples pass'}`);
}
