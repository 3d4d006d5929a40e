import { AutoVoiceError } from '../errors/index.js';

/**
 * Melody / pitch-tracking metrics in the MIREX / mir_eval sense, over two F0 tracks on one frame
 * grid. Every track is a Float32Array of F0 in Hz with 0 (or any value <= 0, or non-finite)
 * meaning "unvoiced". When the two tracks differ in length (trackers disagree by a frame at the
 * end), the metrics use their common prefix; use `resampleF0Track` to bring tracks from different
 * grids onto one.
 *
 * A metric whose denominator is empty (e.g. RPA when the reference has no voiced frame) returns
 * NaN: "not measurable" must not look like a score.
 */

/** Options of `rawPitchAccuracy` and `rawChromaAccuracy`. */
export interface PitchToleranceOptions {
  /** Largest |estimate − reference| counted as correct, in cents (MIREX: 50). */
  toleranceCents: number;
}

export const defaultPitchToleranceOptions: PitchToleranceOptions = { toleranceCents: 50 };

/** Options of `grossPitchError`. */
export interface GrossPitchErrorOptions {
  /** Relative deviation |est/ref − 1| above which a frame is a gross error (0.2 = 20%). */
  tolerance: number;
}

export const defaultGrossPitchErrorOptions: GrossPitchErrorOptions = { tolerance: 0.2 };

function isVoiced(hz: number | undefined): hz is number {
  return hz !== undefined && Number.isFinite(hz) && hz > 0;
}

function commonLength(refHz: Float32Array, estHz: Float32Array): number {
  if (!(refHz instanceof Float32Array) || !(estHz instanceof Float32Array)) {
    throw new AutoVoiceError('quality.invalid_input', 'Pitch metrics take two Float32Array F0 tracks in Hz (0 = unvoiced).');
  }
  return Math.min(refHz.length, estHz.length);
}

/** Signed distance from `refHz` to `estHz` in cents (1200·log2(est/ref)); both must be > 0. */
export function centsBetween(refHz: number, estHz: number): number {
  return 1200 * Math.log2(estHz / refHz);
}

/**
 * Raw pitch accuracy: fraction (0..1) of reference-voiced frames whose estimate is voiced and
 * within `toleranceCents` (default 50) of the reference. NaN when the reference has no voiced frame.
 */
export function rawPitchAccuracy(refHz: Float32Array, estHz: Float32Array, options: Partial<PitchToleranceOptions> = {}): number {
  const { toleranceCents } = { ...defaultPitchToleranceOptions, ...options };
  validateTolerance(toleranceCents);
  const n = commonLength(refHz, estHz);
  let voiced = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const r = refHz[i];
    if (!isVoiced(r)) continue;
    voiced++;
    const e = estHz[i];
    if (isVoiced(e) && Math.abs(centsBetween(r, e)) <= toleranceCents) correct++;
  }
  return voiced === 0 ? Number.NaN : correct / voiced;
}

/**
 * Raw chroma accuracy: like `rawPitchAccuracy` but octave errors forgiven (the cent distance is
 * folded into [−600, 600) before comparing). Fraction 0..1, NaN with no reference-voiced frame.
 */
export function rawChromaAccuracy(refHz: Float32Array, estHz: Float32Array, options: Partial<PitchToleranceOptions> = {}): number {
  const { toleranceCents } = { ...defaultPitchToleranceOptions, ...options };
  validateTolerance(toleranceCents);
  const n = commonLength(refHz, estHz);
  let voiced = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const r = refHz[i];
    if (!isVoiced(r)) continue;
    voiced++;
    const e = estHz[i];
    if (!isVoiced(e)) continue;
    const c = centsBetween(r, e);
    const folded = c - 1200 * Math.round(c / 1200);
    if (Math.abs(folded) <= toleranceCents) correct++;
  }
  return voiced === 0 ? Number.NaN : correct / voiced;
}

/**
 * Gross pitch error: fraction (0..1) of frames voiced in BOTH tracks where |est/ref − 1| exceeds
 * `tolerance` (default 0.2). Voicing mistakes are not counted here (see voicingRecall /
 * voicingFalseAlarm). NaN when no frame is voiced in both.
 */
export function grossPitchError(refHz: Float32Array, estHz: Float32Array, options: Partial<GrossPitchErrorOptions> = {}): number {
  const { tolerance } = { ...defaultGrossPitchErrorOptions, ...options };
  if (!Number.isFinite(tolerance) || tolerance <= 0) {
    throw new AutoVoiceError('quality.invalid_input', `GPE tolerance must be a positive ratio such as 0.2, got ${tolerance}.`);
  }
  const n = commonLength(refHz, estHz);
  let both = 0;
  let gross = 0;
  for (let i = 0; i < n; i++) {
    const r = refHz[i];
    const e = estHz[i];
    if (!isVoiced(r) || !isVoiced(e)) continue;
    both++;
    if (Math.abs(e / r - 1) > tolerance) gross++;
  }
  return both === 0 ? Number.NaN : gross / both;
}

/** Voicing recall: fraction (0..1) of reference-voiced frames the estimate marks voiced. NaN if none. */
export function voicingRecall(refHz: Float32Array, estHz: Float32Array): number {
  const n = commonLength(refHz, estHz);
  let voiced = 0;
  let hit = 0;
  for (let i = 0; i < n; i++) {
    if (!isVoiced(refHz[i])) continue;
    voiced++;
    if (isVoiced(estHz[i])) hit++;
  }
  return voiced === 0 ? Number.NaN : hit / voiced;
}

/** Voicing false alarm: fraction (0..1) of reference-unvoiced frames the estimate marks voiced. NaN if none. */
export function voicingFalseAlarm(refHz: Float32Array, estHz: Float32Array): number {
  const n = commonLength(refHz, estHz);
  let unvoiced = 0;
  let alarm = 0;
  for (let i = 0; i < n; i++) {
    if (isVoiced(refHz[i])) continue;
    unvoiced++;
    if (isVoiced(estHz[i])) alarm++;
  }
  return unvoiced === 0 ? Number.NaN : alarm / unvoiced;
}

/**
 * Root-mean-square log-F0 difference in cents over frames voiced in both tracks
 * (sqrt(mean((1200·log2(est/ref))²))). 0 = identical contours; 100 = a semitone. NaN if no frame is
 * voiced in both.
 */
export function logF0Rmse(refHz: Float32Array, estHz: Float32Array): number {
  const n = commonLength(refHz, estHz);
  let both = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = refHz[i];
    const e = estHz[i];
    if (!isVoiced(r) || !isVoiced(e)) continue;
    const c = centsBetween(r, e);
    sum += c * c;
    both++;
  }
  return both === 0 ? Number.NaN : Math.sqrt(sum / both);
}

/**
 * Pearson correlation (−1..1) of log-F0 over frames voiced in both tracks: 1 = the same intonation
 * shape whatever the register or range scaling. NaN with fewer than 2 such frames or a flat contour.
 */
export function logF0Correlation(refHz: Float32Array, estHz: Float32Array): number {
  const n = commonLength(refHz, estHz);
  let count = 0;
  let sumR = 0;
  let sumE = 0;
  for (let i = 0; i < n; i++) {
    const r = refHz[i];
    const e = estHz[i];
    if (!isVoiced(r) || !isVoiced(e)) continue;
    sumR += Math.log(r);
    sumE += Math.log(e);
    count++;
  }
  if (count < 2) return Number.NaN;
  const meanR = sumR / count;
  const meanE = sumE / count;
  let cov = 0;
  let varR = 0;
  let varE = 0;
  for (let i = 0; i < n; i++) {
    const r = refHz[i];
    const e = estHz[i];
    if (!isVoiced(r) || !isVoiced(e)) continue;
    const dr = Math.log(r) - meanR;
    const de = Math.log(e) - meanE;
    cov += dr * de;
    varR += dr * dr;
    varE += de * de;
  }
  if (varR <= 0 || varE <= 0) return Number.NaN;
  return cov / Math.sqrt(varR * varE);
}

/**
 * Brings an F0 track sampled at `timesSeconds` onto `targetTimesSeconds` (both ascending, seconds).
 * Between two voiced frames F0 is interpolated linearly in log-frequency; next to an unvoiced frame
 * the nearer frame decides (voicing by nearest neighbour, as mir_eval does); outside the source
 * range the result is unvoiced (0). Returns Hz on the target grid, 0 = unvoiced.
 */
export function resampleF0Track(timesSeconds: ArrayLike<number>, f0Hz: ArrayLike<number>, targetTimesSeconds: ArrayLike<number>): Float32Array {
  if (timesSeconds.length !== f0Hz.length) {
    throw new AutoVoiceError(
      'quality.invalid_input',
      `resampleF0Track needs one time per F0 value (got ${timesSeconds.length} times for ${f0Hz.length} values).`,
    );
  }
  const n = timesSeconds.length;
  for (let i = 1; i < n; i++) {
    if (!((timesSeconds[i] as number) > (timesSeconds[i - 1] as number))) {
      throw new AutoVoiceError('quality.invalid_input', `resampleF0Track needs strictly ascending times (index ${i}).`);
    }
  }
  const out = new Float32Array(targetTimesSeconds.length);
  if (n === 0) return out;
  // Half a median-ish frame beyond the ends still counts as inside (the edge frame covers it).
  const edge = n > 1 ? ((timesSeconds[n - 1] as number) - (timesSeconds[0] as number)) / (n - 1) / 2 : 0;
  let j = 0;
  for (let k = 0; k < targetTimesSeconds.length; k++) {
    const t = targetTimesSeconds[k] as number;
    if (t < (timesSeconds[0] as number) - edge || t > (timesSeconds[n - 1] as number) + edge) {
      out[k] = 0;
      continue;
    }
    // Targets are usually ascending: walk j forward, but restart when they are not.
    if (j > 0 && (timesSeconds[j] as number) > t) j = 0;
    while (j < n - 1 && (timesSeconds[j + 1] as number) <= t) j++;
    const t0 = timesSeconds[j] as number;
    const f0 = f0Hz[j] as number;
    if (j === n - 1 || t <= t0) {
      out[k] = isVoiced(f0) ? f0 : 0;
      continue;
    }
    const t1 = timesSeconds[j + 1] as number;
    const f1 = f0Hz[j + 1] as number;
    const alpha = (t - t0) / (t1 - t0);
    if (isVoiced(f0) && isVoiced(f1)) {
      out[k] = Math.exp(Math.log(f0) * (1 - alpha) + Math.log(f1) * alpha);
    } else {
      const nearest = alpha < 0.5 ? f0 : f1;
      out[k] = isVoiced(nearest) ? nearest : 0;
    }
  }
  return out;
}

function validateTolerance(toleranceCents: number): void {
  if (!Number.isFinite(toleranceCents) || toleranceCents <= 0) {
    throw new AutoVoiceError('quality.invalid_input', `toleranceCents must be a positive number of cents such as 50, got ${toleranceCents}.`);
  }
}
