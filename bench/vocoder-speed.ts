// Speed on one core (part of bench/dsp-vocoder.bench.ts): F0, analysis, +4 semitone shift and
// synthesis, and the streaming vocoder, in CPU time of this single-threaded process and wall
// time, beside Rubber Band R3 (`rubberband -3 -F -p 4`) on the same file. The machine is shared,
// so ours and Rubber Band run in interleaved rounds and medians are reported.
import {
  analyzeVoice,
  createStreamingVocoder,
  estimateF0,
  shiftPitch,
  synthesizeVoice,
} from '../src/dsp/index.js';
import { rubberbandShift } from './rubberband.js';
import { fmt, row } from './table-format.js';
import type { Material } from './vocoder-materials.js';

/** CPU seconds (user + system) this process has used. */
export function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** `fn()` with the CPU and wall seconds it took. */
export function timed<T>(fn: () => T): { value: T; cpu: number; wall: number } {
  const c0 = cpuSeconds();
  const w0 = performance.now();
  const value = fn();
  return { value, cpu: cpuSeconds() - c0, wall: (performance.now() - w0) / 1000 };
}

/** Interleaved rounds of ours and Rubber Band: outside load hits both alike, medians are reported. */
const SPEED_ROUNDS = 3;

interface Timing {
  cpu: number;
  wall: number;
}

const medianOf = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
};

const medianTiming = (ts: Timing[]): Timing => ({
  cpu: medianOf(ts.map((t) => t.cpu)),
  wall: medianOf(ts.map((t) => t.wall)),
});

export async function speedTable(m: Material): Promise<void> {
  console.log(
    `\n== Speed on one core: ${m.name}, ${fmt(m.signal.length / m.sampleRate, 1)} s, median of ${SPEED_ROUNDS} interleaved rounds ==`,
  );
  const seconds = m.signal.length / m.sampleRate;
  // Warm-up (JIT) on a short piece so the timings below are steady-state.
  const warm = m.signal.subarray(0, Math.min(m.signal.length, 3 * m.sampleRate));
  synthesizeVoice(shiftPitch(analyzeVoice(warm, m.sampleRate), 4));
  const f0s: Timing[] = [];
  const analyses: Timing[] = [];
  const synths: Timing[] = [];
  const oursTotal: Timing[] = [];
  const rbs: Timing[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < SPEED_ROUNDS; round++) {
    const f0 = timed(() => estimateF0(m.signal, m.sampleRate));
    const analysis = timed(() => analyzeVoice(m.signal, m.sampleRate, { f0Track: f0.value }));
    const synth = timed(() => synthesizeVoice(shiftPitch(analysis.value, 4)));
    f0s.push(f0);
    analyses.push(analysis);
    synths.push(synth);
    oursTotal.push({ cpu: analysis.cpu + synth.cpu, wall: analysis.wall + synth.wall });
    const rb = await rubberbandShift(m.signal, m.sampleRate, 4, true);
    if (rb !== null) {
      rbs.push({ cpu: rb.cpuSeconds, wall: rb.wallSeconds });
      ratios.push((analysis.cpu + synth.cpu) / rb.cpuSeconds);
    }
  }
  const stream = timed(() => {
    const v = createStreamingVocoder(m.sampleRate, {
      transform: (frame) => void (frame.f0Hz *= 2 ** (4 / 12)),
    });
    const chunk = Math.round(0.01 * m.sampleRate);
    let produced = 0;
    for (let i = 0; i < m.signal.length; i += chunk)
      produced += v.push(m.signal.subarray(i, i + chunk)).length;
    return produced + v.flush().length;
  });
  const widths = [56, 10, 10];
  console.log(row(['stage', 'RTF cpu', 'RTF wall'], widths));
  const line = (name: string, t: Timing): void =>
    console.log(row([name, fmt(t.cpu / seconds, 4), fmt(t.wall / seconds, 4)], widths));
  const f0 = medianTiming(f0s);
  line('estimateF0', f0);
  line('analyzeVoice (envelope + aperiodicity)', medianTiming(analyses));
  line('shiftPitch(+4) + synthesizeVoice', medianTiming(synths));
  line('analysis + shift + synthesis (excl. F0)', medianTiming(oursTotal));
  line(
    'F0 + analysis + shift + synthesis',
    medianTiming(
      f0s.map((t, i) => ({
        cpu: t.cpu + (oursTotal[i] as Timing).cpu,
        wall: t.wall + (oursTotal[i] as Timing).wall,
      })),
    ),
  );
  line('streaming vocoder, +4 st hook, 10 ms chunks (one round)', stream);
  if (rbs.length === 0)
    console.log(
      row(['Rubber Band R3 -F -p 4 (not installed: apt-get install rubberband-cli)', 'n/a', 'n/a'], widths),
    );
  else {
    line('Rubber Band R3 (rubberband -3 -F -p 4), same file', medianTiming(rbs));
    console.log(
      `ours / Rubber Band, CPU, per round: ${ratios.map((r) => fmt(r, 2)).join(' ')} (median ${fmt(medianOf(ratios), 2)})`,
    );
  }
  console.log(
    'bar: analysis + shift + synthesis faster than Rubber Band R3 -F (aim RTF <= 0.03); the machine is shared, so the two run interleaved',
  );
}
