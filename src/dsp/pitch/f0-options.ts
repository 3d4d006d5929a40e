import { AutoVoiceError } from '../../errors/index.js';

/**
 * Options of `estimateF0`. Frequencies in Hz, times in ms; the tracker costs are unitless
 * (they add up along a path, one unit being "a frame with no periodicity at all").
 */
export interface F0Options {
  /** Hop between frame centres, ms. Frame i is centred at i·framePeriodMs (WORLD convention). */
  framePeriodMs: number;
  /** Lowest F0 searched, Hz (>= 20). */
  f0FloorHz: number;
  /** Highest F0 searched, Hz (<= sampleRate / 2.5). */
  f0CeilHz: number;
  /** Target rate of the decimated signal the candidate search runs on, Hz (raised to 3·f0CeilHz if lower). */
  analysisRateHz: number;
  /** Correlation window, ms; widened per lag to `minPeriodsPerWindow` periods. */
  windowMs: number;
  /** Each lag's correlation window spans at least this many periods of that lag. */
  minPeriodsPerWindow: number;
  /** Periodicity (NCCF peak, 0..1) above which a frame counts as voiced, other costs being equal. */
  voicingThreshold: number;
  /** NCCF peaks below this are not candidates at all. */
  candidateThreshold: number;
  /** Candidates kept per frame (the strongest peaks), 1..16. */
  maxCandidates: number;
  /**
   * Per-frame cost per octave between a candidate period and a shorter candidate period it is a
   * multiple of (2..5×, nearly as periodic): prefers the true period over its multiples among
   * near-equal peaks (octave-error guard). Unrelated candidates pay nothing for being low.
   */
  lowPitchCostPerOctave: number;
  /** Cost of an F0 change between consecutive frames, per octave. */
  pitchJumpCostPerOctave: number;
  /** Cost of switching between voiced and unvoiced. */
  voicingChangeCost: number;
  /**
   * Extra cost of a path that ends unvoiced at the last frame. 0 for a whole signal; a streaming
   * caller whose input goes on sets voicingChangeCost here: a dip in periodicity that runs past
   * the window's end is then bridged as the whole-signal track bridges it when voice resumes.
   */
  unvoicedEndCost: number;
  /**
   * Frames of look-ahead behind each voicing decision (fixed-lag Viterbi; 0 = the whole path).
   * The pitch of a voiced frame still comes from the whole path. Deciding voicing on the next
   * few frames rather than the whole signal lets a stream with bounded look-ahead make the
   * decisions batch analysis makes: with the whole path, a dip in periodicity inside a creaky
   * vowel was bridged or not depending on what came 100 ms later.
   */
  voicingLookAheadFrames: number;
  /** Frames quieter than the loudest frame by more than this (dB) are unvoiced. */
  silenceThresholdDb: number;
  /** Refine the chosen lag on the full-rate signal (skipped when no decimation happens). */
  refine: boolean;
  /**
   * Width, frames, of the running median over each voiced run's F0 (odd; 1 = none; see
   * `median-smooth-f0.ts`). 5 frames (25 ms at 5 ms) removes frame-to-frame roughness and keeps
   * steps, glides and vibrato.
   */
  medianFilterFrames: number;
}

/** Defaults: 5 ms hop, 50-1200 Hz, tuned on the pitch bench (bench/dsp-pitch.bench.ts). */
export const defaultF0Options: Readonly<F0Options> = Object.freeze({
  framePeriodMs: 5,
  f0FloorHz: 50,
  f0CeilHz: 1200,
  analysisRateHz: 8000,
  windowMs: 20,
  minPeriodsPerWindow: 1.5,
  voicingThreshold: 0.58,
  candidateThreshold: 0.25,
  maxCandidates: 6,
  lowPitchCostPerOctave: 0.05,
  pitchJumpCostPerOctave: 1,
  voicingChangeCost: 0.8,
  unvoicedEndCost: 0,
  voicingLookAheadFrames: 1,
  silenceThresholdDb: 45,
  refine: true,
  medianFilterFrames: 5,
});

/**
 * An F0 track. Frame i is centred at i·framePeriodMs/1000 s; frame count =
 * floor(durationSeconds·1000/framePeriodMs) + 1 (see `f0FrameCount`).
 */
export interface F0Track {
  /** F0 per frame in Hz; 0 where unvoiced. */
  readonly f0Hz: Float32Array;
  /** Voicing decision per frame: 1 voiced, 0 unvoiced. */
  readonly voiced: Uint8Array;
  /**
   * Periodicity of the best candidate per frame, 0..1 (normalised cross-correlation peak); high
   * means strongly periodic. Given for unvoiced frames too so callers can re-threshold.
   */
  readonly confidence: Float32Array;
  /**
   * The tracker's F0 for every frame in Hz, including frames judged unvoiced (0 only where no
   * candidate exists at all). Useful for voicing-independent accuracy and for interpolation.
   */
  readonly candidateF0Hz: Float32Array;
  /** Hop between frames, ms. */
  readonly framePeriodMs: number;
  /** Sample rate of the analysed signal, Hz. */
  readonly sampleRate: number;
}

/** Number of F0 frames for a signal of `signalLength` samples (WORLD convention). */
export function f0FrameCount(signalLength: number, sampleRate: number, framePeriodMs: number): number {
  return Math.floor((signalLength / sampleRate) * 1000 / framePeriodMs + 1e-9) + 1;
}

/** Centre time in seconds of every frame of `track`. */
export function f0FrameTimesSeconds(track: Pick<F0Track, 'f0Hz' | 'framePeriodMs'>): Float64Array {
  const times = new Float64Array(track.f0Hz.length);
  for (let i = 0; i < times.length; i++) times[i] = (i * track.framePeriodMs) / 1000;
  return times;
}

function invalid(name: string, value: unknown, rule: string): AutoVoiceError {
  return new AutoVoiceError('dsp.invalid_option', `F0 option ${name} = ${String(value)} is out of range: ${rule}.`, {
    option: name,
    value,
  });
}

/** Merges `options` over the defaults and validates them against `sampleRate` (Hz). */
export function resolveF0Options(sampleRate: number, options: Partial<F0Options> = {}): F0Options {
  const o: F0Options = { ...defaultF0Options, ...options };
  if (!(Number.isFinite(sampleRate) && sampleRate >= 1000)) {
    throw invalid('sampleRate', sampleRate, 'use a sample rate of at least 1000 Hz (8000 or more for speech)');
  }
  if (!(o.framePeriodMs >= 0.5 && o.framePeriodMs <= 100)) {
    throw invalid('framePeriodMs', o.framePeriodMs, 'use 0.5..100 ms (5 is typical)');
  }
  if (!(o.f0FloorHz >= 20)) throw invalid('f0FloorHz', o.f0FloorHz, 'use at least 20 Hz (50 is typical)');
  if (!(o.f0CeilHz > o.f0FloorHz * 1.5)) {
    throw invalid('f0CeilHz', o.f0CeilHz, `use more than 1.5 × f0FloorHz (${o.f0FloorHz * 1.5} Hz)`);
  }
  if (!(o.f0CeilHz <= sampleRate / 2.5)) {
    throw invalid('f0CeilHz', o.f0CeilHz, `at ${sampleRate} Hz sampling use at most ${Math.floor(sampleRate / 2.5)} Hz`);
  }
  if (!(o.analysisRateHz >= 2000)) throw invalid('analysisRateHz', o.analysisRateHz, 'use at least 2000 Hz (8000 is typical)');
  if (!(o.windowMs >= 2 && o.windowMs <= 200)) throw invalid('windowMs', o.windowMs, 'use 2..200 ms');
  if (!(o.minPeriodsPerWindow >= 0.5 && o.minPeriodsPerWindow <= 8)) {
    throw invalid('minPeriodsPerWindow', o.minPeriodsPerWindow, 'use 0.5..8');
  }
  for (const name of ['voicingThreshold', 'candidateThreshold'] as const) {
    if (!(o[name] >= 0 && o[name] <= 1)) throw invalid(name, o[name], 'use 0..1');
  }
  if (!(Number.isInteger(o.maxCandidates) && o.maxCandidates >= 1 && o.maxCandidates <= 16)) {
    throw invalid('maxCandidates', o.maxCandidates, 'use an integer 1..16');
  }
  const costNames = ['lowPitchCostPerOctave', 'pitchJumpCostPerOctave', 'voicingChangeCost', 'unvoicedEndCost'] as const;
  for (const name of costNames) {
    if (!(o[name] >= 0 && Number.isFinite(o[name]))) throw invalid(name, o[name], 'use a finite value >= 0');
  }
  if (!(Number.isInteger(o.voicingLookAheadFrames) && o.voicingLookAheadFrames >= 0 && o.voicingLookAheadFrames <= 100)) {
    throw invalid('voicingLookAheadFrames', o.voicingLookAheadFrames, 'use an integer 0..100 (1 is typical)');
  }
  if (!(Number.isInteger(o.medianFilterFrames) && o.medianFilterFrames % 2 === 1 && o.medianFilterFrames <= 15)) {
    throw invalid('medianFilterFrames', o.medianFilterFrames, 'use an odd integer 1..15 (1 = no smoothing, 5 is typical)');
  }
  if (!(o.silenceThresholdDb > 0)) throw invalid('silenceThresholdDb', o.silenceThresholdDb, 'use a positive dB value (55 is typical)');
  return o;
}
