import type { RawAudio } from './raw-audio.js';
import { applyKWeighting } from './k-weighting.js';
import { truePeakLinear } from './true-peak.js';

/** Loudness and peak figures of a piece of audio (ITU-R BS.1770-4 / EBU R128 / Tech 3342). */
export interface LoudnessMeasurement {
  /** Gated integrated loudness (LUFS); -Infinity for silence or audio shorter than one 400 ms block. */
  readonly integratedLufs: number;
  /** Largest absolute sample value (dBFS); -Infinity for digital silence. */
  readonly samplePeakDbfs: number;
  /** Largest 4x-oversampled peak (dBTP). */
  readonly truePeakDbtp: number;
  /** Loudness range per EBU Tech 3342 (LU); 0 when fewer than two 3 s windows pass the gates. */
  readonly loudnessRangeLu: number;
}

const ABSOLUTE_GATE_LUFS = -70;
const RELATIVE_GATE_LU = -10;
const LRA_RELATIVE_GATE_LU = -20;
const SUB_BLOCK_SECONDS = 0.1;
/** 400 ms momentary blocks = 4 sub-blocks (75 % overlap); 3 s short-term windows = 30. */
const MOMENTARY_SUB_BLOCKS = 4;
const SHORT_TERM_SUB_BLOCKS = 30;

/** Converts a linear amplitude to decibels (-Infinity for 0). */
export function amplitudeToDb(amplitude: number): number {
  return 20 * Math.log10(amplitude);
}

/** Converts decibels to a linear amplitude. */
export function dbToAmplitude(db: number): number {
  return 10 ** (db / 20);
}

/**
 * BS.1770-4 channel weights G_i: 1.0 for L, R, C; 1.41 (+1.5 dB) for surrounds; 0 for LFE.
 * Assumes the WAV/SMPTE order L R C LFE Ls Rs for 6 channels and L R C Ls Rs for 5.
 */
export function channelWeights(channelCount: number): number[] {
  if (channelCount === 6) return [1, 1, 1, 0, 1.41, 1.41];
  if (channelCount === 5) return [1, 1, 1, 1.41, 1.41];
  return new Array<number>(channelCount).fill(1);
}

/** Weighted sum over channels of the K-weighted energy of every 100 ms sub-block, and each sub-block's length. */
function subBlockEnergies(audio: RawAudio): { energy: Float64Array; lengths: Float64Array } {
  const length = audio.channels[0]?.length ?? 0;
  const count = Math.floor(length / (SUB_BLOCK_SECONDS * audio.sampleRate));
  const bounds = Array.from({ length: count + 1 }, (_, k) => Math.round(k * SUB_BLOCK_SECONDS * audio.sampleRate));
  const energy = new Float64Array(count);
  const lengths = new Float64Array(count);
  for (let k = 0; k < count; k++) lengths[k] = (bounds[k + 1] as number) - (bounds[k] as number);
  const weights = channelWeights(audio.channels.length);
  audio.channels.forEach((samples, c) => {
    const weight = weights[c] as number;
    if (weight === 0) return;
    const filtered = applyKWeighting(samples, audio.sampleRate);
    for (let k = 0; k < count; k++) {
      let sum = 0;
      for (let i = bounds[k] as number; i < (bounds[k + 1] as number); i++) sum += (filtered[i] as number) ** 2;
      energy[k] = (energy[k] as number) + weight * sum;
    }
  });
  return { energy, lengths };
}

/** Mean-square power of each window of `span` sub-blocks, hopping one sub-block (100 ms). */
function windowPowers(energy: Float64Array, lengths: Float64Array, span: number): number[] {
  const powers: number[] = [];
  for (let j = 0; j + span <= energy.length; j++) {
    let e = 0;
    let n = 0;
    for (let k = j; k < j + span; k++) {
      e += energy[k] as number;
      n += lengths[k] as number;
    }
    powers.push(e / n);
  }
  return powers;
}

function powerToLufs(power: number): number {
  return -0.691 + 10 * Math.log10(power);
}

/** Gated loudness of a set of block powers: absolute gate, then a gate `relativeLu` below their mean. */
function gatedPowers(powers: readonly number[], relativeLu: number): number[] {
  const aboveAbsolute = powers.filter((p) => powerToLufs(p) > ABSOLUTE_GATE_LUFS);
  if (aboveAbsolute.length === 0) return [];
  const mean = aboveAbsolute.reduce((a, b) => a + b, 0) / aboveAbsolute.length;
  const relativeGate = powerToLufs(mean) + relativeLu;
  return aboveAbsolute.filter((p) => powerToLufs(p) > relativeGate);
}

function percentile(sorted: readonly number[], fraction: number): number {
  // Nearest-rank on the sorted values, as libebur128 does.
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(fraction * (sorted.length - 1))));
  return sorted[index] as number;
}

function integratedFromSubBlocks(energy: Float64Array, lengths: Float64Array): number {
  const gated = gatedPowers(windowPowers(energy, lengths, MOMENTARY_SUB_BLOCKS), RELATIVE_GATE_LU);
  return gated.length === 0 ? -Infinity : powerToLufs(gated.reduce((a, b) => a + b, 0) / gated.length);
}

/** Gated integrated loudness only (LUFS; -Infinity for silence) — cheaper than measureLoudness (no true peak). */
export function measureIntegratedLoudness(audio: RawAudio): number {
  const { energy, lengths } = subBlockEnergies(audio);
  return integratedFromSubBlocks(energy, lengths);
}

/**
 * Measures gated integrated loudness (BS.1770-4: 400 ms blocks, 75 % overlap, -70 LUFS absolute
 * and -10 LU relative gates), loudness range (EBU Tech 3342: 3 s windows every 100 ms, -20 LU
 * relative gate, 10th to 95th percentile), sample peak and true peak (4x oversampled).
 */
export function measureLoudness(audio: RawAudio): LoudnessMeasurement {
  const { energy, lengths } = subBlockEnergies(audio);
  const integratedLufs = integratedFromSubBlocks(energy, lengths);

  const shortTerm = gatedPowers(windowPowers(energy, lengths, SHORT_TERM_SUB_BLOCKS), LRA_RELATIVE_GATE_LU)
    .map(powerToLufs)
    .sort((a, b) => a - b);
  const loudnessRangeLu = shortTerm.length < 2 ? 0 : percentile(shortTerm, 0.95) - percentile(shortTerm, 0.1);

  let samplePeak = 0;
  for (const samples of audio.channels) {
    for (let i = 0; i < samples.length; i++) {
      const v = Math.abs(samples[i] as number);
      if (v > samplePeak) samplePeak = v;
    }
  }
  return {
    integratedLufs,
    samplePeakDbfs: amplitudeToDb(samplePeak),
    truePeakDbtp: amplitudeToDb(Math.max(samplePeak, truePeakLinear(audio.channels, audio.sampleRate))),
    loudnessRangeLu,
  };
}
