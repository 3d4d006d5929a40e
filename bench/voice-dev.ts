// VOICE's development measurement of conversion quality and speed (the official quality bench is
// bench/quality.bench.ts). Every ordered pair A→B of the corpus voices: profile of B from one set
// of sentences, conversion of A's rendition of held-out sentences, compared with B's rendition.
//
//   node --import tsx bench/voice-dev.ts [--voices N] [--tests N] [--knn W] [--k K] [--formant]
//
// Prints, as means over pairs: MCD(converted, B) vs MCD(A, B) (DTW, dB), log-F0 RMSE against B
// (cents, over DTW-paired voiced frames), nearest-profile speaker identification (embedding
// cosine), and conversion real-time factor.
import { existsSync } from 'node:fs';
import { monoAudio, resampleAudio, type RawAudio } from '../src/audio/index.js';
import { estimateF0 } from '../src/dsp/pitch/index.js';
import {
  computeMelCepstra,
  computeSpeakerEmbedding,
  dtwAlign,
  embeddingSimilarity,
  melCepstralDistortion,
} from '../src/quality/index.js';
import { convertVoice } from '../src/pipelines/convert-voice.pipeline.js';
import { createVoiceProfile } from '../src/pipelines/create-profile.pipeline.js';
import { computePitchStatistics } from '../src/voice/pitch-statistics.js';
import type { VoiceProfile } from '../src/voice/voice-profile.js';
import { renderFormantVoice, type FormantVoice } from '../tests/fixtures/formant-voice.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

const PROFILE_TEXTS = [
  'The quick brown fox jumps over the lazy dog near the quiet river bank.',
  'She sells sea shells by the sea shore, and the shells she sells are surely sea shells.',
  'We were away a year ago, when the weather was warm and the evenings were long.',
  'How much wood would a woodchuck chuck if a woodchuck could chuck wood?',
  'Please call Stella and ask her to bring these things with her from the store.',
  'Six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob.',
  'A large rainbow appeared after the storm, spanning the whole valley from east to west.',
  'Numbers like seven, eleven and forty two are easy to remember for most people.',
];
const TEST_TEXTS = [
  'Many people enjoy walking along the beach early in the morning.',
  'Could you tell me the way to the old railway station, please?',
  'Our neighbours planted tomatoes, beans and yellow roses last spring.',
];

interface Corpus {
  voices: string[];
  render(voice: string, text: string, index: number): Promise<RawAudio>;
}

async function ttsCorpus(): Promise<Corpus | undefined> {
  const path = new URL('../tests/fixtures/speech.ts', import.meta.url);
  if (args.includes('--formant') || !existsSync(path)) return undefined;
  const mod = (await import(path.href)) as {
    makeSpeechFixture: (text: string, voice: string) => Promise<RawAudio>;
    FIXTURE_VOICES: readonly string[];
  };
  return { voices: [...mod.FIXTURE_VOICES], render: (voice, text) => mod.makeSpeechFixture(text, voice) };
}

function formantCorpus(): Corpus {
  const voices: Record<string, FormantVoice> = {
    low: { f0Hz: 100, formantScale: 1, sourceLowpass: 0.6 },
    mid: { f0Hz: 140, formantScale: 1.08, sourceLowpass: 0.4 },
    high: { f0Hz: 210, formantScale: 1.2, sourceLowpass: 0.3 },
    bright: { f0Hz: 170, formantScale: 1.14, sourceLowpass: 0.1 },
    dark: { f0Hz: 120, formantScale: 0.92, sourceLowpass: 0.8 },
  };
  const vowelsOf = (text: string): string =>
    text
      .toLowerCase()
      .replace(/[^aeiou]/g, '')
      .slice(0, 30);
  return {
    voices: Object.keys(voices),
    render: async (voice, text) =>
      monoAudio(renderFormantVoice(voices[voice] as FormantVoice, vowelsOf(text), 16000, 0.25).signal, 16000),
  };
}

function concat(parts: RawAudio[]): RawAudio {
  const rate = parts[0]?.sampleRate ?? 16000;
  const gap = new Float32Array(Math.round(0.3 * rate));
  const pieces = parts.flatMap((p) => [p.channels[0] as Float32Array, gap]);
  const out = new Float32Array(pieces.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return monoAudio(out, rate);
}

/** log-F0 RMSE (cents) between two signals over DTW-paired frames voiced in both. */
function logF0RmseDtw(a: RawAudio, b: RawAudio, scaleA = 1): number {
  const sa = a.channels[0] as Float32Array;
  const sb = b.channels[0] as Float32Array;
  const ma = computeMelCepstra(sa, a.sampleRate, { framePeriodMs: 5 } as never);
  const mb = computeMelCepstra(sb, b.sampleRate, { framePeriodMs: 5 } as never);
  const fa = estimateF0(sa, a.sampleRate).f0Hz.map((f) => f * scaleA);
  const fb = estimateF0(sb, b.sampleRate).f0Hz;
  const path = dtwAlign(ma.frames, mb.frames, { firstDimension: 1 });
  let sum = 0;
  let n = 0;
  const ratioA = fa.length / ma.frames.length;
  const ratioB = fb.length / mb.frames.length;
  for (let k = 0; k < path.pathA.length; k++) {
    const x = fa[Math.min(fa.length - 1, Math.round((path.pathA[k] as number) * ratioA))] as number;
    const y = fb[Math.min(fb.length - 1, Math.round((path.pathB[k] as number) * ratioB))] as number;
    if (x > 0 && y > 0) {
      const c = 1200 * Math.log2(x / y);
      sum += c * c;
      n++;
    }
  }
  return n > 0 ? Math.sqrt(sum / n) : NaN;
}

async function main(): Promise<void> {
  const corpus = (await ttsCorpus()) ?? formantCorpus();
  const voices = corpus.voices.slice(0, arg('voices', 5));
  const tests = TEST_TEXTS.slice(0, arg('tests', 2));
  const timbre = {
    ...(args.includes('--knn') ? { knnWeight: arg('knn', 0.75) } : {}),
    ...(args.includes('--k') ? { neighbours: arg('k', 4) } : {}),
    ...(args.includes('--nowarp') ? { warp: false } : {}),
  };
  console.log(`voices: ${voices.join(', ')}; timbre options ${JSON.stringify(timbre)}`);
  const profiles: Record<string, VoiceProfile> = {};
  let profileSeconds = 0;
  let profileAudio = 0;
  for (const v of voices) {
    const parts: RawAudio[] = [];
    for (let i = 0; i < PROFILE_TEXTS.length; i++)
      parts.push(await corpus.render(v, PROFILE_TEXTS[i] as string, i));
    const audio = concat(parts);
    const c0 = process.cpuUsage();
    const { profile, report } = await createVoiceProfile([audio], { name: v });
    const c1 = process.cpuUsage(c0);
    profileSeconds += (c1.user + c1.system) / 1e6;
    profileAudio += (audio.channels[0] as Float32Array).length / audio.sampleRate;
    profiles[v] = profile;
    console.log(
      `profile ${v}: ${report.voicedSeconds.toFixed(1)} s voiced, ${report.pitchRange.lowNote}-${report.pitchRange.highNote}, median ${report.pitchRange.medianHz.toFixed(0)} Hz, warp ${profile.timbre.vtlnWarpFactor.toFixed(3)}`,
    );
  }
  console.log(
    `profile creation: ${profileSeconds.toFixed(2)} s CPU for ${profileAudio.toFixed(1)} s of audio (RTF ${(profileSeconds / profileAudio).toFixed(3)})`,
  );

  let mcdConv = 0;
  let mcdRaw = 0;
  let rmseConv = 0;
  let rmseRaw = 0;
  let rmseBase = 0;
  let idOk = 0;
  let n = 0;
  let convSeconds = 0;
  let convAudio = 0;
  const rows: string[] = [];
  for (const a of voices) {
    for (const b of voices) {
      if (a === b) continue;
      for (let t = 0; t < tests.length; t++) {
        const src = await corpus.render(a, tests[t] as string, 100 + t);
        const ref = await corpus.render(b, tests[t] as string, 100 + t);
        const c0 = process.cpuUsage();
        const { audio: converted } = await convertVoice(src, profiles[b] as VoiceProfile, {
          mode: 'speech',
          skipMetrics: true,
          timbre,
        });
        const c1 = process.cpuUsage(c0);
        convSeconds += (c1.user + c1.system) / 1e6;
        // Metrics on one rate (16 kHz): the engines speak at 16 and 22.05 kHz.
        const conv = resampleAudio(converted, 16000);
        const src16 = resampleAudio(src, 16000);
        const ref16 = resampleAudio(ref, 16000);
        convAudio += (src.channels[0] as Float32Array).length / src.sampleRate;
        const c = melCepstralDistortion(conv.channels[0] as Float32Array, ref16.channels[0] as Float32Array, {
          sampleRate: 16000,
        });
        const r = melCepstralDistortion(
          src16.channels[0] as Float32Array,
          ref16.channels[0] as Float32Array,
          { sampleRate: 16000 },
        );
        const fc = logF0RmseDtw(conv, ref16);
        const fr = logF0RmseDtw(src16, ref16);
        // Baseline: the source's F0 shifted to the target profile's median (what a plain pitch shift gives).
        const srcMedian = computePitchStatistics(
          estimateF0(src16.channels[0] as Float32Array, 16000).f0Hz,
        ).medianHz;
        const fb = logF0RmseDtw(src16, ref16, (profiles[b] as VoiceProfile).pitch.medianHz / srcMedian);
        rmseBase += fb;
        const emb = computeSpeakerEmbedding(conv.channels[0] as Float32Array, conv.sampleRate);
        let best = '';
        let bestSim = -2;
        for (const v of voices) {
          const s = embeddingSimilarity(emb, (profiles[v] as VoiceProfile).embedding);
          if (s > bestSim) {
            bestSim = s;
            best = v;
          }
        }
        mcdConv += c;
        mcdRaw += r;
        rmseConv += fc;
        rmseRaw += fr;
        idOk += best === b ? 1 : 0;
        n++;
        rows.push(
          `${a} -> ${b} [${t}]: MCD ${r.toFixed(2)} -> ${c.toFixed(2)} dB; logF0 RMSE ${fr.toFixed(0)} -> ${fc.toFixed(0)} cents (median shift ${fb.toFixed(0)}); id ${best}${best === b ? '' : ' (WRONG)'}`,
        );
      }
    }
  }
  for (const r of rows) console.log(r);
  console.log(
    `MEAN over ${n}: MCD unconverted ${(mcdRaw / n).toFixed(2)} dB, converted ${(mcdConv / n).toFixed(2)} dB (gain ${((mcdRaw - mcdConv) / n).toFixed(2)} dB)`,
  );
  console.log(
    `MEAN log-F0 RMSE vs target: unconverted ${(rmseRaw / n).toFixed(0)} cents, converted ${(rmseConv / n).toFixed(0)} cents, median-shift baseline ${(rmseBase / n).toFixed(0)} cents`,
  );
  console.log(`speaker id (nearest profile embedding): ${((100 * idOk) / n).toFixed(0)} % target`);
  console.log(
    `conversion: ${convSeconds.toFixed(2)} s CPU for ${convAudio.toFixed(1)} s of audio (RTF ${(convSeconds / convAudio).toFixed(3)}); peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
}

await main();
