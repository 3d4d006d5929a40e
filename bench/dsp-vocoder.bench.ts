// Vocoder benchmark (part of `npm run bench:dsp`; alone: `node --import tsx bench/dsp-vocoder.bench.ts`).
//
// 1. Round trip analyzeVoice → synthesizeVoice on synthetic vowels, embedded-TTS speech and
//    vocadito (real singing): mel-cepstral distortion (24 coefficients, frames paired by index,
//    no DTW) and raw pitch accuracy of the resynthesis (estimateF0 on both; on vocadito also
//    against the human annotation, also on the annotation's own grid). Bars: MCD <= 1.5 dB,
//    RPA >= 0.99. Then the same with refineAnalysis (offline analysis by synthesis: aperiodicity
//    de-bias and envelope passes), with Praat's harmonics-to-noise ratio beside it. Then the
//    measures' floors: two renderings of the same (known) parameters, noise seeds apart
//    (bench/vocoder-floors.ts), and what the MCD charges for each part of the analysis when the
//    noise waveform is known exactly (bench/vocoder-mcd-sensitivity.ts).
//    Material: bench/vocoder-materials.ts.
// 2. +4 semitone shift: realised cents (median over frames voiced in both) and formant
//    stability (log-spectral distance of re-analysed envelopes, 300-5000 Hz), beside Rubber Band
//    R3 (`rubberband -3 -F -p 4`, formants preserved) on the same file when it is installed.
// 3. Speed on one core (CPU time of this single-threaded process, and wall time): F0, analysis,
//    shift + synthesis, streaming; Rubber Band on the same file, in interleaved rounds
//    (bench/vocoder-speed.ts).
// 4. Peak memory of analysis + shift + synthesis of a 10-minute input, in a child process
//    (VOCODER_BENCH_MEMORY_MINUTES overrides the length; 0 skips).
// VOCODER_BENCH_LOOKAHEAD_MS sets the streaming table's look-ahead (default: the vocoder's 35 ms).
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  analyzeVoice,
  createStreamingVocoder,
  estimateF0,
  refineAnalysis,
  shiftPitch,
  signalSource,
  synthesizeVoice,
  type F0Track,
  type VoiceAnalysis,
} from '../src/dsp/index.js';
import { rawPitchAccuracy, voicingRecall } from '../src/quality/pitch-accuracy.js';
import { VOWEL_A, sameTimingMcd, syntheticVowel } from '../tests/fixtures/vocoder-signals.js';
import { praatMeanHarmonicity, praatPitchTrack } from './praat.js';
import { rubberbandShift } from './rubberband.js';
import { fmt, row } from './table-format.js';
import { measureFloorTable } from './vocoder-floors.js';
import { mcdSensitivityTable } from './vocoder-mcd-sensitivity.js';
import { cpuSeconds, speedTable, timed } from './vocoder-speed.js';
import { speechMaterials, syntheticMaterials, vocadito, type Material } from './vocoder-materials.js';

/** Median of cents(est_b / est_a) over frames voiced in both tracks. */
function medianCents(a: F0Track, b: F0Track): number {
  const cents: number[] = [];
  const n = Math.min(a.f0Hz.length, b.f0Hz.length);
  for (let i = 0; i < n; i++) {
    const x = a.f0Hz[i] as number;
    const y = b.f0Hz[i] as number;
    if (x > 0 && y > 0) cents.push(1200 * Math.log2(y / x));
  }
  cents.sort((p, q) => p - q);
  return cents.length > 0 ? (cents[cents.length >> 1] as number) : Number.NaN;
}

/** Mean |log-spectral difference| (dB) of two analyses' envelopes over 300-5000 Hz, voiced frames of `a`. */
function envelopeDistanceDb(a: VoiceAnalysis, b: VoiceAnalysis): number {
  const frames = Math.min(a.f0Hz.length, b.f0Hz.length);
  const lo = Math.ceil((300 * a.fftSize) / a.sampleRate);
  const hi = Math.floor((5000 * a.fftSize) / a.sampleRate);
  let sum = 0;
  let count = 0;
  for (let t = 0; t < frames; t++) {
    if ((a.voiced[t] as number) === 0 || (b.voiced[t] as number) === 0) continue;
    const ea = a.spectralEnvelope[t] as Float32Array;
    const eb = b.spectralEnvelope[t] as Float32Array;
    // Level-normalised: compare shapes (a pitch shift may change the overall level a little).
    let meanDiff = 0;
    for (let k = lo; k <= hi; k++) meanDiff += 10 * Math.log10((eb[k] as number) / (ea[k] as number));
    meanDiff /= hi - lo + 1;
    for (let k = lo; k <= hi; k++)
      sum += Math.abs(10 * Math.log10((eb[k] as number) / (ea[k] as number)) - meanDiff);
    count += hi - lo + 1;
  }
  return count > 0 ? sum / count : Number.NaN;
}

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

async function roundTripTable(materials: Material[]): Promise<void> {
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

async function refinedRoundTripTable(materials: Material[]): Promise<void> {
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

async function shiftTable(materials: Material[]): Promise<void> {
  console.log('\n== +4 semitone shift (formants kept): realised cents and formant stability ==');
  const widths = [40, 11, 11, 13, 13, 13];
  console.log(
    row(['material', 'ours cents', 'RB3 cents', 'ours env dB', 'RB3 env dB', 'resyn env dB'], widths),
  );
  for (const m of materials) {
    const track = estimateF0(m.signal, m.sampleRate);
    const analysis = analyzeVoice(m.signal, m.sampleRate, { f0Track: track });
    // No source texture after a pitch change (partly periodic "unvoiced" frames would keep the old pitch).
    const shifted = synthesizeVoice(shiftPitch(analysis, 4));
    const shiftedTrack = estimateF0(shifted, m.sampleRate);
    const envOf = (x: Float32Array, t: F0Track): VoiceAnalysis =>
      analyzeVoice(x, m.sampleRate, { f0Track: t });
    const ours = envelopeDistanceDb(analysis, envOf(shifted, shiftedTrack));
    const resyn = synthesizeVoice(analysis, { source: signalSource(m.signal) });
    const resynDist = envelopeDistanceDb(analysis, envOf(resyn, estimateF0(resyn, m.sampleRate)));
    const rb = await rubberbandShift(m.signal, m.sampleRate, 4, true);
    let rbCents = Number.NaN;
    let rbEnv = Number.NaN;
    if (rb !== null) {
      const rbTrack = estimateF0(rb.out.subarray(0, m.signal.length), m.sampleRate);
      rbCents = medianCents(track, rbTrack);
      rbEnv = envelopeDistanceDb(analysis, envOf(rb.out.subarray(0, m.signal.length), rbTrack));
    }
    console.log(
      row(
        [
          m.name,
          fmt(medianCents(track, shiftedTrack), 1),
          fmt(rbCents, 1),
          fmt(ours, 2),
          fmt(rbEnv, 2),
          fmt(resynDist, 2),
        ],
        widths,
      ),
    );
  }
  console.log(
    'bars: 400 +/- 5 cents; env dB = mean |log-spectral difference| of re-analysed envelopes vs the original (300-5000 Hz, level-normalised); "resyn" = same measure without a shift (floor of the measure)',
  );
}

/** The streaming table's look-ahead option (VOCODER_BENCH_LOOKAHEAD_MS, else the default). */
function streamLookAhead(): { lookAheadMs?: number } {
  const ms = process.env.VOCODER_BENCH_LOOKAHEAD_MS;
  return ms === undefined ? {} : { lookAheadMs: Number(ms) };
}

/**
 * Streams `m` through the vocoder in chunks. Without `semitones`: resynthesis with the input as
 * source, as batch resynthesis, recording each frame's F0; with it, a hook that shifts F0 (no
 * source, as realtime conversion renders).
 */
function streamOf(
  m: Material,
  chunkSamples: number,
  semitones?: number,
): { out: Float32Array; f0Hz: Float32Array } {
  const f0Hz = new Float32Array(Math.floor(m.signal.length / (m.sampleRate * 0.005)) + 2);
  const v = createStreamingVocoder(m.sampleRate, {
    ...streamLookAhead(),
    inputAsSource: semitones === undefined,
    transform: (frame) => {
      f0Hz[frame.index] = frame.f0Hz;
      if (semitones !== undefined) frame.f0Hz *= 2 ** (semitones / 12);
    },
  });
  const out = new Float32Array(m.signal.length);
  let o = 0;
  for (let i = 0; i < m.signal.length; i += chunkSamples) {
    const part = v.push(m.signal.subarray(i, i + chunkSamples));
    out.set(part, o);
    o += part.length;
  }
  out.set(v.flush(), o);
  return { out, f0Hz };
}

function streamingTable(materials: Material[]): void {
  console.log('\n== Streaming vs batch resynthesis (same material, 10 ms chunks) ==');
  const widths = [40, 16, 16, 12, 14, 14, 14];
  const header = [
    'material',
    'MCD stream/batch',
    'MCD stream/orig',
    'latency ms',
    'F0 RPA vs bat',
    'voicing agree',
    'MCD +4 st',
  ];
  console.log(row(header, widths));
  for (const m of materials) {
    const chunk = Math.round(0.01 * m.sampleRate);
    const analysis = analyzeVoice(m.signal, m.sampleRate);
    const batch = synthesizeVoice(analysis, { source: signalSource(m.signal) });
    const stream = streamOf(m, chunk);
    const shifted = sameTimingMcd(
      synthesizeVoice(shiftPitch(analysis, 4)),
      streamOf(m, chunk, 4).out,
      m.sampleRate,
    );
    const latency =
      (createStreamingVocoder(m.sampleRate, streamLookAhead()).latencySamples / m.sampleRate) * 1000;
    const frames = analysis.f0Hz.length;
    let agree = 0;
    for (let t = 0; t < frames; t++)
      if ((analysis.f0Hz[t] as number) > 0 === (stream.f0Hz[t] as number) > 0) agree++;
    console.log(
      row(
        [
          m.name,
          fmt(sameTimingMcd(batch, stream.out, m.sampleRate), 3),
          fmt(sameTimingMcd(m.signal, stream.out, m.sampleRate), 2),
          fmt(latency, 1),
          fmt(rawPitchAccuracy(analysis.f0Hz, stream.f0Hz.subarray(0, frames)), 3),
          fmt(agree / frames, 3),
          fmt(shifted, 3),
        ],
        widths,
      ),
    );
  }
  console.log(
    `bars: MCD stream vs batch <= 0.5 dB; algorithmic latency <= 50 ms. Look-ahead ${streamLookAhead().lookAheadMs ?? 'default (35)'} ms. F0 columns: the stream's F0 (incremental tracker) against batch analysis, RPA over batch-voiced frames. MCD +4 st: a stream hook shifting F0 +4 st (no source, as realtime conversion) against batch shiftPitch(+4) + synthesis`,
  );
}

function memoryChild(minutes: number, fftSize: number): void {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--memory-child', String(minutes), String(fftSize)],
    {
      encoding: 'utf8',
      env: { ...process.env },
      maxBuffer: 1 << 20,
    },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  try {
    const r = JSON.parse(line) as Record<string, number>;
    const mb = (x: number | undefined): string => (x === undefined ? 'n/a' : (x / 2 ** 20).toFixed(0));
    console.log(
      row(
        [
          `${minutes} min @ ${r.sampleRate} Hz, envelope fftSize ${r.fftSize}`,
          mb(r.signalBytes),
          mb(r.featureBytes),
          mb(r.peakHeap),
          mb(r.peakExternal),
          mb(r.maxRss),
          fmt((r.cpuSeconds ?? Number.NaN) / (minutes * 60), 4),
        ],
        [44, 10, 12, 10, 12, 10, 8],
      ),
    );
  } catch {
    console.log(`memory child failed (status ${child.status}): ${child.stderr.slice(-500)}`);
  }
}

async function runMemoryChild(minutes: number, fftSize: number): Promise<void> {
  const fs = 44100;
  const v = await vocadito();
  const source = v?.signal ?? syntheticVowel(180, 30, fs, VOWEL_A, 50).signal;
  const signal = new Float32Array(Math.round(minutes * 60 * fs));
  for (let i = 0; i < signal.length; i += source.length)
    signal.set(source.subarray(0, Math.min(source.length, signal.length - i)), i);
  let peakHeap = 0;
  let peakExternal = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakExternal = Math.max(peakExternal, m.external); // typed-array storage lives here (arrayBuffers is part of it)
  };
  const c0 = cpuSeconds();
  sample();
  const track = estimateF0(signal, fs);
  sample();
  const analysis = analyzeVoice(signal, fs, { f0Track: track, envelope: fftSize > 0 ? { fftSize } : {} });
  sample();
  const shifted = shiftPitch(analysis, 4);
  const y = synthesizeVoice(shifted);
  sample();
  const featureBytes = 2 * analysis.spectralEnvelope.length * (analysis.fftSize / 2 + 1) * 4;
  console.log(
    JSON.stringify({
      sampleRate: fs,
      fftSize: analysis.fftSize,
      signalBytes: signal.byteLength + y.byteLength,
      featureBytes,
      peakHeap,
      peakExternal,
      maxRss: process.resourceUsage().maxRSS * 1024,
      cpuSeconds: cpuSeconds() - c0,
    }),
  );
}

/** Runs the whole vocoder benchmark, printing tables. */
export async function runVocoderBench(): Promise<void> {
  const sung = await vocadito();
  if (sung === null) console.log('\n(vocadito skipped: ../shared/data/vocadito is absent)');
  const speech = await speechMaterials();
  const materials = [...syntheticMaterials(), ...speech, ...(sung === null ? [] : [sung])];
  await roundTripTable(materials);
  await refinedRoundTripTable([...speech, ...(sung === null ? [] : [sung])]);
  measureFloorTable(materials);
  mcdSensitivityTable(materials);
  await shiftTable([...speech.slice(0, 2), ...(sung === null ? [] : [sung])]);
  streamingTable([...speech, ...(sung === null ? [] : [sung])]);
  const speedMaterial = sung ?? materials[materials.length - 1];
  if (speedMaterial !== undefined) await speedTable(speedMaterial);
  const minutes = Number(process.env.VOCODER_BENCH_MEMORY_MINUTES ?? 10);
  if (minutes > 0) {
    console.log(
      `\n== Peak memory: F0 + analysis + shift + synthesis of a ${minutes}-minute input (child process) ==`,
    );
    console.log(
      row(
        ['input', 'signal MB', 'features MB', 'heap MB', 'external MB', 'maxRSS MB', 'RTF cpu'],
        [44, 10, 12, 10, 12, 10, 8],
      ),
    );
    memoryChild(minutes, 0);
    memoryChild(minutes, 1024);
    console.log(
      'signal = input + output samples; features = envelope + aperiodicity (Float32, frame-major); the 1024 row uses a half-size envelope grid',
    );
  }
}

if (process.argv[2] === '--memory-child') {
  await runMemoryChild(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runVocoderBench();
}
