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
import { analyzeVoice, estimateF0, shiftPitch, synthesizeVoice } from '../src/dsp/index.js';
import { VOWEL_A, syntheticVowel } from '../tests/fixtures/vocoder-signals.js';
import { fmt, row } from './table-format.js';
import { knownTruth, measureFloorTable } from './vocoder-floors.js';
import { mcdSensitivityTable } from './vocoder-mcd-sensitivity.js';
import { refinedRoundTripTable, roundTripTable } from './vocoder-round-trip.js';
import { shiftTable } from './vocoder-shift.js';
import { cpuSeconds, speedTable } from './vocoder-speed.js';
import { streamingTable } from './vocoder-streaming.js';
import { speechMaterials, syntheticMaterials, vocadito } from './vocoder-materials.js';

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
  const knownTruths = materials.map(knownTruth);
  measureFloorTable(knownTruths);
  mcdSensitivityTable(knownTruths);
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
