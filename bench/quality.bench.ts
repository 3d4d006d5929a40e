// Voice-conversion quality benchmark (issue 4, item 5) — `npm run bench:quality [-- --quick]`.
//
// A parallel corpus made here from the embedded TTS voices (tests/fixtures/speech.ts): the same
// sentences in every voice, all resampled to 16 kHz. Profiles (createVoiceProfile) and the speaker-
// identification models (GMM-UBM, src/quality/speaker-id.ts) are built from PROFILE sentences;
// conversions use held-out TEST sentences. For every ordered pair A→B and test sentence:
//   - MCD (24 mel-cepstra, c0 excluded, DTW, silence dropped) between convertVoice(A→B) and B's own
//     rendition, beside the unconverted MCD(A, B);
//   - log-F0 RMSE (cents) and correlation against B along the same DTW path;
//   - which voice the GMM-UBM assigns the converted audio to;
// the same for plain pitch-shift baselines (our vocoder's shiftPitch to B's median F0, and Rubber
// Band R3 with and without formant preservation when `rubberband` is installed).
// Singing: melody accuracy (RPA, 50 cents) against the intended (transposed) melody, on singing
// synthesised from TTS speech with known notes (analyzeVoice + replaceF0 + synthesizeVoice) and on
// vocadito (../shared/data/vocadito; skipped when absent).
// Speed: conversion real-time factor, profile creation time for 5 minutes of audio, peak memory.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monoAudio, readAudioFile, resample } from '../src/audio/index.js';
import { analyzeVoice, replaceF0, shiftPitch, signalSource, synthesizeVoice } from '../src/dsp/index.js';
import { estimateF0 } from '../src/dsp/pitch/index.js';
import {
  alignByMelCepstra,
  computeSpeakerEmbedding,
  embeddingSimilarity,
  identifySpeaker,
  logF0Correlation,
  logF0Rmse,
  rawPitchAccuracy,
  resampleF0Track,
  trainSpeakerModels,
  type SpeakerModels,
} from '../src/quality/index.js';
import { convertVoice } from '../src/pipelines/convert-voice.pipeline.js';
import { createVoiceProfile } from '../src/pipelines/create-profile.pipeline.js';
import type { VoiceProfile } from '../src/voice/voice-profile.js';
import { FIXTURE_SENTENCES, FIXTURE_VOICES, makeSpeechFixture } from '../tests/fixtures/speech.js';
import { rubberbandAvailable, rubberbandShift } from './rubberband.js';

const QUICK = process.argv.includes('--quick');
const SR = 16000;
const VOICES: string[] = QUICK ? FIXTURE_VOICES.slice(0, 5) : [...FIXTURE_VOICES];
const PROFILE_TEXTS: readonly string[] = FIXTURE_SENTENCES;
const TEST_TEXTS = [
  'Many people enjoy walking along the beach early in the morning.',
  'Could you tell me the way to the old railway station, please?',
  'Our neighbours planted tomatoes, beans and yellow roses last spring.',
].slice(0, QUICK ? 1 : 2);
const VOCADITO_DIR = new URL('../../shared/data/vocadito/', import.meta.url);

// Bars of issue 4 (means over all pairs).
const BAR_MCD_GAIN_DB = 2.5;
const BAR_SPEAKER_ID = 0.7;
const BAR_LOGF0_RMSE_CENTS = 180;
const BAR_SINGING_RPA = 0.95;

const t0 = performance.now();
const seconds = (): string => ((performance.now() - t0) / 1000).toFixed(0);
const mean = (xs: number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const short = (voice: string): string => voice.replace(/^(flite|espeak):/, '');
const pad = (s: string, n: number): string => s.padStart(n);
const memory = { peakRssMb: 0 };
/** CPU seconds (user + system) of this process: robust to other processes sharing the cores. */
const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
function sampleMemory(): void {
  memory.peakRssMb = Math.max(memory.peakRssMb, process.memoryUsage().rss / 2 ** 20);
}

async function render(voice: string, text: string): Promise<Float32Array> {
  const audio = await makeSpeechFixture(text, voice);
  const mono = audio.channels[0] as Float32Array;
  return audio.sampleRate === SR ? mono : resample(mono, audio.sampleRate, SR);
}

/** One system's output for one pair and sentence, scored against B's rendition. */
interface PairScore {
  mcdDb: number;
  logF0RmseCents: number;
  logF0Corr: number;
  assigned: string;
  similarityToTarget: number;
}

interface Reference {
  signal: Float32Array;
  f0: Float32Array;
}

function scoreAgainst(output: Float32Array, ref: Reference, models: SpeakerModels, targetEmbedding: Float32Array): PairScore {
  const align = alignByMelCepstra(output, ref.signal, SR);
  const f0 = estimateF0(output, SR, { framePeriodMs: align.framePeriodMs }).f0Hz;
  const a = Float32Array.from(align.pathA, (i) => f0[i] ?? 0);
  const b = Float32Array.from(align.pathB, (i) => ref.f0[i] ?? 0);
  const ranking = identifySpeaker(models, monoAudio(output, SR));
  return {
    mcdDb: align.meanMcdDb,
    logF0RmseCents: logF0Rmse(b, a),
    logF0Corr: logF0Correlation(b, a),
    assigned: ranking[0]?.speaker ?? '',
    similarityToTarget: embeddingSimilarity(computeSpeakerEmbedding(output, SR), targetEmbedding),
  };
}

/**
 * The speech-mode target with no audio processing at all: A's F0 track with its ln-F0 mean and
 * standard deviation mapped onto B's, compared with B's track along the A–B DTW path.
 */
function oracleF0Mapping(source: Float32Array, ref: Reference, a: F0Stats, b: F0Stats): { rmse: number; corr: number } {
  const align = alignByMelCepstra(source, ref.signal, SR);
  const f0 = estimateF0(source, SR, { framePeriodMs: align.framePeriodMs }).f0Hz;
  const mapped = Float32Array.from(align.pathA, (i) => {
    const hz = f0[i] ?? 0;
    return hz > 0 ? Math.exp(b.meanLog + ((Math.log(hz) - a.meanLog) * b.stdLog) / a.stdLog) : 0;
  });
  const target = Float32Array.from(align.pathB, (i) => ref.f0[i] ?? 0);
  return { rmse: logF0Rmse(target, mapped), corr: logF0Correlation(target, mapped) };
}

interface F0Stats {
  medianHz: number;
  meanLog: number;
  stdLog: number;
}

/** Median F0 and mean/std of ln F0 over the voiced frames of `signals`. */
function f0Stats(signals: Float32Array[]): F0Stats {
  const values: number[] = [];
  for (const s of signals) for (const f of estimateF0(s, SR).f0Hz) if (f > 0) values.push(f);
  values.sort((x, y) => x - y);
  const logs = values.map(Math.log);
  const meanLog = mean(logs);
  return { medianHz: values[Math.floor(values.length / 2)] ?? Number.NaN, meanLog, stdLog: Math.sqrt(mean(logs.map((l) => (l - meanLog) ** 2))) };
}

type System = 'converted' | 'unconverted' | 'shiftPitch' | 'rubberband' | 'rubberband-formant';

async function main(): Promise<void> {
  console.log(`# bench:quality ${QUICK ? '(quick)' : ''} — ${VOICES.length} voices, ${PROFILE_TEXTS.length} profile sentences, ${TEST_TEXTS.length} test sentence(s), ${SR} Hz`);
  const rbAvailable = rubberbandAvailable();
  const work = mkdtempSync(join(tmpdir(), 'autovoice-bench-quality-'));
  try {
    // ── corpus ───────────────────────────────────────────────────────────────
    const profileAudio = new Map<string, Float32Array[]>();
    const testAudio = new Map<string, Float32Array[]>();
    for (const voice of VOICES) {
      profileAudio.set(voice, await Promise.all(PROFILE_TEXTS.map((t) => render(voice, t))));
      testAudio.set(voice, await Promise.all(TEST_TEXTS.map((t) => render(voice, t))));
    }
    const profileSeconds = mean(VOICES.map((v) => (profileAudio.get(v) ?? []).reduce((s, x) => s + x.length, 0) / SR));
    console.log(`corpus rendered (${seconds()} s); profile material ≈ ${profileSeconds.toFixed(1)} s per voice`);

    // ── profiles and speaker-ID models ───────────────────────────────────────
    const profiles = new Map<string, VoiceProfile>();
    const profileTimes: number[] = [];
    for (const voice of VOICES) {
      const start = performance.now();
      const { profile } = await createVoiceProfile(
        (profileAudio.get(voice) ?? []).map((s) => monoAudio(s, SR)),
        { name: `bench-${short(voice)}` },
      );
      profileTimes.push((performance.now() - start) / 1000);
      profiles.set(voice, profile);
      sampleMemory();
    }
    const models = trainSpeakerModels(new Map(VOICES.map((v) => [v, (profileAudio.get(v) ?? []).map((s) => monoAudio(s, SR))])));
    const stats = new Map(VOICES.map((v) => [v, f0Stats(profileAudio.get(v) ?? [])]));
    console.log(`profiles + speaker models built (${seconds()} s); profile creation ${fmt(mean(profileTimes))} s per ${profileSeconds.toFixed(0)} s of audio`);

    // Sanity check of the classifier on the voices' own held-out renditions.
    let ownCorrect = 0;
    let ownTotal = 0;
    for (const voice of VOICES) {
      for (const s of testAudio.get(voice) ?? []) {
        ownTotal++;
        if (identifySpeaker(models, monoAudio(s, SR))[0]?.speaker === voice) ownCorrect++;
      }
    }
    console.log(`speaker classifier on unconverted held-out sentences: ${ownCorrect}/${ownTotal} correct`);

    // Ceiling: each voice's own test renditions through the vocoder (analysis → synthesis).
    {
      const mcds: number[] = [];
      let idCorrect = 0;
      for (const voice of VOICES) {
        for (const s of testAudio.get(voice) ?? []) {
          const resynth = synthesizeVoice(analyzeVoice(s, SR), { source: signalSource(s) });
          mcds.push(alignByMelCepstra(resynth, s, SR).meanMcdDb);
          if (identifySpeaker(models, monoAudio(resynth, SR))[0]?.speaker === voice) idCorrect++;
        }
      }
      console.log(`vocoder round trip of the voices' own renditions (ceiling): MCD ${fmt(mean(mcds))} dB, speaker-ID ${idCorrect}/${mcds.length}`);
    }

    // ── all ordered pairs ────────────────────────────────────────────────────
    const systems: System[] = ['converted', 'unconverted', 'shiftPitch', ...(rbAvailable ? (['rubberband', 'rubberband-formant'] as System[]) : [])];
    const scores = new Map<System, Map<string, PairScore[]>>(systems.map((s) => [s, new Map()]));
    let convertSeconds = 0;
    const oracle: { rmse: number; corr: number }[] = [];
    let convertWallSeconds = 0;
    let convertedAudioSeconds = 0;
    const refs = new Map<string, Reference[]>();
    for (const voice of VOICES) {
      refs.set(voice, (testAudio.get(voice) ?? []).map((signal) => ({ signal, f0: estimateF0(signal, SR).f0Hz })));
    }
    for (const a of VOICES) {
      for (const b of VOICES) {
        if (a === b) continue;
        const key = `${a}|${b}`;
        const profile = profiles.get(b) as VoiceProfile;
        const statsA = stats.get(a) as F0Stats;
        const statsB = stats.get(b) as F0Stats;
        const semitones = 12 * Math.log2(statsB.medianHz / statsA.medianHz);
        for (let s = 0; s < TEST_TEXTS.length; s++) {
          const source = (testAudio.get(a) as Float32Array[])[s] as Float32Array;
          const ref = (refs.get(b) as Reference[])[s] as Reference;
          const outputs: Partial<Record<System, Float32Array>> = { unconverted: source };
          oracle.push(oracleF0Mapping(source, ref, statsA, statsB));
          const start = performance.now();
          const startCpu = cpuSeconds();
          const result = await convertVoice(monoAudio(source, SR), profile, { mode: 'speech', skipMetrics: true });
          convertSeconds += cpuSeconds() - startCpu;
          convertWallSeconds += (performance.now() - start) / 1000;
          convertedAudioSeconds += source.length / SR;
          outputs.converted = result.audio.channels[0] as Float32Array;
          outputs.shiftPitch = synthesizeVoice(shiftPitch(analyzeVoice(source, SR), semitones));
          if (rbAvailable) {
            const plain = await rubberbandShift(source, SR, semitones, false);
            const formant = await rubberbandShift(source, SR, semitones, true);
            if (plain !== null) outputs.rubberband = plain.out;
            if (formant !== null) outputs['rubberband-formant'] = formant.out;
          }
          for (const system of systems) {
            const out = outputs[system];
            if (out === undefined) continue;
            const list = (scores.get(system) as Map<string, PairScore[]>).get(key) ?? [];
            list.push(scoreAgainst(out, ref, models, profile.embedding));
            (scores.get(system) as Map<string, PairScore[]>).set(key, list);
          }
          sampleMemory();
        }
      }
      console.log(`  source ${short(a)} done (${seconds()} s)`);
    }

    // ── summary per system ───────────────────────────────────────────────────
    const summary = (system: System): { mcd: number; rmse: number; corr: number; id: number; sim: number } => {
      const all = [...(scores.get(system) as Map<string, PairScore[]>).entries()].flatMap(([key, list]) => list.map((p) => ({ key, p })));
      return {
        mcd: mean(all.map((x) => x.p.mcdDb)),
        rmse: mean(all.map((x) => x.p.logF0RmseCents).filter(Number.isFinite)),
        corr: mean(all.map((x) => x.p.logF0Corr).filter(Number.isFinite)),
        id: mean(all.map((x) => (x.p.assigned === x.key.split('|')[1] ? 1 : 0))),
        sim: mean(all.map((x) => x.p.similarityToTarget)),
      };
    };
    console.log(`\n## Speech conversion, means over ${VOICES.length * (VOICES.length - 1)} ordered pairs × ${TEST_TEXTS.length} sentence(s)`);
    console.log('system              | MCD dB | log-F0 RMSE c | log-F0 corr | speaker-ID → target | cos sim → target');
    const sums = new Map(systems.map((s) => [s, summary(s)]));
    for (const system of systems) {
      const x = sums.get(system) as ReturnType<typeof summary>;
      console.log(`${system.padEnd(19)} | ${pad(fmt(x.mcd), 6)} | ${pad(fmt(x.rmse, 0), 13)} | ${pad(fmt(x.corr), 11)} | ${pad(fmt(x.id * 100, 0) + ' %', 19)} | ${pad(fmt(x.sim), 16)}`);
    }
    console.log(
      `${'oracle F0 mapping'.padEnd(19)} | ${pad('—', 6)} | ${pad(fmt(mean(oracle.map((o) => o.rmse).filter(Number.isFinite)), 0), 13)} | ${pad(fmt(mean(oracle.map((o) => o.corr).filter(Number.isFinite))), 11)} |` +
        ' (F0 only: A\'s own track, ln-F0 mean/std mapped onto B\'s — what speech mode aims at, with no resynthesis)',
    );
    if (!rbAvailable) console.log('(rubberband not installed: `flock /tmp/apt.lock apt-get install -y rubberband-cli` adds the Rubber Band baselines)');

    // ── pair matrices ────────────────────────────────────────────────────────
    const matrix = (title: string, system: System, cell: (list: PairScore[], target: string) => string): void => {
      console.log(`\n${title} (rows: source A, columns: target B)`);
      console.log(`${''.padEnd(12)}${VOICES.map((v) => pad(short(v), 12)).join('')}`);
      for (const a of VOICES) {
        const row = VOICES.map((b) => {
          if (a === b) return pad('·', 12);
          const list = (scores.get(system) as Map<string, PairScore[]>).get(`${a}|${b}`) ?? [];
          return pad(cell(list, b), 12);
        });
        console.log(`${short(a).padEnd(12)}${row.join('')}`);
      }
    };
    // Converted and unconverted side by side in one matrix.
    console.log('\nMCD dB per pair "converted/unconverted" (rows A, columns B)');
    console.log(`${''.padEnd(12)}${VOICES.map((v) => pad(short(v), 12)).join('')}`);
    for (const a of VOICES) {
      const row = VOICES.map((b) => {
        if (a === b) return pad('·', 12);
        const c = mean(((scores.get('converted') as Map<string, PairScore[]>).get(`${a}|${b}`) ?? []).map((p) => p.mcdDb));
        const u = mean(((scores.get('unconverted') as Map<string, PairScore[]>).get(`${a}|${b}`) ?? []).map((p) => p.mcdDb));
        return pad(`${fmt(c, 1)}/${fmt(u, 1)}`, 12);
      });
      console.log(`${short(a).padEnd(12)}${row.join('')}`);
    }
    matrix('log-F0 RMSE against B, cents (converted)', 'converted', (list) => fmt(mean(list.map((p) => p.logF0RmseCents)), 0));
    matrix('log-F0 correlation against B (converted)', 'converted', (list) => fmt(mean(list.map((p) => p.logF0Corr))));
    matrix('speaker-ID of converted audio (assigned voice; * = target)', 'converted', (list, target) =>
      list.map((p) => (p.assigned === target ? '*' : short(p.assigned).slice(0, 5))).join(','),
    );
    matrix('speaker-ID of shiftPitch baseline (assigned voice; * = target)', 'shiftPitch', (list, target) =>
      list.map((p) => (p.assigned === target ? '*' : short(p.assigned).slice(0, 5))).join(','),
    );

    // ── singing ──────────────────────────────────────────────────────────────
    const singing = await singingBench(profiles, VOICES, (v) => (testAudio.get(v) as Float32Array[])[0] as Float32Array);
    sampleMemory();

    // ── speed ────────────────────────────────────────────────────────────────
    const fiveMin = await profileCreationSpeed(profileAudio.get(VOICES[0] as string) ?? []);
    sampleMemory();
    const rtf = convertSeconds / convertedAudioSeconds;
    console.log('\n## Speed (CPU seconds of this single-threaded process; wall clock beside it, inflated when other processes share the cores)');
    console.log(
      `conversion RTF: ${fmt(rtf, 3)} (${fmt(convertSeconds, 1)} CPU s for ${fmt(convertedAudioSeconds, 1)} s of speech; wall RTF ${fmt(convertWallSeconds / convertedAudioSeconds, 3)}; bar <= 0.1)`,
    );
    console.log(`profile creation, 5 minutes of audio: ${fmt(fiveMin.cpu, 1)} CPU s (wall ${fmt(fiveMin.wall, 1)} s; bar <= 15 s)`);
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(`peak memory: ${fmt(Math.max(maxRssMb, memory.peakRssMb), 0)} MiB RSS (whole bench process)`);

    // ── bars ─────────────────────────────────────────────────────────────────
    const conv = sums.get('converted') as ReturnType<typeof summary>;
    const unconv = sums.get('unconverted') as ReturnType<typeof summary>;
    const bar = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
    console.log('\n## Bars (issue 4)');
    console.log(`${bar(unconv.mcd - conv.mcd >= BAR_MCD_GAIN_DB)}  converted MCD ${fmt(conv.mcd)} dB vs unconverted ${fmt(unconv.mcd)} dB: ${fmt(unconv.mcd - conv.mcd)} dB lower (bar >= ${BAR_MCD_GAIN_DB})`);
    console.log(`${bar(conv.id >= BAR_SPEAKER_ID)}  speaker-ID assigns converted audio to the target in ${fmt(conv.id * 100, 0)} % (bar >= ${BAR_SPEAKER_ID * 100} %)`);
    console.log(`${bar(conv.rmse <= BAR_LOGF0_RMSE_CENTS)}  log-F0 RMSE against the target ${fmt(conv.rmse, 0)} cents (bar <= ${BAR_LOGF0_RMSE_CENTS})`);
    for (const s of singing) console.log(`${bar(s.rpa >= BAR_SINGING_RPA)}  singing RPA (${s.name}) ${fmt(s.rpa, 3)} (bar >= ${BAR_SINGING_RPA}; input tracked at ${fmt(s.inputRpa, 3)})`);
    console.log(`${bar(rtf <= 0.1)}  conversion RTF ${fmt(rtf, 3)} (bar <= 0.1)`);
    console.log(`${bar(fiveMin.cpu <= 15)}  profile creation from 5 min ${fmt(fiveMin.cpu, 1)} CPU s (bar <= 15 s)`);
    console.log(`\ntotal bench time ${seconds()} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Note sequence of the synthetic song, as semitones above the singer's base note, one per 0.4 s. */
const MELODY_STEPS = [0, 2, 4, 5, 7, 5, 4, 2, 0, 4, 7, 12, 7, 4];
const NOTE_SECONDS = 0.4;
/** Portamento into each note (s): singers glide, and the truth stays exact through the glide. */
const GLIDE_SECONDS = 0.06;

/**
 * Singing with known notes: a TTS rendition re-pitched onto a melody (replaceF0 on its voiced
 * frames: 0.4 s notes joined by 60 ms smoothstep glides in log-frequency), resynthesised by the
 * vocoder. Returns the signal and its exact F0 per 5 ms frame (the truth).
 */
function synthesizeSong(speech: Float32Array, baseHz: number): { signal: Float32Array; truth: Float32Array } {
  const analysis = analyzeVoice(speech, SR);
  const frameSeconds = analysis.framePeriodMs / 1000;
  const f0 = new Float32Array(analysis.f0Hz.length);
  const step = (n: number): number => MELODY_STEPS[n % MELODY_STEPS.length] as number;
  for (let t = 0; t < f0.length; t++) {
    if (analysis.voiced[t] === 0) continue;
    const time = t * frameSeconds;
    const n = Math.floor(time / NOTE_SECONDS);
    const into = time - n * NOTE_SECONDS;
    let semitones = step(n);
    if (n > 0 && into < GLIDE_SECONDS) {
      const x = into / GLIDE_SECONDS;
      semitones = step(n - 1) + (step(n) - step(n - 1)) * x * x * (3 - 2 * x);
    }
    f0[t] = baseHz * 2 ** (semitones / 12);
  }
  return { signal: synthesizeVoice(replaceF0(analysis, f0)), truth: f0 };
}

interface SingingResult {
  name: string;
  rpa: number;
  inputRpa: number;
}

/**
 * The truth restricted to "stable" frames: voiced, and the same note for ±25 ms (5 frames) around —
 * where neither a note change nor a voicing onset/offset blurs what the melody is.
 */
function stableFrames(truth: Float32Array): Float32Array {
  const r = 5;
  return Float32Array.from(truth, (hz, t) => {
    if (!(hz > 0)) return 0;
    for (let k = t - r; k <= t + r; k++) {
      const other = truth[k] ?? 0;
      if (!(other > 0) || Math.abs(1200 * Math.log2(other / hz)) > 50) return 0;
    }
    return hz;
  });
}

async function singingBench(profiles: Map<string, VoiceProfile>, voices: string[], speechOf: (voice: string) => Float32Array): Promise<SingingResult[]> {
  console.log('\n## Singing (mode singing, pitch auto): RPA (50 cents) against the intended, transposed melody');
  const results: SingingResult[] = [];
  const sources: { name: string; signal: Float32Array; truth: Float32Array; sampleRate: number }[] = [];
  const singers = QUICK ? voices.slice(0, 1) : voices.slice(0, 2);
  for (const singer of singers) {
    const song = synthesizeSong(speechOf(singer), singer.includes('slt') || singer.includes('+f') ? 220 : 130.81);
    sources.push({ name: `synthetic song (${short(singer)})`, signal: song.signal, truth: song.truth, sampleRate: SR });
  }
  const wav = new URL('vocadito_1.wav', VOCADITO_DIR);
  if (existsSync(wav)) {
    const decoded = await readAudioFile(wav.pathname);
    const signal = resample(decoded.audio.channels[0] as Float32Array, decoded.audio.sampleRate, SR);
    const rows = readFileSync(new URL('vocadito_1_f0.csv', VOCADITO_DIR), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(',').map(Number));
    // The annotation stamps the start of each ~5.8 ms analysis frame: its centre is half a hop later.
    const hop = ((rows[1]?.[0] ?? 0) - (rows[0]?.[0] ?? 0)) / 2;
    const times = rows.map((r) => (r[0] as number) + hop);
    const f0 = rows.map((r) => r[1] as number);
    const frames = Math.floor((signal.length / SR) * 200) + 1;
    const truth = resampleF0Track(times, f0, Float64Array.from({ length: frames }, (_, i) => i * 0.005));
    sources.push({ name: 'vocadito_1', signal, truth, sampleRate: SR });
  } else {
    console.log('vocadito: skipped (../shared/data/vocadito is absent)');
  }
  const targets = QUICK ? voices.slice(0, 3) : voices;
  console.log('(cells: RPA over all melody frames, RPA over stable frames [±25 ms from note changes and voicing edges], transposition chosen)');
  for (const src of sources) {
    const inputEst = estimateF0(src.signal, src.sampleRate).f0Hz;
    const inputRpa = rawPitchAccuracy(src.truth, inputEst);
    const stableTruth = stableFrames(src.truth);
    console.log(`${src.name}: input as tracked — RPA ${fmt(inputRpa, 3)}, stable ${fmt(rawPitchAccuracy(stableTruth, inputEst), 3)}`);
    const cells: number[] = [];
    for (const target of targets) {
      const out = await convertVoice(monoAudio(src.signal, src.sampleRate), profiles.get(target) as VoiceProfile, { mode: 'singing', skipMetrics: true });
      const est = estimateF0(out.audio.channels[0] as Float32Array, out.audio.sampleRate).f0Hz;
      const ratio = 2 ** (out.plan.semitones / 12);
      const all = rawPitchAccuracy(Float32Array.from(src.truth, (hz) => hz * ratio), est);
      const stable = rawPitchAccuracy(Float32Array.from(stableTruth, (hz) => hz * ratio), est);
      cells.push(all);
      console.log(`  → ${short(target).padEnd(10)} RPA ${fmt(all, 3)}  stable ${fmt(stable, 3)}  (${out.plan.semitones > 0 ? '+' : ''}${out.plan.semitones} semitones)`);
    }
    const rpa = mean(cells);
    console.log(`  mean RPA ${fmt(rpa, 3)}`);
    results.push({ name: src.name, rpa, inputRpa });
  }
  return results;
}

/** Seconds to create a profile from 5 minutes of one voice (the profile sentences, repeated). */
async function profileCreationSpeed(sentences: Float32Array[]): Promise<{ cpu: number; wall: number }> {
  const target = 300 * SR;
  const gap = new Float32Array(Math.round(0.3 * SR));
  const pieces: Float32Array[] = [];
  let total = 0;
  for (let i = 0; total < target; i++) {
    const s = sentences[i % sentences.length] as Float32Array;
    pieces.push(s, gap);
    total += s.length + gap.length;
  }
  const all = new Float32Array(target);
  let at = 0;
  for (const p of pieces) {
    const n = Math.min(p.length, target - at);
    all.set(p.subarray(0, n), at);
    at += n;
    if (at >= target) break;
  }
  const start = performance.now();
  const startCpu = cpuSeconds();
  await createVoiceProfile([monoAudio(all, SR)], { name: 'bench-five-minutes' });
  return { cpu: cpuSeconds() - startCpu, wall: (performance.now() - start) / 1000 };
}

await main();
