// The vocoder bench's round-trip tables (part of bench/dsp-vocoder.bench.ts): analyzeVoice →
// synthesizeVoice, plain and after refineAnalysis, with the resynthesis' pitch read by our tracker
// and by Praat.
import {
  analyzeVoice,
  estimateF0,
  refineAnalysis,
  signalSource,
  synthesizeVoice,
  type F0Track,
  type VoiceAnalysis,
} from '../src/dsp/index.js';
import { rawPitchAccuracy, voicingRecall } from '../src/quality/pitch-accuracy.js';
import { sameTimingMcd } from '../tests/fixtures/vocoder-signals.js';
import { praatMeanHarmonicity, praatPitchTrack } from './praat.js';
import { fmt, row } from './table-format.js';
import { timed } from './vocoder-speed.js';
import type { Material } from './vocoder-materials.js';

/**
 * RPA of the resynthesis against the original as Praat's tracker reads both (To Pitch (ac),
 * 50-1200 Hz, 5 ms grid): an independent reading of the same question, since RPA against our
 * own tracker also counts where that tracker reads the two differently. NaN without Praat.
 */
async function praatResynthesisRpa(
  original: Float32Array,
  resynthesis: Float32Array,
  sampleRate: number,
): Promise<number> {
  const reference = await praatPitchTrack(original, sampleRate, 0.005);
  const estimate = await praatPitchTrack(resynthesis, sampleRate, 0.005);
  return reference === null || estimate === null ? Number.NaN : rawPitchAccuracy(reference, estimate);
}

/**
 * Where the resynthesis' pitch misses lie: frames of the original track within two frames of
 * an unvoiced one ("edge"), frames whose F0 moves more than 30 cents to a neighbour ("jumpy":
 * creak, or the tracker itself unsure), and the rest ("steady").
 */
function pitchMissesByPlace(
  original: Float32Array,
  resynthesis: Float32Array,
): { steadyRpa: number; edge: string; jumpy: string; steady: string } {
  const counts = { edge: [0, 0], jumpy: [0, 0], steady: [0, 0] };
  for (let t = 0; t < original.length; t++) {
    const f = original[t] as number;
    if (!(f > 0)) continue;
    const edge = [-2, -1, 1, 2].some((d) => !((original[t + d] ?? 0) > 0));
    const jumpy =
      !edge && [-1, 1].some((d) => Math.abs(1200 * Math.log2((original[t + d] as number) / f)) > 30);
    const g = resynthesis[t] ?? 0;
    const miss = !(g > 0) || Math.abs(1200 * Math.log2(g / f)) > 50;
    const c = edge ? counts.edge : jumpy ? counts.jumpy : counts.steady;
    c[0] = (c[0] as number) + (miss ? 1 : 0);
    c[1] = (c[1] as number) + 1;
  }
  const show = (c: number[]): string => `${c[0]}/${c[1]}`;
  const [steadyMiss, steadyAll] = counts.steady as [number, number];
  return {
    steadyRpa: steadyAll > 0 ? 1 - steadyMiss / steadyAll : Number.NaN,
    edge: show(counts.edge),
    jumpy: show(counts.jumpy),
    steady: show(counts.steady),
  };
}

export async function roundTripTable(materials: Material[]): Promise<void> {
  console.log('\n== Vocoder round trip: analyzeVoice -> synthesizeVoice (F0 from estimateF0) ==');
  const widths = [40, 9, 12, 10, 9, 12, 12, 11, 28, 10];
  console.log(
    row(
      [
        'material',
        'MCD dB',
        'RPA vs orig',
        'MIREX RPA',
        'v recall',
        'RPA vs truth',
        'orig vs truth',
        'RPA steady',
        'misses edge / jumpy / steady',
        'RPA Praat',
      ],
      widths,
    ),
  );
  const annotated: [Material, Float32Array][] = [];
  for (const m of materials) {
    const track = estimateF0(m.signal, m.sampleRate);
    const analysis = analyzeVoice(m.signal, m.sampleRate, { f0Track: track });
    const y = synthesizeVoice(analysis, { source: signalSource(m.signal) });
    const mcd = sameTimingMcd(m.signal, y, m.sampleRate);
    const resyn = estimateF0(y, m.sampleRate);
    const vsOrig = rawPitchAccuracy(track.f0Hz, resyn.f0Hz);
    // MIREX / mir_eval: raw pitch accuracy ignores voicing, counting the tracker's pitch on
    // frames it calls unvoiced; voicing is scored apart (recall).
    const vsOrigMirex = rawPitchAccuracy(track.f0Hz, resyn.candidateF0Hz);
    const vsTruth = m.truthHz === undefined ? Number.NaN : rawPitchAccuracy(m.truthHz, resyn.f0Hz);
    const origTruth = m.truthHz === undefined ? Number.NaN : rawPitchAccuracy(m.truthHz, track.f0Hz);
    const places = pitchMissesByPlace(track.f0Hz, resyn.f0Hz);
    const praatRpa = await praatResynthesisRpa(m.signal, y, m.sampleRate);
    if (m.annotation !== undefined) annotated.push([m, y]);
    console.log(
      row(
        [
          m.name,
          fmt(mcd, 2),
          fmt(vsOrig),
          fmt(vsOrigMirex),
          fmt(voicingRecall(track.f0Hz, resyn.f0Hz)),
          fmt(vsTruth),
          fmt(origTruth),
          fmt(places.steadyRpa),
          `${places.edge} / ${places.jumpy} / ${places.steady}`,
          fmt(praatRpa),
        ],
        widths,
      ),
    );
  }
  for (const [m, y] of annotated) {
    // The pitch bench's protocol: track on the annotation's grid, frame centres half a hop after
    // the stamps; "any" also counts the tracker's pitch on frames it calls unvoiced (MIREX RPA).
    const a = m.annotation as NonNullable<Material['annotation']>;
    const onGrid = (x: Float32Array): F0Track =>
      estimateF0(x.subarray(Math.round((a.hopSeconds * m.sampleRate) / 2)), m.sampleRate, {
        framePeriodMs: a.hopSeconds * 1000,
      });
    const original = onGrid(m.signal);
    const resynthesis = onGrid(y);
    console.log(
      `${m.name} on the annotation's own grid: RPA original ${fmt(rawPitchAccuracy(a.f0Hz, original.f0Hz))}, ` +
        `resynthesis ${fmt(rawPitchAccuracy(a.f0Hz, resynthesis.f0Hz))} ` +
        `(any: ${fmt(rawPitchAccuracy(a.f0Hz, original.candidateF0Hz))} / ${fmt(rawPitchAccuracy(a.f0Hz, resynthesis.candidateF0Hz))})`,
    );
  }
  console.log(
    'bars: MCD <= 1.5 dB, RPA of the resynthesis >= 0.99 (RPA vs orig: estimateF0 on original vs on resynthesis,',
  );
  console.log(
    '      a frame the resynthesis calls unvoiced counted as a miss; "MIREX RPA" = the same as mir_eval scores it,',
  );
  console.log(
    "      voicing ignored (the tracker's pitch on frames it calls unvoiced counts), with voicing recall beside it;",
  );
  console.log(
    '      "steady" = frames away from voicing edges whose original F0 moves < 30 cents per frame;',
  );
  console.log(
    '      "RPA Praat" = the same comparison with Praat To Pitch (ac) reading both signals; n/a without Praat)',
  );
}

export async function refinedRoundTripTable(materials: Material[]): Promise<void> {
  console.log('\n== Round trip with refineAnalysis (analysis by synthesis, offline) ==');
  const widths = [34, 7, 9, 9, 9, 8, 9, 20, 8];
  console.log(
    row(
      [
        'material',
        'MCD dB',
        'de-bias',
        'env only',
        'refined',
        'RPA',
        'RPA ref.',
        'HNR orig/plain/ref.',
        'RTF cpu',
      ],
      widths,
    ),
  );
  for (const m of materials) {
    const track = estimateF0(m.signal, m.sampleRate);
    const analysis = analyzeVoice(m.signal, m.sampleRate, { f0Track: track });
    const source = signalSource(m.signal);
    const render = (a: VoiceAnalysis): Float32Array => synthesizeVoice(a, { source });
    const plain = render(analysis);
    const debiased = render(refineAnalysis(m.signal, analysis, { passes: 0 }));
    const envelopesOnly = render(refineAnalysis(m.signal, analysis, { debiasAperiodicity: false }));
    const refining = timed(() => refineAnalysis(m.signal, analysis));
    const refined = render(refining.value);
    const mcd = (y: Float32Array): string => fmt(sameTimingMcd(m.signal, y, m.sampleRate), 2);
    const hnr: string[] = [];
    for (const x of [m.signal, plain, refined]) hnr.push(fmt(await praatMeanHarmonicity(x, m.sampleRate), 1));
    console.log(
      row(
        [
          m.name.replace(/ \(.*\)$/, ''),
          mcd(plain),
          mcd(debiased),
          mcd(envelopesOnly),
          mcd(refined),
          fmt(rawPitchAccuracy(track.f0Hz, estimateF0(plain, m.sampleRate).f0Hz)),
          fmt(rawPitchAccuracy(track.f0Hz, estimateF0(refined, m.sampleRate).f0Hz)),
          hnr.join(' / '),
          fmt(refining.cpu / (m.signal.length / m.sampleRate), 3),
        ],
        widths,
      ),
    );
  }
  console.log(
    'de-bias = aperiodicity less what a pulses-only rendering reads (passes: 0); env only = 2 envelope passes x 0.3 without it;',
  );
  console.log(
    'refined = both (the defaults); RPA of the resynthesis vs estimateF0(original); HNR = Praat To Harmonicity (cc), mean dB;',
  );
  console.log(
    'RTF cpu = the default refinement alone (batch only: the stream and voice conversion do not refine)',
  );
}
