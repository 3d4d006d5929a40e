import { AutoVoiceError } from '../errors/index.js';
import { AperiodicityAnalyzer, type AperiodicityOptions } from './aperiodicity/band-aperiodicity.js';
import { repairF0Glitches } from './f0-glitch-repair.js';
import { allocateFrames } from './frame-storage.js';
import { EnvelopeAnalyzer, type SpectralEnvelopeOptions } from './envelope/cheap-trick.js';
import { estimateF0, f0FrameCount, type F0Options } from './pitch/index.js';

/**
 * The parameters of a voice, frame by frame (WORLD's f0 / spectrogram / aperiodicity triple).
 * Frame i is centred at i·framePeriodMs/1000 s. Treat the arrays as read-only: transforms return
 * new analyses and may share arrays they do not change.
 */
export interface VoiceAnalysis {
  /** Sample rate of the analysed signal, Hz. */
  readonly sampleRate: number;
  /** Hop between frame centres, ms. */
  readonly framePeriodMs: number;
  /** FFT size of the spectral frames; each frame has fftSize/2+1 bins from 0 Hz to Nyquist. */
  readonly fftSize: number;
  /** F0 per frame in Hz; 0 where unvoiced. */
  readonly f0Hz: Float32Array;
  /** Voicing per frame: 1 voiced, 0 unvoiced. */
  readonly voiced: Uint8Array;
  /**
   * Spectral envelope per frame: power spectral density per sample (white noise of variance σ²
   * gives σ²), independent of F0. Frames are views into one frame-major Float32Array.
   */
  readonly spectralEnvelope: Float32Array[];
  /** Aperiodicity per frame, 0..1 amplitude ratio (aperiodic power = envelope·aperiodicity²). */
  readonly aperiodicity: Float32Array[];
  /** Length of the analysed signal in samples (the synthesis length). */
  readonly signalLength: number;
}

/** An F0 contour to analyse with, instead of running `estimateF0`. */
export interface F0Contour {
  /** F0 per frame, Hz, 0 = unvoiced. */
  readonly f0Hz: Float32Array;
  /** Voicing per frame (optional; derived from f0Hz > 0 when absent). */
  readonly voiced?: Uint8Array;
  /** Frame period of the contour, ms (becomes the analysis frame period). */
  readonly framePeriodMs: number;
  /** Periodicity per frame, 0..1 (the tracker's normalised autocorrelation peak), optional. */
  readonly confidence?: Float32Array;
}

/** Options of `analyzeVoice`. */
export interface VoiceAnalysisOptions {
  /** Hop between frames, ms. */
  framePeriodMs: number;
  /** Use this F0 contour instead of estimating one (its framePeriodMs wins). */
  f0Track: F0Contour | undefined;
  /** Options passed to `estimateF0` when no contour is given (framePeriodMs is taken from above). */
  f0: Partial<F0Options>;
  /** Spectral envelope options (CheapTrick). */
  envelope: Partial<SpectralEnvelopeOptions>;
  /** Aperiodicity options. */
  aperiodicity: Partial<AperiodicityOptions>;
  /**
   * Cap each voiced frame's aperiodicity by the tracker's periodicity r: for periodic sound plus
   * noise the normalised autocorrelation peak is P/(P+N), so the aperiodic share of the power
   * below `periodicityBandHz` should not exceed 1 - r. Long windows read F0 and formant motion
   * as noise (speech!); this keeps the level honest while the valleys keep the spectral shape.
   */
  capAperiodicityByPeriodicity: boolean;
  /** Upper edge of the band the cap is measured over, Hz. */
  periodicityBandHz: number;
  /**
   * Repair octave glitches of the F0 estimated here (see `repairF0Glitches`); a given
   * `f0Track` is used as it is.
   */
  repairF0: boolean;
}

export const defaultVoiceAnalysisOptions: VoiceAnalysisOptions = {
  framePeriodMs: 5,
  f0Track: undefined,
  f0: {},
  envelope: {},
  aperiodicity: {},
  capAperiodicityByPeriodicity: true,
  periodicityBandHz: 4000,
  repairF0: true,
};

/** Number of analysis frames for `signalLength` samples: floor(duration·1000/framePeriodMs) + 1. */
export function voiceFrameCount(signalLength: number, sampleRate: number, framePeriodMs: number): number {
  return f0FrameCount(signalLength, sampleRate, framePeriodMs);
}

/** Sample index on which frame `frameIndex` is centred. */
export function frameCenterSample(frameIndex: number, sampleRate: number, framePeriodMs: number): number {
  return Math.round((frameIndex * framePeriodMs * sampleRate) / 1000);
}

/**
 * Envelope + aperiodicity of single frames, sharing the analysers' scratch buffers; used by
 * `analyzeVoice` and by the streaming vocoder so both compute identical frames.
 */
export class VoiceFrameAnalyzer {
  readonly envelope: EnvelopeAnalyzer;
  readonly aperiodicity: AperiodicityAnalyzer;
  readonly fftSize: number;
  readonly binCount: number;

  constructor(
    sampleRate: number,
    envelopeOptions: Partial<SpectralEnvelopeOptions> = {},
    aperiodicityOptions: Partial<AperiodicityOptions> = {},
  ) {
    this.envelope = new EnvelopeAnalyzer(sampleRate, envelopeOptions);
    this.fftSize = this.envelope.fftSize;
    this.binCount = this.envelope.binCount;
    this.aperiodicity = new AperiodicityAnalyzer(sampleRate, this.fftSize, {
      f0FloorHz: envelopeOptions.f0FloorHz ?? 71,
      ...aperiodicityOptions,
    });
  }

  /** Samples each side of a frame centre the analysis reads at most (for look-ahead bookkeeping). */
  maxHalfWindowSamples(sampleRate: number, f0FloorHz: number): number {
    return Math.ceil((2 * sampleRate) / f0FloorHz) + 1;
  }

  /**
   * Analyses the frame centred on `centerSample` of `signal` into `envelopeOut` and
   * `aperiodicityOut`; `f0SlopeHzPerSecond` (F0 change rate at the frame) sharpens aperiodicity
   * in glides and vibrato (see `f0Slope`).
   */
  analyzeFrame(
    signal: Float32Array,
    centerSample: number,
    f0Hz: number,
    envelopeOut: Float32Array,
    aperiodicityOut: Float32Array,
    f0SlopeHzPerSecond = 0,
  ): void {
    this.envelope.analyzeFrame(signal, centerSample, f0Hz, envelopeOut);
    this.aperiodicity.analyzeFrame(signal, centerSample, f0Hz, aperiodicityOut, f0SlopeHzPerSecond);
  }
}

/**
 * Analyses a mono voice signal into F0, spectral envelope and aperiodicity.
 * @param signal mono samples (finite values)
 * @param sampleRate Hz (8000..192000)
 * @returns a VoiceAnalysis with floor(duration·1000/framePeriodMs)+1 frames. Runs `estimateF0`
 *   unless `options.f0Track` is given. Silence and very short inputs analyse to unvoiced frames.
 */
export function analyzeVoice(
  signal: Float32Array,
  sampleRate: number,
  options: Partial<VoiceAnalysisOptions> = {},
): VoiceAnalysis {
  const opts: VoiceAnalysisOptions = { ...defaultVoiceAnalysisOptions, ...options };
  validateAnalysisInput(signal, sampleRate, opts);
  const framePeriodMs = opts.f0Track?.framePeriodMs ?? opts.framePeriodMs;
  const frames = voiceFrameCount(signal.length, sampleRate, framePeriodMs);
  const { f0Hz, voiced, confidence } = resolveF0(signal, sampleRate, framePeriodMs, frames, opts);
  const analyzer = new VoiceFrameAnalyzer(sampleRate, opts.envelope, opts.aperiodicity);
  const bins = analyzer.binCount;
  const spectralEnvelope = allocateFrames(frames, bins);
  const aperiodicity = allocateFrames(frames, bins);
  for (let t = 0; t < frames; t++) {
    const center = frameCenterSample(t, sampleRate, framePeriodMs);
    const slope = f0Slope(f0Hz, t, framePeriodMs);
    analyzer.analyzeFrame(
      signal,
      center,
      f0Hz[t] as number,
      spectralEnvelope[t] as Float32Array,
      aperiodicity[t] as Float32Array,
      slope,
    );
    if (opts.capAperiodicityByPeriodicity && confidence !== undefined && (voiced[t] as number) !== 0) {
      capAperiodicity(
        spectralEnvelope[t] as Float32Array,
        aperiodicity[t] as Float32Array,
        confidence[t] as number,
        Math.round((opts.periodicityBandHz * analyzer.fftSize) / sampleRate),
      );
    }
  }
  return {
    sampleRate,
    framePeriodMs,
    fftSize: analyzer.fftSize,
    f0Hz,
    voiced,
    spectralEnvelope,
    aperiodicity,
    signalLength: signal.length,
  };
}

/**
 * F0 slope at frame t in Hz/s from its voiced neighbours (central difference; one-sided at
 * voicing edges; 0 when isolated). Frames t-1..t+1 of `f0Hz` are read (0 = unvoiced).
 */
export function f0Slope(f0Hz: Float32Array, t: number, framePeriodMs: number): number {
  const here = f0Hz[t] as number;
  if (!(here > 0)) return 0;
  const prev = t > 0 ? (f0Hz[t - 1] as number) : 0;
  const next = t + 1 < f0Hz.length ? (f0Hz[t + 1] as number) : 0;
  const dt = framePeriodMs / 1000;
  if (prev > 0 && next > 0) return (next - prev) / (2 * dt);
  if (next > 0) return (next - here) / dt;
  if (prev > 0) return (here - prev) / dt;
  return 0;
}

/**
 * Scales a voiced frame's aperiodicity down (never up) so that its power-weighted aperiodic
 * share over bins 0..bandBins is at most 1 - periodicity.
 */
export function capAperiodicity(
  envelope: Float32Array,
  aperiodicity: Float32Array,
  periodicity: number,
  bandBins: number,
): void {
  if (!(periodicity > 0)) return;
  const allowed = Math.max(0, 1 - Math.min(1, periodicity));
  let total = 0;
  let aperiodic = 0;
  const top = Math.min(bandBins, envelope.length - 1);
  for (let k = 1; k <= top; k++) {
    const e = envelope[k] as number;
    const a = aperiodicity[k] as number;
    total += e;
    aperiodic += e * a * a;
  }
  if (!(total > 0) || aperiodic <= allowed * total) return;
  const scale = Math.sqrt((allowed * total) / aperiodic);
  for (let k = 0; k < aperiodicity.length; k++) aperiodicity[k] = (aperiodicity[k] as number) * scale;
}

function resolveF0(
  signal: Float32Array,
  sampleRate: number,
  framePeriodMs: number,
  frames: number,
  opts: VoiceAnalysisOptions,
): { f0Hz: Float32Array; voiced: Uint8Array; confidence: Float32Array | undefined } {
  const f0Hz = new Float32Array(frames);
  const voiced = new Uint8Array(frames);
  const pick = (src: Float32Array | undefined): Float32Array | undefined => {
    if (src === undefined || src.length === 0) return undefined;
    const out = new Float32Array(frames);
    for (let t = 0; t < frames; t++) out[t] = src[Math.min(t, src.length - 1)] as number;
    return out;
  };
  if (opts.f0Track !== undefined) {
    const src = opts.f0Track;
    // Contours from elsewhere may be a frame short or long: hold the last value.
    for (let t = 0; t < frames; t++) {
      const i = Math.min(t, src.f0Hz.length - 1);
      const f = i >= 0 ? (src.f0Hz[i] as number) : 0;
      const v = src.voiced !== undefined && i >= 0 ? (src.voiced[i] as number) : f > 0 ? 1 : 0;
      const ok = v !== 0 && Number.isFinite(f) && f > 0;
      f0Hz[t] = ok ? f : 0;
      voiced[t] = ok ? 1 : 0;
    }
    return { f0Hz, voiced, confidence: pick(src.confidence) };
  }
  if (signal.length === 0) return { f0Hz, voiced, confidence: undefined };
  const track = estimateF0(signal, sampleRate, { ...opts.f0, framePeriodMs });
  for (let t = 0; t < frames; t++) {
    const i = Math.min(t, track.f0Hz.length - 1);
    const ok = (track.voiced[i] as number) !== 0 && (track.f0Hz[i] as number) > 0;
    f0Hz[t] = ok ? (track.f0Hz[i] as number) : 0;
    voiced[t] = ok ? 1 : 0;
  }
  if (opts.repairF0) repairF0Glitches(f0Hz);
  return { f0Hz, voiced, confidence: pick(track.confidence) };
}

function validateAnalysisInput(signal: Float32Array, sampleRate: number, opts: VoiceAnalysisOptions): void {
  if (!(Number.isFinite(sampleRate) && sampleRate >= 4000 && sampleRate <= 192000)) {
    throw new AutoVoiceError(
      'dsp.invalid_option',
      `sampleRate must be 4000..192000 Hz, got ${sampleRate}; resample first`,
    );
  }
  const period = opts.f0Track?.framePeriodMs ?? opts.framePeriodMs;
  if (!(period >= 1 && period <= 50)) {
    throw new AutoVoiceError('dsp.invalid_option', `framePeriodMs must be 1..50 ms, got ${period}; 5 works`);
  }
  for (let i = 0; i < signal.length; i++) {
    if (!Number.isFinite(signal[i] as number)) {
      throw new AutoVoiceError(
        'audio.invalid_samples',
        `sample ${i} is not a finite number; clean the audio before analysis`,
        { index: i },
      );
    }
  }
}
