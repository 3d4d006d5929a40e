/**
 * Song benchmark (`npm run bench:song`): separation quality, mixture-melody accuracy and
 * end-to-end speed of song conversion, on material the benchmark builds itself.
 *
 * Quality: synthetic songs with known stems (tests/fixtures/song-mixture.ts: a sung vowel with
 * known notes and vibrato over chords, bass line and drums) at 0 and −5 dB vocal-to-accompaniment
 * ratio, stereo (vocal centred, accompaniment spread) and mono; plus real singing (vocadito
 * track 1, human F0 annotation) over the synthetic accompaniment when the data folder exists.
 * Reported: SI-SDR of the separated vocal and its improvement over the mixture (SI-SDRi), beside
 * a plain STFT centre extraction measured in the same run; melody RPA (50 cents) of our mixture
 * tracker (pitch guesses on every frame, MIREX convention, and voiced-only) and of the
 * general-purpose tracker estimateF0 run on the same mixture.
 * Speed: a 3-minute 44.1 kHz stereo song, end to end — decode, separate, convert, remix, encode.
 *
 * Env: BENCH_SONG_SEEDS (default "1,2,3"), BENCH_SONG_SECONDS (excerpt length, default 12),
 * BENCH_SONG_SPEED_SECONDS (default 180; 0 skips the speed run), BENCH_SONG_SEPARATE_MINUTES
 * (instead of everything else: separation only of a song that long, with its peak memory).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import {
  decodeAudio,
  encodeAudio,
  mixToMono,
  readAudioFile,
  resampleAudio,
  type RawAudio,
} from '../src/audio/index.js';
import { estimateF0 } from '../src/dsp/pitch/index.js';
import { istft, stft } from '../src/dsp/stft.js';
import {
  rawPitchAccuracy,
  scaleInvariantSdr,
  voicingFalseAlarm,
  voicingRecall,
} from '../src/quality/index.js';
import { separateVocals, type MixtureMelody } from '../src/separation/index.js';
import { computeCentreMaskFrame } from '../src/separation/stereo-cues.js';
import { convertSong } from '../src/pipelines/convert-song.pipeline.js';
import { createVoiceProfile } from '../src/pipelines/create-profile.pipeline.js';
import { makeSongMixture } from '../tests/fixtures/song-mixture.js';
import { makeLongSpeechFixture } from '../tests/fixtures/speech.js';

const SEEDS = (process.env.BENCH_SONG_SEEDS ?? '1,2,3').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SONG_SECONDS ?? 12);
const SPEED_SECONDS = Number(process.env.BENCH_SONG_SPEED_SECONDS ?? 180);
const SAMPLE_RATE = 44100;
const VOCADITO = new URL('../../shared/data/vocadito/', import.meta.url);

const mid = (a: RawAudio): Float32Array => mixToMono(a);

/** Plain STFT centre extraction (Avendano-style similarity mask on each channel) — the reference method. */
function centreExtraction(mix: RawAudio): RawAudio {
  const fftSize = 4096;
  const specs = mix.channels.map((c) => stft(c, { fftSize, hopSamples: fftSize / 4 }));
  const [l, r] = specs;
  if (l === undefined || r === undefined) return mix;
  const channels = specs.map((spec) => {
    const re: Float32Array[] = [];
    const im: Float32Array[] = [];
    for (let t = 0; t < spec.re.length; t++) {
      const m = new Float32Array(spec.binCount);
      computeCentreMaskFrame(
        l.re[t] as Float32Array,
        l.im[t] as Float32Array,
        r.re[t] as Float32Array,
        r.im[t] as Float32Array,
        m,
        { exponent: 1, smoothingBins: 0 },
      );
      re.push((spec.re[t] as Float32Array).map((v, k) => v * (m[k] as number)));
      im.push((spec.im[t] as Float32Array).map((v, k) => v * (m[k] as number)));
    }
    return istft({ ...spec, re, im });
  });
  return { channels, sampleRate: mix.sampleRate };
}

function onGrid(
  melody: MixtureMelody,
  which: 'f0Hz' | 'pitchGuessHz',
  frames: number,
  framePeriodMs: number,
  timeOffsetS = 0,
): Float32Array {
  const src = melody[which];
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++)
    out[i] = src[
      Math.min(src.length - 1, Math.round(((i * framePeriodMs) / 1000 + timeOffsetS) / melody.hopSeconds))
    ] as number;
  return out;
}

interface Row {
  name: string;
  sdr: number;
  sdri: number;
  centreSdri: number;
  rpa: number;
  rpaVoiced: number;
  vr: number;
  vfa: number;
  generalRpa: number;
  bassLock: number;
  seconds: number;
}

async function evaluate(
  name: string,
  mixture: RawAudio,
  vocals: RawAudio,
  truthF0: Float32Array,
  framePeriodMs: number,
  bassF0?: Float32Array,
): Promise<Row> {
  const t0 = performance.now();
  const stems = await separateVocals(mixture, { engine: 'dsp' });
  const seconds = (performance.now() - t0) / 1000;
  const ref = mid(vocals);
  const mixSdr = scaleInvariantSdr(ref, mid(mixture));
  const sdr = scaleInvariantSdr(ref, mid(stems.vocals));
  const centreSdri =
    mixture.channels.length >= 2
      ? scaleInvariantSdr(ref, mid(centreExtraction(mixture))) - mixSdr
      : Number.NaN;
  const melody = stems.melody as MixtureMelody;
  const guess = onGrid(melody, 'pitchGuessHz', truthF0.length, framePeriodMs);
  const voiced = onGrid(melody, 'f0Hz', truthF0.length, framePeriodMs);
  const general = estimateF0(mid(mixture), mixture.sampleRate, { framePeriodMs });
  return {
    name,
    sdr,
    sdri: sdr - mixSdr,
    centreSdri,
    rpa: rawPitchAccuracy(truthF0, guess),
    rpaVoiced: rawPitchAccuracy(truthF0, voiced),
    vr: voicingRecall(truthF0, voiced),
    vfa: voicingFalseAlarm(truthF0, voiced),
    generalRpa: rawPitchAccuracy(truthF0, general.f0Hz.subarray(0, truthF0.length)),
    bassLock: bassF0 === undefined ? Number.NaN : rawPitchAccuracy(bassF0, guess),
    seconds,
  };
}

const f = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '  n/a');

function printRows(rows: Row[]): void {
  console.log(
    'mixture                         SI-SDR  SI-SDRi  centre-SDRi  RPA    RPA(v)  VR    VFA   estimateF0-RPA  on-bass  sep-s',
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(30)} ${f(r.sdr).padStart(7)} ${f(r.sdri).padStart(8)} ${f(r.centreSdri).padStart(12)}  ${f(r.rpa, 3)}  ${f(r.rpaVoiced, 3)}  ${f(r.vr)}  ${f(r.vfa)}  ${f(r.generalRpa, 3).padStart(14)}  ${f(r.bassLock, 3).padStart(7)}  ${f(r.seconds, 1)}`,
    );
  }
}

function mean(rows: Row[], key: keyof Row): number {
  const xs = rows.map((r) => r[key] as number).filter(Number.isFinite);
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

async function vocaditoMixture(): Promise<
  { mixture: RawAudio; vocals: RawAudio; f0: Float32Array; framePeriodMs: number } | undefined
> {
  const wav = new URL('vocadito_1.wav', VOCADITO);
  const csv = new URL('vocadito_1_f0.csv', VOCADITO);
  if (!existsSync(wav) || !existsSync(csv)) return undefined;
  const sr = 22050;
  const voice = resampleAudio((await readAudioFile(wav.pathname)).audio, sr);
  const v = mid(voice);
  const seconds = v.length / sr;
  const song = makeSongMixture({ sampleRate: sr, durationSeconds: seconds, stereo: true, seed: 7 });
  const acc = song.accompaniment;
  // 0 dB vocal-to-accompaniment, vocal centred.
  let ev = 0;
  let ea = 0;
  for (let n = 0; n < v.length; n++) ev += (v[n] as number) ** 2;
  for (const c of acc.channels) for (let n = 0; n < v.length; n++) ea += (c[n] as number) ** 2 / 2;
  const g = Math.sqrt(ea / Math.max(1e-12, ev));
  const vc = v.map((x) => x * g);
  const vocals: RawAudio = { channels: [vc, vc.slice()], sampleRate: sr };
  const mixture: RawAudio = {
    channels: acc.channels.map((c, ch) =>
      c.subarray(0, v.length).map((x, n) => x + ((vocals.channels[ch] as Float32Array)[n] as number)),
    ),
    sampleRate: sr,
  };
  // Annotation: time,f0 rows (hop ~5.8 ms) → 5 ms grid by nearest row.
  const rows = readFileSync(csv, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number))
    .filter((r) => Number.isFinite(r[0]) && Number.isFinite(r[1]));
  const framePeriodMs = 5;
  const f0 = new Float32Array(Math.floor(seconds * 200));
  let j = 0;
  for (let i = 0; i < f0.length; i++) {
    const t = i / 200;
    while (j + 1 < rows.length && Math.abs((rows[j + 1] as number[])[0] as number) <= t) j++;
    const a = rows[j] as number[];
    const b = rows[Math.min(rows.length - 1, j + 1)] as number[];
    const near = Math.abs((a[0] as number) - t) <= Math.abs((b[0] as number) - t) ? a : b;
    f0[i] = Math.max(0, near[1] as number);
  }
  return { mixture, vocals, f0, framePeriodMs };
}

async function speedRun(): Promise<void> {
  if (SPEED_SECONDS <= 0) return;
  console.log(
    `\nSpeed: ${SPEED_SECONDS} s 44.1 kHz stereo song end to end (decode → separate → convert → remix → encode), ${availableParallelism()} CPUs`,
  );
  const profile = (
    await createVoiceProfile([await makeLongSpeechFixture('flite:slt')], { name: 'bench-slt' })
  ).profile;
  const song = tiledSong(SPEED_SECONDS * SAMPLE_RATE);
  const bytes = await encodeAudio(song, 'wav');
  // Wall and CPU seconds per stage: on a shared machine the CPU time is what an idle one would take.
  const stageTimes = new Map<string, { wall: number; cpu: number }>();
  const now = () => ({
    wall: performance.now() / 1000,
    cpu: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  });
  const close = (name: string, since: { wall: number; cpu: number }) => {
    const t = now();
    stageTimes.set(name, { wall: t.wall - since.wall, cpu: t.cpu - since.cpu });
  };
  let stage = '';
  let stageStart = now();
  const start = now();
  const { audio } = await decodeAudio(bytes, { maxDurationSeconds: 3600 });
  close('decode', start);
  stageStart = now();
  const result = await convertSong(audio, profile, {
    skipMetrics: true,
    onProgress: (e) => {
      if (e.stage !== stage) {
        if (stage !== '') close(stage, stageStart);
        stage = e.stage;
        stageStart = now();
      }
    },
  });
  close(stage, stageStart);
  const encodeStart = now();
  const out = await encodeAudio(result.mix, 'wav');
  close('encode', encodeStart);
  const end = now();
  const total = end.wall - start.wall;
  const totalCpu = end.cpu - start.cpu;
  console.log(
    `  stages, wall s (CPU s): ${[...stageTimes.entries()].map(([k, v]) => `${k} ${v.wall.toFixed(1)} (${v.cpu.toFixed(1)})`).join(', ')}`,
  );
  console.log(
    `  total ${total.toFixed(1)} s wall, ${totalCpu.toFixed(1)} s CPU for ${SPEED_SECONDS} s of audio; bar <= 60 s for 180 s — wall ${total <= (60 * SPEED_SECONDS) / 180 ? 'PASS' : 'FAIL'}, CPU ${totalCpu <= (60 * SPEED_SECONDS) / 180 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `  load average at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} (2 cores; above 2 means other work shared them)`,
  );
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  console.log(
    `  peak RSS ${peakMiB.toFixed(0)} MiB (whole bench process); output ${(out.length / 1e6).toFixed(1)} MB`,
  );
}

/**
 * A stereo synthetic song of `length` samples: 20 s of it, tiled (synthesising a whole song
 * would dominate the bench).
 */
function tiledSong(length: number): RawAudio {
  const piece = makeSongMixture({
    sampleRate: SAMPLE_RATE,
    durationSeconds: 20,
    stereo: true,
    seed: 5,
  }).mixture;
  return {
    channels: piece.channels.map((c) => Float32Array.from({ length }, (_, n) => c[n % c.length] as number)),
    sampleRate: SAMPLE_RATE,
  };
}

/** Separation only, on a long tiled song: time and peak memory (bounded by segmenting). */
async function longSeparationRun(minutes: number): Promise<void> {
  const length = Math.round(minutes * 60 * SAMPLE_RATE);
  const song = tiledSong(length);
  const before = process.resourceUsage().maxRSS / 1024;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await separateVocals(song);
  const used = process.cpuUsage(cpu);
  console.log(
    `\nSeparation of a ${minutes}-minute 44.1 kHz stereo song: ${((performance.now() - wall) / 1000).toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU; peak RSS ${before.toFixed(0)} MiB before, ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB after (input alone: ${((length * 8) / 2 ** 20).toFixed(0)} MiB)`,
  );
}

async function main(): Promise<void> {
  const longMinutes = Number(process.env.BENCH_SONG_SEPARATE_MINUTES ?? 0);
  if (longMinutes > 0) {
    // Run first, in a fresh process, so the peak memory is this run's.
    await longSeparationRun(longMinutes);
    return;
  }
  console.log(
    `Song separation benchmark — ${SECONDS} s excerpts at ${SAMPLE_RATE} Hz, seeds ${SEEDS.join(',')}`,
  );
  const stereoRows: Row[] = [];
  const monoRows: Row[] = [];
  for (const seed of SEEDS) {
    for (const vocalToAccompanimentDb of [0, -5]) {
      for (const stereo of [true, false]) {
        const song = makeSongMixture({
          sampleRate: SAMPLE_RATE,
          durationSeconds: SECONDS,
          stereo,
          seed,
          vocalToAccompanimentDb,
        });
        const row = await evaluate(
          `seed ${seed} ${vocalToAccompanimentDb} dB ${stereo ? 'stereo' : 'mono'}`,
          song.mixture,
          song.vocals,
          song.vocalF0Hz,
          song.framePeriodMs,
          song.bassF0Hz,
        );
        (stereo ? stereoRows : monoRows).push(row);
      }
    }
  }
  printRows([...stereoRows, ...monoRows]);
  const all = [...stereoRows, ...monoRows];
  console.log(
    `\nmean stereo: SI-SDRi ${f(mean(stereoRows, 'sdri'))} dB (bar >= 6; centre extraction ${f(mean(stereoRows, 'centreSdri'))} dB) — ${mean(stereoRows, 'sdri') >= 6 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `mean mono:   SI-SDRi ${f(mean(monoRows, 'sdri'))} dB (bar >= 3) — ${mean(monoRows, 'sdri') >= 3 ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `mean melody RPA ${f(mean(all, 'rpa'), 3)} (bar >= 0.85) — ${mean(all, 'rpa') >= 0.85 ? 'PASS' : 'FAIL'}; voiced-only RPA ${f(mean(all, 'rpaVoiced'), 3)}; estimateF0 on the mixture ${f(mean(all, 'generalRpa'), 3)}`,
  );
  console.log(
    `worst case: SI-SDRi ${f(Math.min(...all.map((r) => r.sdri)))} dB, RPA ${f(Math.min(...all.map((r) => r.rpa)), 3)}`,
  );

  const real = await vocaditoMixture();
  if (real === undefined) console.log('\nvocadito: skipped (../shared/data/vocadito not found)');
  else {
    console.log(
      '\nReal singing (vocadito 1, human F0 annotation) over the synthetic accompaniment, 0 dB, stereo, 22.05 kHz:',
    );
    printRows([
      await evaluate('vocadito-1 0 dB stereo', real.mixture, real.vocals, real.f0, real.framePeriodMs),
    ]);
  }
  await speedRun();
}

await main();
