/**
 * Harmonic/percussive separation by median filtering (Fitzgerald, "Harmonic/percussive
 * separation using median filtering", DAFx 2010). Along time, a sustained partial is steady and a
 * drum hit is an outlier; along frequency, a drum hit is flat and a partial is an outlier. The
 * two medians estimate the harmonic and percussive magnitudes; their ratio gives a soft mask.
 * Used to keep drums out of the vocal estimate.
 */

/** Options of the median-filter HPSS. */
export interface HpssOptions {
  /** Median length along time, frames (odd). */
  timeMedianFrames: number;
  /** Median length along frequency, bins (odd). */
  frequencyMedianBins: number;
  /** Exponent of the soft mask H^p / (H^p + P^p). */
  maskExponent: number;
}

export const defaultHpssOptions: HpssOptions = { timeMedianFrames: 9, frequencyMedianBins: 17, maskExponent: 2 };

/**
 * Running median of `input` with an odd window of `length` (edges use the shrunken window), read
 * with `stride` (so a column of a frame-major matrix can be filtered in place of a copy).
 * A sorted window is kept and updated per step: O(length) per output instead of a sort.
 */
export function runningMedian(read: (i: number) => number, count: number, length: number, write: (i: number, v: number) => void): void {
  const half = (length - 1) >> 1;
  const window: number[] = [];
  const insert = (v: number) => {
    let lo = 0;
    let hi = window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((window[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    window.splice(lo, 0, v);
  };
  const remove = (v: number) => {
    let lo = 0;
    let hi = window.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((window[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    window.splice(lo, 1);
  };
  for (let i = 0; i < Math.min(half, count); i++) insert(read(i));
  for (let i = 0; i < count; i++) {
    if (i + half < count) insert(read(i + half));
    if (i - half - 1 >= 0) remove(read(i - half - 1));
    const n = window.length;
    write(i, n % 2 === 1 ? (window[n >> 1] as number) : 0.5 * ((window[n / 2 - 1] as number) + (window[n / 2] as number)));
  }
}

/**
 * Soft harmonic mask in [0, 1] per bin (frame-major, like `magnitudes`) from the median-filtered
 * harmonic and percussive estimates of a magnitude spectrogram.
 */
export function computeHarmonicPercussiveMask(magnitudes: readonly Float32Array[], options: Partial<HpssOptions> = {}): Float32Array[] {
  const opts: HpssOptions = { ...defaultHpssOptions, ...options };
  const frames = magnitudes.length;
  const bins = magnitudes[0]?.length ?? 0;
  const harmonic = magnitudes.map(() => new Float32Array(bins));
  for (let k = 0; k < bins; k++) {
    runningMedian(
      (t) => (magnitudes[t] as Float32Array)[k] as number,
      frames,
      opts.timeMedianFrames,
      (t, v) => {
        (harmonic[t] as Float32Array)[k] = v;
      },
    );
  }
  const masks: Float32Array[] = [];
  const percussive = new Float32Array(bins);
  const p = opts.maskExponent;
  for (let t = 0; t < frames; t++) {
    const mag = magnitudes[t] as Float32Array;
    runningMedian(
      (k) => mag[k] as number,
      bins,
      opts.frequencyMedianBins,
      (k, v) => {
        percussive[k] = v;
      },
    );
    const h = harmonic[t] as Float32Array;
    const mask = new Float32Array(bins);
    for (let k = 0; k < bins; k++) {
      const hp = (h[k] as number) ** p;
      const pp = (percussive[k] as number) ** p;
      mask[k] = hp + pp > 1e-30 ? hp / (hp + pp) : 0.5;
    }
    masks.push(mask);
  }
  return masks;
}
