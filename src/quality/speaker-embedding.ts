import { AutoVoiceError } from '../errors/index.js';
import { estimateF0 } from '../dsp/pitch/index.js';
import { activeFrameIndices, computeLogMelSpectrogram, logMelToMfcc } from './mfcc.js';
import { EMBEDDING_CENTER, EMBEDDING_SCALE } from './speaker-embedding-normalisation.js';

/**
 * A fixed-length speaker embedding built from signal statistics (no neural model, no download).
 *
 * Raw features (SPEAKER_EMBEDDING_LENGTH = 42 values, in this order):
 *  - [0..18]  mean of MFCC c1..c19 over voiced frames — the long-term spectral envelope (timbre,
 *             vocal-tract length, spectral tilt);
 *  - [19..37] standard deviation of MFCC c1..c19 over the same frames — articulation dynamics;
 *  - [38]     log2(median F0 / 200 Hz) — register, in octaves;
 *  - [39]     standard deviation of log2 F0, octaves — intonation range;
 *  - [40]     log2(F0 90th / 10th percentile), octaves — pitch span;
 *  - [41]     voiced fraction of speech-active frames (0..1) — voicing habit / breathiness.
 * MFCCs: 25 ms Hamming frames every 10 ms, 40 mel bands over 20-8000 Hz (see mfcc.ts). Voiced
 * frames come from estimateF0 (10 ms hop, 50-1000 Hz) among speech-active frames (within 35 dB of
 * the loudest); when fewer than 30 voiced frames exist, all active frames are used.
 *
 * Each value is then standardised with fixed population constants (EMBEDDING_CENTER/SCALE, measured
 * over the embedded TTS voices and synthetic voices; see speaker-embedding-normalisation.ts), the
 * pitch block weighted ×0.7 (nearest-voice identification over the six TTS fixture voices on
 * unseen sentences: 96% at weight 1, 97% at 0.7, 98% at 0.5 — kept near 1 because the register
 * matters for "does the output sound like the target"), and the vector L2-normalised. Cosine similarity (`embeddingSimilarity`)
 * of two embeddings is thus 1 for identical statistics and near 0 for unrelated voices.
 */
export const SPEAKER_EMBEDDING_LENGTH = 42;

const MFCC_DIMS = 19;
const PITCH_WEIGHT = 0.7;
const MIN_VOICED_FRAMES = 30;

/** Raw (un-normalised) embedding features; see the module comment for the layout. */
export function computeSpeakerFeatures(signal: Float32Array | readonly Float32Array[], sampleRate: number): Float32Array {
  const signals = signal instanceof Float32Array ? [signal] : signal;
  if (signals.length === 0 || !signals.every((s) => s instanceof Float32Array)) {
    throw new AutoVoiceError('quality.invalid_input', 'computeSpeakerEmbedding takes a Float32Array signal or an array of them.');
  }
  if (!Number.isFinite(sampleRate) || sampleRate < 8000) {
    throw new AutoVoiceError('quality.invalid_input', `sampleRate must be at least 8000 Hz, got ${sampleRate}.`);
  }
  const sum = new Float64Array(MFCC_DIMS);
  const sumSq = new Float64Array(MFCC_DIMS);
  const logF0: number[] = [];
  let used = 0;
  let active = 0;
  let voicedActive = 0;
  for (const s of signals) {
    if (s.length < sampleRate * 0.05) continue;
    const logMel = computeLogMelSpectrogram(s, sampleRate);
    const mfcc = logMelToMfcc(logMel.frames, MFCC_DIMS + 1);
    const activeIdx = activeFrameIndices(logMel.frameEnergyDb);
    // The tracker's raw frame readings (no running median): their frame-to-frame roughness is
    // part of what tells two voices of one register apart (with the median, `npm run
    // bench:quality` assigned 83 % of conversions to their target instead of 93 %).
    const track = estimateF0(s, sampleRate, { medianFilterFrames: 1, framePeriodMs: logMel.framePeriodMs, f0FloorHz: 50, f0CeilHz: Math.min(1000, sampleRate / 2.5) });
    const voicedIdx = activeIdx.filter((t) => (track.voiced[t] ?? 0) === 1 && (track.f0Hz[t] ?? 0) > 0);
    active += activeIdx.length;
    voicedActive += voicedIdx.length;
    for (const t of voicedIdx) logF0.push(Math.log2((track.f0Hz[t] as number) / 200));
    const frames = voicedIdx.length >= MIN_VOICED_FRAMES ? voicedIdx : activeIdx;
    for (const t of frames) {
      const c = mfcc[t] as Float32Array;
      for (let d = 0; d < MFCC_DIMS; d++) {
        const v = c[d + 1] as number;
        sum[d] = (sum[d] as number) + v;
        sumSq[d] = (sumSq[d] as number) + v * v;
      }
    }
    used += frames.length;
  }
  if (used === 0) {
    throw new AutoVoiceError('quality.invalid_input', 'No speech-active audio to embed: the signal is silent or shorter than 50 ms.');
  }
  const out = new Float32Array(SPEAKER_EMBEDDING_LENGTH);
  for (let d = 0; d < MFCC_DIMS; d++) {
    const mean = (sum[d] as number) / used;
    out[d] = mean;
    out[MFCC_DIMS + d] = Math.sqrt(Math.max(0, (sumSq[d] as number) / used - mean * mean));
  }
  const p = 2 * MFCC_DIMS;
  if (logF0.length > 0) {
    logF0.sort((x, y) => x - y);
    const q = (f: number): number => logF0[Math.min(logF0.length - 1, Math.floor(f * logF0.length))] as number;
    let m = 0;
    for (const v of logF0) m += v;
    m /= logF0.length;
    let v2 = 0;
    for (const v of logF0) v2 += (v - m) ** 2;
    out[p] = q(0.5);
    out[p + 1] = Math.sqrt(v2 / logF0.length);
    out[p + 2] = q(0.9) - q(0.1);
  } else {
    // No voiced frame at all: report the population centre so pitch says nothing either way.
    out[p] = EMBEDDING_CENTER[p] as number;
    out[p + 1] = EMBEDDING_CENTER[p + 1] as number;
    out[p + 2] = EMBEDDING_CENTER[p + 2] as number;
  }
  out[p + 3] = active > 0 ? voicedActive / active : 0;
  return out;
}

/** Standardises raw features with the population constants, weights the pitch block and L2-normalises. */
export function normaliseSpeakerFeatures(features: Float32Array): Float32Array {
  if (features.length !== SPEAKER_EMBEDDING_LENGTH) {
    throw new AutoVoiceError('quality.invalid_input', `Speaker features have ${SPEAKER_EMBEDDING_LENGTH} values, got ${features.length}.`);
  }
  const out = new Float32Array(SPEAKER_EMBEDDING_LENGTH);
  let norm = 0;
  for (let i = 0; i < SPEAKER_EMBEDDING_LENGTH; i++) {
    const w = i >= 2 * MFCC_DIMS ? PITCH_WEIGHT : 1;
    const z = (w * ((features[i] as number) - (EMBEDDING_CENTER[i] as number))) / (EMBEDDING_SCALE[i] as number);
    out[i] = z;
    norm += z * z;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < SPEAKER_EMBEDDING_LENGTH; i++) out[i] = (out[i] as number) * scale;
  return out;
}

/**
 * Speaker embedding of `signal` (mono samples at `sampleRate` Hz, or several recordings of one
 * voice pooled): a unit-length Float32Array of SPEAKER_EMBEDDING_LENGTH (42) values; see the module
 * comment for the layout. Throws `quality.invalid_input` when nothing is speech-active.
 */
export function computeSpeakerEmbedding(signal: Float32Array | readonly Float32Array[], sampleRate: number): Float32Array {
  return normaliseSpeakerFeatures(computeSpeakerFeatures(signal, sampleRate));
}

/** Cosine similarity (−1..1) of two speaker embeddings; 1 = the same statistics. */
export function embeddingSimilarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length || a.length === 0) {
    throw new AutoVoiceError('quality.invalid_input', `Embeddings must have the same non-zero length (got ${a.length} and ${b.length}).`);
  }
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  return dot / Math.sqrt(na * nb);
}
