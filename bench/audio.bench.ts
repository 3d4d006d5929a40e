// Audio I/O benchmark (issue 2, item 7): decode + resample + mix-down of a 3-minute 44.1 kHz
// stereo MP3 to 16 kHz mono, as real-time factors (RTF = processing time / audio duration;
// target <= 0.02 on one core), with peak memory, against SoX / FFmpeg measured in the same run
// when installed, plus a resampler-quality row. Not a test: it prints a table.
//
//   npm run bench                 # 180 s of audio (the input MP3 is cached in the temp folder)
//   npm run bench -- --seconds 30 # shorter, while developing
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio, encodeAudio, measureLoudness, mixToMono, resample, type RawAudio } from '../src/audio/index.js';

const SOURCE_RATE = 44100;
const TARGET_RATE = 16000;
const secondsArg = process.argv.indexOf('--seconds');
const DURATION_SECONDS = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 180;

/** A music-like stereo signal: chords with decaying harmonics, bass, kick and hi-hat, panned. */
function makeMusic(seconds: number, rate: number): RawAudio {
  const length = Math.round(seconds * rate);
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  const chords = [
    [220, 277.18, 329.63],
    [196, 246.94, 293.66],
    [174.61, 220, 261.63],
    [196, 246.94, 329.63],
  ];
  const barSamples = 2 * rate;
  let noise = 1;
  for (let i = 0; i < length; i++) {
    const t = i / rate;
    const bar = Math.floor(i / barSamples);
    const inBar = (i % barSamples) / rate;
    const chord = chords[bar % chords.length] as number[];
    let l = 0;
    let r = 0;
    chord.forEach((f, n) => {
      const envelope = Math.min(1, inBar * 50) * Math.exp(-inBar * 1.2);
      let tone = 0;
      for (let h = 1; h <= 5; h++) tone += Math.sin(2 * Math.PI * f * h * t + n) / (h * h);
      const pan = 0.3 + 0.2 * n;
      l += (1 - pan) * envelope * tone * 0.25;
      r += pan * envelope * tone * 0.25;
    });
    const bass = 0.3 * Math.sin(2 * Math.PI * ((chord[0] as number) / 2) * t) * Math.exp(-(inBar % 0.5) * 3);
    const beat = t % 0.5;
    const kick = 0.5 * Math.sin(2 * Math.PI * (50 + 60 * Math.exp(-beat * 30)) * beat) * Math.exp(-beat * 12);
    noise = (noise * 1664525 + 1013904223) >>> 0;
    const hat = ((noise / 2 ** 32 - 0.5) * 0.25 * Math.exp(-(t % 0.25) * 60)) as number;
    left[i] = 0.8 * (l + bass + kick + hat * 0.7);
    right[i] = 0.8 * (r + bass + kick + hat * 1.3);
  }
  return { channels: [left, right], sampleRate: rate };
}

interface Timing {
  wallSeconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
  heapMiB: number;
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, Timing]> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const mem = process.memoryUsage();
  return [
    result,
    {
      wallSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
      heapMiB: (mem.heapUsed + mem.arrayBuffers) / 2 ** 20,
    },
  ];
}

function commandExists(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Wall time and peak RSS of an external command (GNU time when present). */
function timeExternal(args: string[]): { wallSeconds: number; maxRssMiB: number | undefined } | undefined {
  const gnuTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const run = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', ...args], { maxBuffer: 1 << 30 })
    : spawnSync(args[0] as string, args.slice(1), { maxBuffer: 1 << 30 });
  const wallSeconds = (performance.now() - t0) / 1000;
  if (run.status !== 0) return undefined;
  const kib = gnuTime ? Number(String(run.stderr).trim().split('\n').pop()) : Number.NaN;
  return { wallSeconds, maxRssMiB: Number.isFinite(kib) ? kib / 1024 : undefined };
}

function levelDb(x: Float32Array, skip: number): number {
  let sum = 0;
  for (let i = skip; i < x.length - skip; i++) sum += (x[i] as number) ** 2;
  return 10 * Math.log10((2 * sum) / (x.length - 2 * skip) + 1e-30);
}

/** Stopband: level of a 0 dBFS tone above the new Nyquist after 44.1k -> 16k; ripple: passband tones 0.1-7.2 kHz. */
async function resamplerQuality(tool: (x: Float32Array) => Promise<Float32Array | undefined>): Promise<{ stopbandDb: number; rippleDb: number } | undefined> {
  const tone = (f: number): Float32Array => Float32Array.from({ length: SOURCE_RATE }, (_, i) => Math.sin((2 * Math.PI * f * i) / SOURCE_RATE));
  let worstStop = -Infinity;
  for (const f of [8200, 9000, 12000, 18000]) {
    const out = await tool(tone(f));
    if (!out) return undefined;
    worstStop = Math.max(worstStop, levelDb(out, 2000));
  }
  let ripple = 0;
  for (const f of [100, 1000, 4000, 6000, 7200]) {
    const out = await tool(tone(f));
    if (!out) return undefined;
    ripple = Math.max(ripple, Math.abs(levelDb(out, 2000)));
  }
  return { stopbandDb: -worstStop, rippleDb: ripple };
}

/** Runs an external resampler on a float WAV and reads the result back. */
function externalResampler(args: (input: string, output: string) => string[]): (x: Float32Array) => Promise<Float32Array | undefined> {
  return async (x) => {
    const dir = join(tmpdir(), 'autovoice-bench');
    const input = join(dir, 'tone-in.wav');
    const output = join(dir, 'tone-out.wav');
    writeFileSync(input, await encodeAudio({ channels: [x], sampleRate: SOURCE_RATE }, 'wav-f32'));
    const argv = args(input, output);
    const run = spawnSync(argv[0] as string, argv.slice(1));
    if (run.status !== 0) return undefined;
    return (await decodeAudio(readFileSync(output))).audio.channels[0];
  };
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 34 : 14)).join('');
}

async function main(): Promise<void> {
  const dir = join(tmpdir(), 'autovoice-bench');
  mkdirSync(dir, { recursive: true });
  const mp3Path = join(dir, `music-${DURATION_SECONDS}s-44k1-stereo.mp3`);
  if (!existsSync(mp3Path)) {
    console.log(`Encoding ${DURATION_SECONDS} s of synthetic music to ${mp3Path} with our MP3 encoder (once)...`);
    writeFileSync(mp3Path, await encodeAudio(makeMusic(DURATION_SECONDS, SOURCE_RATE), 'mp3', { mp3BitrateKbps: 192 }));
  }
  const bytes = new Uint8Array(readFileSync(mp3Path));
  console.log(`Input: ${mp3Path} (${(bytes.length / 2 ** 20).toFixed(1)} MiB); load average ${loadavg().map((v) => v.toFixed(1)).join(' ')}; Node ${process.version}`);

  const endToEnd = async (): Promise<Float32Array> => {
    const { audio } = await decodeAudio(bytes);
    return resample(mixToMono(audio), audio.sampleRate, TARGET_RATE);
  };
  // Cold first, in a fresh process: its peak RSS is the chain's own (and it pays the wasm compile).
  const [, tColdEndToEnd] = await timed(endToEnd);
  const [decoded, tDecode] = await timed(() => decodeAudio(bytes));
  const seconds = decoded.info.durationSeconds;
  const [mono, tMix] = await timed(() => mixToMono(decoded.audio));
  const [out16k, tResample] = await timed(() => resample(mono, SOURCE_RATE, TARGET_RATE));
  const [, tEndToEnd] = await timed(endToEnd);
  const [, tLoudness] = await timed(() => measureLoudness(decoded.audio));
  if (out16k.length !== Math.ceil((mono.length * TARGET_RATE) / SOURCE_RATE)) throw new Error('unexpected output length');

  const rtf = (t: Timing): string => (t.wallSeconds / seconds).toFixed(4);
  const cpuRtf = (t: Timing): string => (t.cpuSeconds / seconds).toFixed(4);
  console.log(`\nAudio: ${seconds.toFixed(1)} s, ${decoded.info.channels} ch, ${decoded.info.sampleRate} Hz -> 16 kHz mono. RTF = time / duration (target <= 0.02).\n`);
  console.log('RTF (cpu) counts all threads of this process (GC, wasm compiler); max RSS is the process high-water mark so far.\n');
  console.log(row(['stage', 'wall s', 'RTF (wall)', 'RTF (cpu)', 'max RSS MiB', 'heap+buf MiB']));
  for (const [name, t] of [
    ['end-to-end, cold (first run)', tColdEndToEnd],
    ['decode (mpg123 wasm)', tDecode],
    ['mix-down to mono', tMix],
    ['resample 44.1k -> 16k (ours)', tResample],
    ['end-to-end, warm', tEndToEnd],
    ['(info) loudness + true peak', tLoudness],
  ] as const) {
    console.log(row([name, t.wallSeconds.toFixed(3), rtf(t), cpuRtf(t), t.maxRssMiB.toFixed(0), t.heapMiB.toFixed(0)]));
  }

  const references: [string, string[]][] = [
    ['sox (same job)', ['sox', mp3Path, '-t', 'f32', '-r', '16000', '-c', '1', '/dev/null']],
    ['ffmpeg -threads 1 (same job)', ['ffmpeg', '-v', 'error', '-threads', '1', '-i', mp3Path, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-y', '/dev/null']],
  ];
  for (const [name, argv] of references) {
    const result = commandExists(argv[0] as string) ? timeExternal(argv) : undefined;
    if (!result) {
      console.log(row([name, 'n/a', 'n/a', 'n/a', 'n/a', 'not installed']));
      continue;
    }
    const ratio = tEndToEnd.wallSeconds / result.wallSeconds;
    console.log(
      row([name, result.wallSeconds.toFixed(3), (result.wallSeconds / seconds).toFixed(4), 'n/a', result.maxRssMiB?.toFixed(0) ?? 'n/a', `ours/ref ${ratio.toFixed(2)}x`]),
    );
  }

  console.log('\nResampler quality, 44.1 kHz -> 16 kHz (stopband: worst 0 dBFS tone at 8.2-18 kHz; ripple: 0.1-7.2 kHz tones)\n');
  console.log(row(['resampler', 'stopband dB', 'ripple dB']));
  const ours = await resamplerQuality(async (x) => resample(x, SOURCE_RATE, TARGET_RATE));
  console.log(row(['ours (Kaiser polyphase, 110 dB design)', ours?.stopbandDb.toFixed(1) ?? 'n/a', ours?.rippleDb.toFixed(4) ?? 'n/a']));
  const soxQuality = commandExists('sox') ? await resamplerQuality(externalResampler((i, o) => ['sox', i, '-r', '16000', o])) : undefined;
  console.log(row(['sox rate (default -h)', soxQuality?.stopbandDb.toFixed(1) ?? 'n/a', soxQuality?.rippleDb.toFixed(4) ?? 'n/a']));
  const ffQuality = commandExists('ffmpeg')
    ? await resamplerQuality(externalResampler((i, o) => ['ffmpeg', '-v', 'error', '-i', i, '-ar', '16000', '-c:a', 'pcm_f32le', '-y', o]))
    : undefined;
  console.log(row(['ffmpeg swr (default)', ffQuality?.stopbandDb.toFixed(1) ?? 'n/a', ffQuality?.rippleDb.toFixed(4) ?? 'n/a']));
}

await main();
