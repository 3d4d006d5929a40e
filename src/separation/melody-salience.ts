/**
 * Pitch salience of a polyphonic mixture by harmonic summation (after Salamon & Gómez, "Melody
 * extraction from polyphonic music signals using pitch contour characteristics", 2012 — the
 * Melodia front end). Spectral peaks of each frame vote for every F0 of which they could be a
 * harmonic, with weights that fall with the harmonic number, onto a log-frequency grid. A source
 * whose many harmonics line up (a voice) gets a high salience at its F0; a lone loud partial does
 * not dominate as it would in a plain spectrum.
 */
import { runningMedian } from './hpss.js';

/** Options of the salience function. */
export interface MelodySalienceOptions {
  /** Lowest F0 on the salience grid, Hz. */
  minF0Hz: number;
  /** Number of grid bins per semitone (10 = 10 cents per bin). */
  binsPerSemitone: number;
  /** Grid span in semitones above minF0Hz. */
  spanSemitones: number;
  /** Harmonics each peak votes for. */
  harmonics: number;
  /** Weight of harmonic h is harmonicWeight^(h−1). */
  harmonicWeight: number;
  /** Only spectral peaks below this frequency vote, Hz. */
  maxPeakHz: number;
  /** Peaks more than this far below the frame's strongest peak are ignored, dB. */
  peakThresholdDb: number;
  /** Half-width of a vote on the grid, semitones (cos² taper). */
  voteWidthSemitones: number;
  /** Magnitude compression exponent (1 = linear magnitude). */
  magnitudeExponent: number;
  /**
   * Corner of a second-order high-pass weighting applied to peak magnitudes, Hz. It plays the
   * part of Melodia's equal-loudness filter: the bass's strong low partials would otherwise
   * dominate the harmonic sums.
   */
  highPassHz: number;
}

export const defaultMelodySalienceOptions: MelodySalienceOptions = {
  minF0Hz: 55,
  binsPerSemitone: 10,
  spanSemitones: 60,
  harmonics: 16,
  harmonicWeight: 0.8,
  maxPeakHz: 5000,
  peakThresholdDb: 40,
  voteWidthSemitones: 0.5,
  magnitudeExponent: 1,
  highPassHz: 250,
};

/** A salience matrix: frame-major, `binCount` log-frequency bins each. */
export interface MelodySalience {
  readonly frames: Float32Array[];
  readonly binCount: number;
  readonly minF0Hz: number;
  readonly binsPerSemitone: number;
}

/** F0 (Hz) at fractional salience-grid bin `bin`. */
export function salienceBinToHz(bin: number, minF0Hz: number, binsPerSemitone: number): number {
  return minF0Hz * 2 ** (bin / (12 * binsPerSemitone));
}

/** Fractional salience-grid bin of `hz`. */
export function hzToSalienceBin(hz: number, minF0Hz: number, binsPerSemitone: number): number {
  return 12 * binsPerSemitone * Math.log2(hz / minF0Hz);
}

/**
 * Salience of one magnitude spectrum `magnitude` (fftSize/2+1 bins of a `sampleRate` signal) into
 * `out` (binCount values, overwritten). `scratchFreq`/`scratchAmp` hold the frame's peaks.
 */
function frameSalience(
  magnitude: Float32Array,
  sampleRate: number,
  fftSize: number,
  opts: MelodySalienceOptions,
  out: Float32Array,
  peakHz: Float64Array,
  peakAmp: Float64Array,
): void {
  out.fill(0);
  const binHz = sampleRate / fftSize;
  const maxBin = Math.min(magnitude.length - 2, Math.floor(opts.maxPeakHz / binHz));
  let maxMag = 0;
  for (let k = 1; k <= maxBin; k++) if ((magnitude[k] as number) > maxMag) maxMag = magnitude[k] as number;
  if (maxMag <= 1e-9) return;
  const threshold = maxMag * 10 ** (-opts.peakThresholdDb / 20);
  let peaks = 0;
  for (let k = 2; k <= maxBin && peaks < peakHz.length; k++) {
    const m = magnitude[k] as number;
    if (m < threshold || m < (magnitude[k - 1] as number) || m <= (magnitude[k + 1] as number)) continue;
    // Parabolic interpolation on log magnitude for a sub-bin frequency and peak height.
    const a = Math.log((magnitude[k - 1] as number) + 1e-12);
    const b = Math.log(m + 1e-12);
    const c = Math.log((magnitude[k + 1] as number) + 1e-12);
    const denom = a - 2 * b + c;
    const delta = denom < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom)) : 0;
    const hz = (k + delta) * binHz;
    const ratio = opts.highPassHz / hz;
    peakHz[peaks] = hz;
    peakAmp[peaks] = (Math.exp(b - 0.25 * (a - c) * delta) / (1 + ratio * ratio)) ** opts.magnitudeExponent;
    peaks++;
  }
  const bps = opts.binsPerSemitone;
  const binCount = out.length;
  const halfWidthBins = opts.voteWidthSemitones * bps;
  const reach = Math.ceil(halfWidthBins);
  const minLog = Math.log2(opts.minF0Hz);
  for (let p = 0; p < peaks; p++) {
    const f = peakHz[p] as number;
    const amp = peakAmp[p] as number;
    let weight = 1;
    for (let h = 1; h <= opts.harmonics; h++, weight *= opts.harmonicWeight) {
      const centre = 12 * bps * (Math.log2(f / h) - minLog);
      if (centre < -reach) break; // lower F0s for larger h only move further down
      if (centre > binCount + reach) continue;
      const lo = Math.max(0, Math.ceil(centre - halfWidthBins));
      const hi = Math.min(binCount - 1, Math.floor(centre + halfWidthBins));
      const vote = weight * amp;
      for (let b = lo; b <= hi; b++) {
        const x = ((b - centre) / halfWidthBins) * (Math.PI / 2);
        const cos = Math.cos(x);
        out[b] = (out[b] as number) + vote * cos * cos;
      }
    }
  }
}

/**
 * Salience matrix of a mixture from its magnitude spectrogram `magnitudes` (frame-major,
 * fftSize/2+1 bins, linear magnitude) of a `sampleRate` Hz signal analysed with `fftSize`.
 */
export function computeMelodySalience(
  magnitudes: readonly Float32Array[],
  sampleRate: number,
  fftSize: number,
  options: Partial<MelodySalienceOptions> = {},
): MelodySalience {
  const opts: MelodySalienceOptions = { ...defaultMelodySalienceOptions, ...options };
  const binCount = Math.round(opts.spanSemitones * opts.binsPerSemitone) + 1;
  const peakHz = new Float64Array(256);
  const peakAmp = new Float64Array(256);
  const frames: Float32Array[] = [];
  for (const magnitude of magnitudes) {
    const out = new Float32Array(binCount);
    frameSalience(magnitude, sampleRate, fftSize, opts, out, peakHz, peakAmp);
    frames.push(out);
  }
  return { frames, binCount, minF0Hz: opts.minF0Hz, binsPerSemitone: opts.binsPerSemitone };
}

/** Options of the steady-partial suppression applied before the salience function. */
export interface StationarySuppressionOptions {
  /** Length of the running median along time, frames (odd). */
  medianFrames: number;
  /** Fraction of the running median subtracted (0 = off, 1 = all steady energy). */
  amount: number;
  /** Only bins below this are processed (the rest are zeroed; the salience ignores them), Hz. */
  maxHz: number;
}

export const defaultStationarySuppressionOptions: StationarySuppressionOptions = {
  medianFrames: 41,
  amount: 0.8,
  maxHz: 5000,
};

/**
 * Removes the steady part of each frequency bin (a long running median along time) from the
 * magnitude spectrogram `magnitudes` of a `sampleRate` signal with `fftSize`. Sung notes move —
 * vibrato, glides, drift — while pads, organ and held chords sit still in their bins, so what
 * remains favours the voice when the salience function ranks pitch candidates.
 */
export function suppressStationaryPartials(
  magnitudes: readonly Float32Array[],
  sampleRate: number,
  fftSize: number,
  options: Partial<StationarySuppressionOptions> = {},
): Float32Array[] {
  const opts: StationarySuppressionOptions = { ...defaultStationarySuppressionOptions, ...options };
  const frames = magnitudes.length;
  const bins = magnitudes[0]?.length ?? 0;
  const maxBin = Math.min(bins, Math.ceil((opts.maxHz * fftSize) / sampleRate) + 2);
  const out = magnitudes.map(() => new Float32Array(bins));
  for (let k = 0; k < maxBin; k++) {
    runningMedian(
      (t) => (magnitudes[t] as Float32Array)[k] as number,
      frames,
      opts.medianFrames,
      (t, median) => {
        (out[t] as Float32Array)[k] = Math.max(
          0,
          ((magnitudes[t] as Float32Array)[k] as number) - opts.amount * median,
        );
      },
    );
  }
  return out;
}
