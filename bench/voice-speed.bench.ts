// Speed of voice profiles and conversion (issue 4, item 6): profile creation from 5 minutes of
// speech, conversion real-time factor on one core, and peak memory on a long input.
//
//   node --import tsx bench/voice-speed.bench.ts [--long-minutes 10] [--profile-minutes 5] [--convert-seconds 60]
//
// Times are given as wall clock and as CPU time of this process (user + system): on a shared,
// loaded machine the CPU time is the fair measure of one core's work. The reference line is the
// bare vocoder (analysis + synthesis of the same input, no conversion) measured in the same run.
import { monoAudio, type RawAudio } from '../src/audio/index.js';
import { analyzeVoice } from '../src/dsp/analysis.js';
import { synthesizeVoice } from '../src/dsp/synthesis/index.js';
import { convertVoice } from '../src/pipelines/convert-voice.pipeline.js';
import { createVoiceProfile } from '../src/pipelines/create-profile.pipeline.js';
import { FIXTURE_SENTENCES, makeSpeechFixture } from '../tests/fixtures/speech.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

async function speechOf(voice: string, seconds: number): Promise<RawAudio> {
  const parts: Float32Array[] = [];
  let rate = 16000;
  for (const s of FIXTURE_SENTENCES) {
    const a = await makeSpeechFixture(s, voice);
    rate = a.sampleRate;
    parts.push(a.channels[0] as Float32Array, new Float32Array(Math.round(0.25 * rate)));
  }
  const cycle = parts.reduce((n, p) => n + p.length, 0);
  const total = Math.round(seconds * rate);
  const out = new Float32Array(total);
  for (let o = 0; o < total;) {
    for (const p of parts) {
      const n = Math.min(p.length, total - o);
      out.set(p.subarray(0, n), o);
      o += n;
      if (o >= total) break;
    }
    if (cycle === 0) break;
  }
  return monoAudio(out, rate);
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; wallS: number; cpuS: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const profileMinutes = arg('profile-minutes', 5);
const convertSeconds = arg('convert-seconds', 60);
const longMinutes = arg('long-minutes', 0);

const profileAudio = await speechOf('flite:slt', profileMinutes * 60);
const p = await timed(() => createVoiceProfile([profileAudio], { name: 'bench' }));
console.log(
  `profile creation from ${profileMinutes} min: wall ${p.wallS.toFixed(2)} s, CPU ${p.cpuS.toFixed(2)} s (bar 15 s); ` +
    `${p.value.report.voicedSeconds.toFixed(0)} s voiced, codebook ${p.value.profile.timbre.codebookFrames} frames`,
);

const source = await speechOf('flite:rms', convertSeconds);
const signal = source.channels[0] as Float32Array;
// Warm-up so JIT compilation is not billed to the first measurement.
await convertVoice(monoAudio(signal.subarray(0, source.sampleRate * 5), source.sampleRate), p.value.profile, {
  skipMetrics: true,
});
const ref = await timed(() =>
  synthesizeVoice(analyzeVoice(signal, source.sampleRate, { framePeriodMs: 10 })),
);
const conv = await timed(() => convertVoice(source, p.value.profile, { skipMetrics: true }));
const convM = await timed(() => convertVoice(source, p.value.profile));
const rtf = (s: number): string => (s / convertSeconds).toFixed(3);
console.log(
  `reference: vocoder analysis+synthesis (10 ms frames) of ${convertSeconds} s: RTF wall ${rtf(ref.wallS)}, CPU ${rtf(ref.cpuS)}`,
);
console.log(
  `conversion of ${convertSeconds} s: RTF wall ${rtf(conv.wallS)}, CPU ${rtf(conv.cpuS)} (bar 0.1); ratio to reference ${(conv.cpuS / ref.cpuS).toFixed(2)}`,
);
console.log(`conversion + result metrics: RTF wall ${rtf(convM.wallS)}, CPU ${rtf(convM.cpuS)}`);

if (longMinutes > 0) {
  const long = await speechOf('flite:rms', longMinutes * 60);
  const before = process.memoryUsage();
  const l = await timed(() => convertVoice(long, p.value.profile, { skipMetrics: true }));
  console.log(
    `conversion of ${longMinutes} min: wall ${l.wallS.toFixed(1)} s, CPU ${l.cpuS.toFixed(1)} s (RTF ${(l.cpuS / (longMinutes * 60)).toFixed(3)}), ` +
      `${l.value.plan.chunks} chunks; input ${mib(long.channels[0]?.byteLength ?? 0)}, RSS before ${mib(before.rss)}`,
  );
}
console.log(`peak RSS of the whole run: ${mib(process.resourceUsage().maxRSS * 1024)}`);
