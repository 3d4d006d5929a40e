/**
 * Local refinement of a period estimate on the full-rate signal: the candidate search runs at a
 * low analysis rate, where a 1200 Hz period is only ~7 samples long; here the NCCF is evaluated
 * at a few integer lags around the guess (hill-climbing to the local maximum) and the peak is
 * interpolated with a parabola. The window pair is centred on the frame centre, as in the search.
 * Window means are removed (a covariance, not a raw correlation), so the raw signal with a DC
 * offset can be used directly.
 */

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
