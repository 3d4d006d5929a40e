// The floors of the round-trip measures (part of bench/dsp-vocoder.bench.ts).
//
// A voice's aperiodic part is noise, and a vocoder renders it as noise: the same parameters with
// another noise realisation are an equally faithful rendering, yet they are not the same signal.
// How far two such renderings lie apart under the round trip's own measures (mel-cepstral
// distortion, and the tracker's pitch read on both) is the floor below which a vocoder that
// renders its aperiodic part as fresh noise cannot be expected to come (lending the noise the
// recording's phases, as our resynthesis does, gets under it), and is the reference the
// round-trip figures stand beside.
//
// Known truth: each recording's analysis, rendered with noise seed A (no source), stands in for
// the recording, so its parameters are known exactly. Floor = the exact parameters rendered with
// seed B; ours = analyzeVoice + synthesizeVoice of the stand-in with it as the source, as in the
// round-trip table; refined = the same after refineAnalysis.
import {
  analyzeVoice,
  estimateF0,
  refineAnalysis,
  signalSource,
  synthesizeVoice,
  type F0Track,
  type VoiceAnalysis,
} from '../src/dsp/index.js';
import { rawPitchAccuracy } from '../src/quality/pitch-accuracy.js';
import { sameTimingMcd } from '../tests/fixtures/vocoder-signals.js';
import { fmt, row } from './table-format.js';
import type { Material } from './vocoder-materials.js';

/** Noise seeds of the stand-in (A) and of the other rendering of the same parameters (B). */
export const SEED_A = 11;
const SEED_B = 12;

/** A recording's known truth, and what the tables read of it (built once for both tables). */
export interface KnownTruth {
  readonly material: Material;
  /** The recording's analysis: the exact parameters of `standIn`. */
  readonly truth: VoiceAnalysis;
  /** `truth` rendered with seed A (no source): the stand-in for the recording. */
  readonly standIn: Float32Array;
  /** `truth` rendered with seed B: the equally faithful other rendering (the floor). */
  readonly otherSeed: Float32Array;
  /** estimateF0 of the stand-in. */
  readonly track: F0Track;
  /** analyzeVoice of the stand-in with `track`: our analysis of known truth. */
  readonly ours: VoiceAnalysis;
}

export function knownTruth(material: Material): KnownTruth {
  const fs = material.sampleRate;
  const truth = analyzeVoice(material.signal, fs, { f0Track: estimateF0(material.signal, fs) });
  const standIn = synthesizeVoice(truth, { seed: SEED_A });
  const track = estimateF0(standIn, fs);
  return {
    material,
    truth,
    standIn,
    otherSeed: synthesizeVoice(truth, { seed: SEED_B }),
    track,
    ours: analyzeVoice(standIn, fs, { f0Track: track }),
  };
}

export function measureFloorTable(knownTruths: readonly KnownTruth[]): void {
  console.log(
    '\n== Floors of the round-trip measures: two renderings of the same parameters, noise seeds apart ==',
  );
  const widths = [38, 11, 10, 12, 11, 10, 13, 12];
  const header = [
    'material',
    'MCD floor',
    'MCD ours',
    'MCD refined',
    'RPA floor',
    'RPA ours',
    'MIREX floor',
    'MIREX ours',
  ];
  console.log(row(header, widths));
  for (const { material: m, standIn: seedA, otherSeed: seedB, track, ours } of knownTruths) {
    const fs = m.sampleRate;
    // Known truth: seedA is the "recording", the analysis it was rendered from its exact parameters.
    const source = signalSource(seedA);
    const resynthesis = synthesizeVoice(ours, { source });
    const refined = synthesizeVoice(refineAnalysis(seedA, ours), { source });
    const floorTrack = estimateF0(seedB, fs);
    const oursTrack = estimateF0(resynthesis, fs);
    const cells = [
      m.name,
      fmt(sameTimingMcd(seedA, seedB, fs), 2),
      fmt(sameTimingMcd(seedA, resynthesis, fs), 2),
      fmt(sameTimingMcd(seedA, refined, fs), 2),
      fmt(rawPitchAccuracy(track.f0Hz, floorTrack.f0Hz), 3),
      fmt(rawPitchAccuracy(track.f0Hz, oursTrack.f0Hz), 3),
      fmt(rawPitchAccuracy(track.f0Hz, floorTrack.candidateF0Hz), 3),
      fmt(rawPitchAccuracy(track.f0Hz, oursTrack.candidateF0Hz), 3),
    ];
    console.log(row(cells, widths));
  }
  console.log(
    "known truth: each recording's analysis rendered with noise seed A (no source) is the original, its parameters exact;",
  );
  console.log(
    '  floor = the exact parameters rendered with seed B; ours = analysis + synthesis of the original with it as source',
  );
  console.log(
    "  (the round-trip table's setup); refined = after refineAnalysis; RPA = estimateF0 on the original vs on the rendering",
  );
  console.log(
    "  (unvoiced = miss; MIREX = voicing ignored, the tracker's pitch on frames it calls unvoiced counted).",
  );
  console.log('  Bars of the round trip: MCD <= 1.5 dB, RPA >= 0.99');
}
