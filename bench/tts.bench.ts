// TTS benchmark (issue 6, item 7): time to first audio (TTFA) and real-time factor (RTF =
// synthesis time / audio duration) per engine, for a one-sentence and a one-paragraph text, in
// stock voices and in a cloned voice (base TTS voice → convertVoice). Targets on the 2-core
// reference machine: TTFA <= 150 ms stock, <= 300 ms cloned; RTF <= 0.1. Each row is the median
// of several warm runs (engines loaded and JIT-warmed first); the first, cold call per voice is
// reported separately. The ratio columns compare each row with its target. Not a test.
//
//   npm run bench:tts                # 5 runs per row
//   npm run bench:tts -- --runs 2    # quicker, while developing
//   npm run bench:tts -- --no-clone  # stock voices only
import { loadavg } from 'node:os';
import type { RawAudio } from '../src/audio/raw-audio.js';
import { createVoiceProfile } from '../src/pipelines/create-profile.pipeline.js';
import {
  synthesizeWithVoiceStream,
  type SynthesizeWithVoiceOptions,
} from '../src/pipelines/synthesize.pipeline.js';
import { computeSpeakerEmbedding, embeddingSimilarity } from '../src/quality/index.js';
import { concatAudio, synthesizeSpeech } from '../src/tts/index.js';
import { FIXTURE_SENTENCES } from '../tests/fixtures/speech.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const WITH_CLONE = !process.argv.includes('--no-clone');
const TTFA_TARGET_STOCK_MS = 150;
const TTFA_TARGET_CLONED_MS = 300;
const RTF_TARGET = 0.1;

const SENTENCE = 'The weather today is bright and mild, with a light breeze from the west.';
const PARAGRAPH = [
  'Welcome to the evening news.',
  'The city council met this afternoon to discuss the new bicycle lanes along the river, and after a long debate the plan was approved.',
  'Construction will begin in early spring and should take about four months.',
  'Meanwhile, the library announced that it will stay open until nine on weekdays.',
  'And finally, tomorrow will be cloudy, with a chance of rain in the afternoon.',
].join(' ');

interface Measurement {
  ttfaMs: number;
  totalMs: number;
  audioSeconds: number;
}

async function measure(
  text: string,
  options: SynthesizeWithVoiceOptions,
): Promise<Measurement & { audio: RawAudio }> {
  const started = performance.now();
  let ttfaMs = -1;
  const chunks: RawAudio[] = [];
  for await (const chunk of synthesizeWithVoiceStream(text, options)) {
    if (ttfaMs < 0) ttfaMs = performance.now() - started;
    chunks.push(chunk);
  }
  const totalMs = performance.now() - started;
  const audio = concatAudio(chunks);
  return { ttfaMs, totalMs, audioSeconds: (audio.channels[0]?.length ?? 0) / audio.sampleRate, audio };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

interface Row {
  voice: string;
  text: string;
  coldMs: number;
  ttfaMs: number;
  rtf: number;
  audioSeconds: number;
  ttfaTargetMs: number;
}

async function bench(
  label: string,
  options: SynthesizeWithVoiceOptions,
  ttfaTargetMs: number,
): Promise<Row[]> {
  const cold = await measure(SENTENCE, options);
  const rows: Row[] = [];
  for (const [name, text] of [
    ['sentence', SENTENCE],
    ['paragraph', PARAGRAPH],
  ] as const) {
    const runs: Measurement[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(text, options));
    rows.push({
      voice: label,
      text: name,
      coldMs: name === 'sentence' ? cold.ttfaMs : Number.NaN,
      ttfaMs: median(runs.map((r) => r.ttfaMs)),
      rtf: median(runs.map((r) => r.totalMs / 1000 / r.audioSeconds)),
      audioSeconds: median(runs.map((r) => r.audioSeconds)),
      ttfaTargetMs,
    });
  }
  return rows;
}

function print(rows: Row[]): void {
  const header = [
    'voice',
    'text',
    'audio s',
    'cold TTFA ms',
    'TTFA ms',
    'TTFA/target',
    'RTF',
    'RTF/target',
    'ok',
  ];
  const lines = rows.map((r) => [
    r.voice,
    r.text,
    r.audioSeconds.toFixed(1),
    Number.isNaN(r.coldMs) ? '' : r.coldMs.toFixed(0),
    r.ttfaMs.toFixed(0),
    (r.ttfaMs / r.ttfaTargetMs).toFixed(2),
    r.rtf.toFixed(3),
    (r.rtf / RTF_TARGET).toFixed(2),
    r.ttfaMs <= r.ttfaTargetMs && r.rtf <= RTF_TARGET ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(fmt(header));
  for (const line of lines) console.log(fmt(line));
}

async function main(): Promise<void> {
  console.log(
    `TTS benchmark — ${RUNS} warm runs per row (median); load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; node ${process.version}`,
  );
  console.log(
    `targets: TTFA <= ${TTFA_TARGET_STOCK_MS} ms stock, <= ${TTFA_TARGET_CLONED_MS} ms cloned; RTF <= ${RTF_TARGET}`,
  );
  const rows: Row[] = [];
  for (const voice of [
    'espeak:en-us',
    'espeak:en-us+f3',
    'flite:kal16',
    'flite:slt',
    'flite:rms',
    'flite:awb',
  ]) {
    rows.push(...(await bench(voice, { voice }, TTFA_TARGET_STOCK_MS)));
  }
  if (WITH_CLONE) {
    // The cloned target: a profile built from ~20 s of flite rms speech (a male voice).
    const recording = await synthesizeSpeech(FIXTURE_SENTENCES.join(' '), { voice: 'flite:rms' });
    const { profile } = await createVoiceProfile([recording], { name: 'bench-target' });
    for (const baseVoice of [undefined, 'espeak:en-us+f3', 'flite:slt']) {
      const label = `cloned via ${baseVoice ?? 'auto base'}`;
      rows.push(
        ...(await bench(
          label,
          { voice: profile, ...(baseVoice ? { baseVoice } : {}) },
          TTFA_TARGET_CLONED_MS,
        )),
      );
    }
    console.log('\nsimilarity to the target profile (speaker embedding cosine), paragraph:');
    for (const baseVoice of ['espeak:en-us+f3', 'flite:slt']) {
      const base = await synthesizeSpeech(PARAGRAPH, { voice: baseVoice });
      const cloned = await measure(PARAGRAPH, { voice: profile, baseVoice });
      const sim = (a: RawAudio): number =>
        embeddingSimilarity(
          computeSpeakerEmbedding(a.channels[0] ?? new Float32Array(0), a.sampleRate),
          profile.embedding,
        );
      console.log(
        `  base ${baseVoice.padEnd(16)} ${sim(base).toFixed(3)}  →  cloned ${sim(cloned.audio).toFixed(3)}`,
      );
    }
  }
  console.log('');
  print(rows);
}

await main();
