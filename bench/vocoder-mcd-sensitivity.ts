// What the round-trip MCD rewards (part of bench/dsp-vocoder.bench.ts; ninth pass).
//
// Known truth as in bench/vocoder-floors.ts: each recording's analysis rendered with noise seed A
// stands in for the recording. Here its aperiodic part is also known as a waveform: the
// stand-in less the same analysis rendered with pulses only. Each column keeps that exact noise
// waveform and changes one thing in the periodic part, so the distance it scores is what the
// measure charges for that change alone:
//   - "F0 +2 c" / "+5 c": every frame's F0 raised by 2 or 5 cents (pulses drift against the noise);
//   - "1 sample late": the exact pulses, one sample later;
//   - "our F0": F0 and voicing from estimateF0 on the stand-in, envelope and aperiodicity exact;
//   - "our env + ap": F0 exact, envelope and aperiodicity from analyzeVoice on the stand-in;
//   - "our analysis": all three from our analysis (what our round trip would score if it knew the
//     noise waveform exactly).
// Beside them, "floor": the exact parameters with another noise seed (the floors table's measure).
import { synthesizeVoice, type VoiceAnalysis } from '../src/dsp/index.js';
import { sameTimingMcd } from '../tests/fixtures/vocoder-signals.js';
import { fmt, row } from './table-format.js';
import { SEED_A, type KnownTruth } from './vocoder-floors.js';

/**
 * The analysis with its voiced frames' aperiodic share taken out of the envelope and their
 * aperiodicity made negligible, and unvoiced frames silenced: synthesizeVoice then renders the
 * same pulses as from `analysis` (a pulse response is the minimum-phase filter of
 * envelope·(1 − ap²) either way) and no noise.
 */
function periodicPart(analysis: VoiceAnalysis): VoiceAnalysis {
  const spectralEnvelope = analysis.spectralEnvelope.map((envelope, t) => {
    const ap = analysis.aperiodicity[t] as Float32Array;
    const voiced = (analysis.voiced[t] as number) === 1;
    return envelope.map((e, k) => (voiced ? e * (1 - (ap[k] as number) ** 2) : e * 1e-12));
  });
  const aperiodicity = analysis.aperiodicity.map((ap) => new Float32Array(ap.length).fill(1e-4));
  return { ...analysis, spectralEnvelope, aperiodicity };
}

/** `analysis` with frames' F0 and voicing, envelope, and aperiodicity taken from the three given. */
function combine(f0: VoiceAnalysis, envelope: VoiceAnalysis, aperiodicity: VoiceAnalysis): VoiceAnalysis {
  const n = Math.min(f0.f0Hz.length, envelope.f0Hz.length, aperiodicity.f0Hz.length);
  return {
    ...f0,
    f0Hz: f0.f0Hz.slice(0, n),
    voiced: f0.voiced.slice(0, n),
    spectralEnvelope: envelope.spectralEnvelope.slice(0, n),
    aperiodicity: aperiodicity.aperiodicity.slice(0, n),
  };
}

function sum(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((x, i) => x + (b[i] ?? 0));
}

export function mcdSensitivityTable(knownTruths: readonly KnownTruth[]): void {
  console.log(
    '\n== What the round-trip MCD charges: known truth with its exact noise waveform, one change at a time ==',
  );
  const widths = [38, 7, 9, 9, 15, 9, 14, 14];
  const header = [
    'material',
    'floor',
    'F0 +2 c',
    'F0 +5 c',
    '1 sample late',
    'our F0',
    'our env + ap',
    'our analysis',
  ];
  console.log(row(header, widths));
  for (const { material: m, truth, standIn, otherSeed, ours } of knownTruths) {
    const fs = m.sampleRate;
    const pulses = synthesizeVoice(periodicPart(truth), { seed: SEED_A });
    const noise = standIn.map((x, i) => x - (pulses[i] as number));
    const withNoise = (a: VoiceAnalysis): string =>
      fmt(sameTimingMcd(standIn, sum(synthesizeVoice(periodicPart(a), { seed: SEED_A }), noise), fs), 2);
    const raised = (cents: number): VoiceAnalysis => ({
      ...truth,
      f0Hz: truth.f0Hz.map((f) => f * 2 ** (cents / 1200)),
    });
    const late = new Float32Array(pulses.length);
    late.set(pulses.subarray(0, pulses.length - 1), 1);
    const cells = [
      m.name,
      fmt(sameTimingMcd(standIn, otherSeed, fs), 2),
      withNoise(raised(2)),
      withNoise(raised(5)),
      fmt(sameTimingMcd(standIn, sum(late, noise), fs), 2),
      withNoise(combine(ours, truth, truth)),
      withNoise(combine(truth, ours, ours)),
      withNoise(ours),
    ];
    console.log(row(cells, widths));
  }
  console.log(
    'every column but "floor" keeps the exact noise waveform (the stand-in less its pulses-only rendering);',
  );
  console.log(
    '  F0 +2 c / +5 c = all F0 raised by 2 / 5 cents; 1 sample late = the exact pulses delayed one sample;',
  );
  console.log(
    '  our F0 / our env + ap / our analysis = those parameters from estimateF0 / analyzeVoice on the stand-in, the rest exact.',
  );
  console.log('  Round-trip bar: MCD <= 1.5 dB');
}
