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

export const defaultHpssOptions: HpssOptions = {
  timeMedianFrames: 9,
  frequencyMedianBins: 17,
  maskExponent: 2,
};

/**
 * Running median over `count` values given by `read(i)`, with an odd window of `length` (edges use
 * the shrunken window), each result passed to `write(i, median)`. A sorted window is kept and
 * updated per step: O(length) per output instead of a sort.
 */
export function runningMedian(
  read: (i: number) => number,
  count: number,
  length: number,
  write: (i: number, v: number) => void,
): void {
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
    write(
      i,
      n % 2 === 1
        ? (window[n >> 1] as number)
        : 0.5 * ((window[n / 2 - 1] as number) + (window[n / 2] as number)),
    );
  }
}

/** Median of `values[0..count)` (sorted in place; small counts — insertion sort). */
function smallMedian(values: Float64Array, count: number): number {
  for (let i = 1; i < count; i++) {
    const v = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) > v) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = v;
  }
  return count % 2 === 1
    ? (values[count >> 1] as number)
    : 0.5 * ((values[count / 2 - 1] as number) + (values[count / 2] as number));
}

/**
 * Soft harmonic mask in [0, 1] per bin (frame-major, like `magnitudes`) from the median-filtered
 * harmonic and percussive estimates of a magnitude spectrogram. With `where` (same shape), only
 * bins whose `where` value exceeds `whereThreshold` are computed — the others are set to 1 — since
 * the separator multiplies this mask by a comb that is zero almost everywhere; computing medians
 * only under the comb's teeth makes HPSS several times cheaper.
 */
export function computeHarmonicPercussiveMask(
  magnitudes: readonly Float32Array[],
  options: Partial<HpssOptions> = {},
  where?: readonly Float32Array[],
  whereThreshold = 1e-3,
): Float32Array[] {
  const opts: HpssOptions = { ...defaultHpssOptions, ...options };
  const frames = magnitudes.length;
  const bins = magnitudes[0]?.length ?? 0;
  const halfT = (opts.timeMedianFrames - 1) >> 1;
  const halfF = (opts.frequencyMedianBins - 1) >> 1;
  const scratch = new Float64Array(Math.max(opts.timeMedianFrames, opts.frequencyMedianBins));
  const p = opts.maskExponent;
  const masks: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    const mag = magnitudes[t] as Float32Array;
    const mask = new Float32Array(bins);
    const sel = where?.[t];
    const t0 = Math.max(0, t - halfT);
    const t1 = Math.min(frames - 1, t + halfT);
    for (let k = 0; k < bins; k++) {
      if (sel !== undefined && (sel[k] as number) <= whereThreshold) {
        mask[k] = 1;
        continue;
      }
      let n = 0;
      for (let u = t0; u <= t1; u++) scratch[n++] = (magnitudes[u] as Float32Array)[k] as number;
      const h = smallMedian(scratch, n);
      n = 0;
      const k1 = Math.min(bins - 1, k + halfF);
      for (let j = Math.max(0, k - halfF); j <= k1; j++) scratch[n++] = mag[j] as number;
      const perc = smallMedian(scratch, n);
      const hp = h ** p;
      const pp = perc ** p;
      mask[k] = hp + pp > 1e-30 ? hp / (hp + pp) : 0.5;
    }
    masks.push(mask);
  }
  return masks;
}
