/**
 * Local refinement of a period estimate on the full-rate signal: the candidate search runs at a
 * low analysis rate, where a 1200 Hz period is only ~7 samples long; here the NCCF is evaluated
 * at a few integer lags around the guess (hill-climbing to the local maximum) and the peak is
 * interpolated with a parabola. The window pair is centred on the frame centre, as in the search.
 * Window means are removed (a covariance, not a raw correlation), so the raw signal with a DC
 * offset can be used directly.
 */

/** Largest move, analysis-rate samples, of the analysis-rate refinement of longer periods. */
const ANALYSIS_REFINE_STEPS = 2;
/** Below this lag (analysis-rate samples) the period is refined again on the full-rate signal. */
const FULL_RATE_REFINE_BELOW_LAG = 20;

/** Result of `refineLag`: the refined lag (full-rate samples, fractional) and NCCF peak value. */
export interface RefinedLag {
  lag: number;
  strength: number;
}

/**
 * Refines `lagGuess` (samples of `signal`) for the frame centred at sample `centre` using a
 * `windowSamples` correlation window, moving at most `maxSteps` samples from the rounded guess.
 * Leaves `out` at the guess (strength NaN) when the window pair does not fit in the signal.
 */
export function refineLag(
  signal: Float32Array,
  centre: number,
  lagGuess: number,
  windowSamples: number,
  maxSteps: number,
  out: RefinedLag,
): void {
  let lag = Math.round(lagGuess);
  const L = windowSamples;
  const start = Math.round(centre - (L + lag) / 2);
  out.lag = lagGuess;
  out.strength = Number.NaN;
  if (lag < 2 || start < 0 || start + L + lag + maxSteps + 1 >= signal.length) return;
  let e1 = 0;
  let s1 = 0;
  for (let i = start; i < start + L; i++) {
    const v = signal[i] as number;
    e1 += v * v;
    s1 += v;
  }
  e1 -= (s1 * s1) / L;
  if (e1 <= 0) return;
  let vm = nccfAt(signal, start, L, lag - 1, e1, s1);
  let v0 = nccfAt(signal, start, L, lag, e1, s1);
  let vp = nccfAt(signal, start, L, lag + 1, e1, s1);
  for (let step = 0; step < maxSteps && vp > v0; step++) {
    lag++;
    vm = v0;
    v0 = vp;
    vp = nccfAt(signal, start, L, lag + 1, e1, s1);
  }
  for (let step = 0; step < maxSteps && vm > v0 && lag > 2; step++) {
    lag--;
    vp = v0;
    v0 = vm;
    vm = nccfAt(signal, start, L, lag - 1, e1, s1);
  }
  const denom = vm - 2 * v0 + vp;
  let delta = denom < 0 ? (0.5 * (vm - vp)) / denom : 0;
  if (delta > 0.5) delta = 0.5;
  else if (delta < -0.5) delta = -0.5;
  out.lag = lag + delta;
  out.strength = Math.min(1, v0 - 0.25 * (vm - vp) * delta);
}

/** Mean-removed NCCF between the window at `start` (variance `v1`, sum `s1`) and the one `lag` later. */
function nccfAt(x: Float32Array, start: number, L: number, lag: number, v1: number, s1: number): number {
  let r = 0;
  let e2 = 0;
  let s2 = 0;
  for (let i = start, j = start + lag, end = start + L; i < end; i++, j++) {
    const b = x[j] as number;
    r += (x[i] as number) * b;
    e2 += b * b;
    s2 += b;
  }
  const v2 = e2 - (s2 * s2) / L;
  return v2 > 0 ? (r - (s1 * s2) / L) / Math.sqrt(v1 * v2) : 0;
}

/**
 * The signals a chosen period is re-measured on, each possibly a recent window of a longer
 * stream (`…Start` = absolute index of its first sample).
 */
export interface PeriodRefinementSignals {
  readonly fullRate: Float32Array;
  readonly fullRateStart: number;
  readonly sampleRate: number;
  /** The tracker's decimated, high-passed signal at `rate` Hz (= sampleRate / factor). */
  readonly analysis: Float32Array;
  readonly analysisStart: number;
  readonly rate: number;
  readonly factor: number;
}

/**
 * Re-measures the period `lag` (analysis-rate samples) chosen for frame `frame`: short periods
 * (high voices) on the full-rate signal, longer ones on the analysis-rate signal. Returns the
 * refined lag, or `lag` where the refinement does not fit or is not trusted. `scratch` is
 * working space.
 */
export function refineChosenPeriod(
  lag: number,
  frame: number,
  s: PeriodRefinementSignals,
  o: { readonly framePeriodMs: number; readonly windowMs: number },
  scratch: RefinedLag,
): number {
  if (s.factor > 1 && lag < FULL_RATE_REFINE_BELOW_LAG) {
    // Only periods under ~2.3 ms are refined here, so a quarter of the search window (5 ms) spans
    // two or more of them; the guard below keeps noise from pulling the peak away.
    const window = Math.round((0.25 * o.windowMs * s.sampleRate) / 1000);
    const centre = (frame * o.framePeriodMs * s.sampleRate) / 1000 - s.fullRateStart;
    const lagFull = lag * s.factor;
    refineLag(s.fullRate, centre, lagFull, Math.max(window, Math.round(2 * lagFull)), 1, scratch);
    // Broadband noise makes the full-rate NCCF ragged; a refinement that wanders further
    // than the search's own uncertainty (~0.2 analysis samples) is noise, not precision.
    if (
      Number.isFinite(scratch.strength) &&
      Math.abs(scratch.lag - lagFull) <= Math.max(1, 0.25 * s.factor)
    ) {
      return scratch.lag / s.factor;
    }
  } else if (lag >= FULL_RATE_REFINE_BELOW_LAG) {
    // Lower voices' periods come from a low-rate band that holds only their first few
    // harmonics; re-measure them on the analysis-rate signal, whose upper harmonics pin the
    // period down more precisely (the band search already settled which period it is).
    const window = Math.round((o.windowMs * s.rate) / 1000);
    const centre = (frame * o.framePeriodMs * s.rate) / 1000 - s.analysisStart;
    refineLag(s.analysis, centre, lag, Math.max(window, Math.round(2 * lag)), ANALYSIS_REFINE_STEPS, scratch);
    if (Number.isFinite(scratch.strength) && Math.abs(scratch.lag - lag) <= ANALYSIS_REFINE_STEPS)
      return scratch.lag;
  }
  return lag;
}
