import {
  MAX_TARGET_LUFS,
  measureIntegratedLoudness,
  normalizeLoudness,
  type RawAudio,
} from '../audio/index.js';
import { analyzeVoice, type VoiceAnalysis } from '../dsp/analysis.js';
import type { F0Track } from '../dsp/pitch/index.js';

/** Analysis context each side of a chunk (ms): longer than the widest analysis window. */
const PAD_MS = 120;

/**
 * Analysis of frames [a, b) of `signal` on the grid of `track`, with PAD_MS of context each
 * side, so that a long input can be analysed chunk by chunk (bounded memory) and still give
 * every frame the analysis it would get from the whole signal. `first` is the global index of
 * the analysis' frame 0 (frame a is local frame a − first).
 */
export function analyzeFramesInContext(
  signal: Float32Array,
  sampleRate: number,
  track: F0Track,
  a: number,
  b: number,
): { analysis: VoiceAnalysis; first: number; segment: Float32Array } {
  const frames = track.f0Hz.length;
  const pad = Math.ceil(PAD_MS / track.framePeriodMs);
  const pa = Math.max(0, a - pad);
  const pb = Math.min(frames, b + pad);
  const hop = (sampleRate * track.framePeriodMs) / 1000;
  // Rounding the chunk's start to a sample moves its frames by under half a sample.
  const s0 = Math.round(pa * hop);
  const s1 = Math.min(signal.length, Math.round((pb - 1) * hop) + 1);
  const segment = signal.subarray(s0, s1);
  const analysis = analyzeVoice(segment, sampleRate, {
    f0Track: {
      f0Hz: track.f0Hz.slice(pa, pb),
      voiced: track.voiced.slice(pa, pb),
      framePeriodMs: track.framePeriodMs,
    },
  });
  return { analysis, first: pa, segment };
}

/**
 * Gives `rendered` the integrated loudness of `source` (true peak kept under −1 dBTP). A float
 * source can measure above 0 LUFS; the output then gets 0 LUFS, the loudest that fits.
 */
export function matchLoudness(rendered: RawAudio, source: RawAudio): RawAudio {
  const target = measureIntegratedLoudness(source);
  if (!Number.isFinite(target)) return rendered;
  return normalizeLoudness(rendered, {
    targetLufs: Math.min(target, MAX_TARGET_LUFS),
    truePeakCeilingDbtp: -1,
  });
}
