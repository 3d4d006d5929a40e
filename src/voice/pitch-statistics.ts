import { hzToNoteName } from '../dsp/pitch/pitch-units.js';
import {
  F0_HISTOGRAM_BIN_CENTS,
  F0_HISTOGRAM_BIN_COUNT,
  F0_HISTOGRAM_FLOOR_HZ,
  type PitchStatistics,
} from './voice-profile.js';

/** Histogram bin of an F0 value (Hz), or -1 when outside the axis. */
export function f0HistogramBin(f0Hz: number): number {
  if (!(f0Hz > 0)) return -1;
  const bin = Math.floor((1200 * Math.log2(f0Hz / F0_HISTOGRAM_FLOOR_HZ)) / F0_HISTOGRAM_BIN_CENTS);
  return bin >= 0 && bin < F0_HISTOGRAM_BIN_COUNT ? bin : -1;
}

/** Centre frequency (Hz) of histogram bin `bin`. */
export function f0HistogramBinHz(bin: number): number {
  return F0_HISTOGRAM_FLOOR_HZ * 2 ** (((bin + 0.5) * F0_HISTOGRAM_BIN_CENTS) / 1200);
}

/** Adds the voiced frames of an F0 track (Hz, 0 = unvoiced) to `histogram` (in place). */
export function accumulateF0Histogram(
  histogram: Float32Array,
  f0Hz: Float32Array,
  voiced?: Uint8Array,
): void {
  for (let i = 0; i < f0Hz.length; i++) {
    if (voiced !== undefined && voiced[i] !== 1) continue;
    const bin = f0HistogramBin(f0Hz[i] as number);
    if (bin >= 0) histogram[bin] = (histogram[bin] as number) + 1;
  }
}

function percentileHz(histogram: Float32Array, total: number, q: number): number {
  const target = q * total;
  let acc = 0;
  for (let i = 0; i < histogram.length; i++) {
    const c = histogram[i] as number;
    if (acc + c >= target && c > 0) {
      // Interpolate inside the bin on the log axis.
      const within = c > 0 ? (target - acc) / c : 0.5;
      return (
        F0_HISTOGRAM_FLOOR_HZ *
        2 ** (((i + Math.min(1, Math.max(0, within))) * F0_HISTOGRAM_BIN_CENTS) / 1200)
      );
    }
    acc += c;
  }
  return 0;
}

/**
 * Pitch statistics from a log-F0 histogram (see PitchStatistics): mean and standard deviation of
 * ln F0, median, 5th/95th percentiles as the range, and their note names. Resolution is one bin
 * (10 cents), far below what conversion needs. All zeros for an empty histogram.
 */
export function pitchStatisticsFromHistogram(histogram: Float32Array): PitchStatistics {
  let total = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < histogram.length; i++) {
    const c = histogram[i] as number;
    if (c <= 0) continue;
    const lf = Math.log(f0HistogramBinHz(i));
    total += c;
    sum += c * lf;
    sumSq += c * lf * lf;
  }
  if (total === 0) {
    return {
      voicedFrames: 0,
      meanLogF0: 0,
      stdLogF0: 0,
      medianHz: 0,
      lowHz: 0,
      highHz: 0,
      lowNote: '',
      medianNote: '',
      highNote: '',
      logF0Histogram: histogram,
    };
  }
  const mean = sum / total;
  // Bin quantisation adds w²/12 of variance; negligible (10 cents) but keep the estimate unbiased.
  const binLog = (F0_HISTOGRAM_BIN_CENTS / 1200) * Math.LN2;
  const variance = Math.max(0, sumSq / total - mean * mean - (binLog * binLog) / 12);
  const medianHz = percentileHz(histogram, total, 0.5);
  const lowHz = percentileHz(histogram, total, 0.05);
  const highHz = percentileHz(histogram, total, 0.95);
  return {
    voicedFrames: total,
    meanLogF0: mean,
    stdLogF0: Math.sqrt(variance),
    medianHz,
    lowHz,
    highHz,
    lowNote: hzToNoteName(lowHz),
    medianNote: hzToNoteName(medianHz),
    highNote: hzToNoteName(highHz),
    logF0Histogram: histogram,
  };
}

/** Pitch statistics of an F0 track (Hz, 0 = unvoiced; optional voicing flags). */
export function computePitchStatistics(f0Hz: Float32Array, voiced?: Uint8Array): PitchStatistics {
  const histogram = new Float32Array(F0_HISTOGRAM_BIN_COUNT);
  accumulateF0Histogram(histogram, f0Hz, voiced);
  return pitchStatisticsFromHistogram(histogram);
}

/** Statistics of two sets of recordings together (histograms added). */
export function mergePitchStatistics(a: PitchStatistics, b: PitchStatistics): PitchStatistics {
  const histogram = new Float32Array(F0_HISTOGRAM_BIN_COUNT);
  for (let i = 0; i < histogram.length; i++)
    histogram[i] = (a.logF0Histogram[i] ?? 0) + (b.logF0Histogram[i] ?? 0);
  return pitchStatisticsFromHistogram(histogram);
}
