/**
 * Harmonic instantaneous-frequency refinement of an F0 track (the idea of WORLD's StoneMask).
 * The period tracker picks F0 from a correlation over a ~20 ms window, which lags on glides and
 * drifts at voicing onsets by up to ~80 cents. Singing conversion re-synthesises at exactly the
 * analysed F0, and whoever listens (or tracks) the output adds their own error on top, so the
 * tracker's error counts twice. Here each voiced frame's F0 is re-measured from the phase advance
 * of its low harmonics over one sample, in a short (3-period) Blackman window centred on the
 * frame: F0 = Σ|X_k|·IF_k / Σ|X_k|·k. Works best on a whitened signal (src/voice/lpc-residual.ts),
 * where many harmonics carry equal weight whatever the formants do. Voicing is never changed, and a frame whose refinement
 * moves further than `maxCorrectionCents` keeps the tracker's value (a wrong harmonic, noise).
 */

/** Options of refineF0ByHarmonics. */
export interface F0RefineOptions {
  /** Window length in periods of the frame's F0. */
  windowPeriods: number;
  /** Most harmonics used per frame. */
  maxHarmonics: number;
  /** Highest harmonic frequency used (Hz; also capped at 0.4·sampleRate). */
  maxHarmonicHz: number;
  /** Refinement passes (each re-centres the harmonics on the previous estimate). */
  iterations: number;
  /** Largest correction accepted (cents); beyond it the tracker's value stays. */
  maxCorrectionCents: number;
}

/** Defaults for a whitened signal (tuned on the quality bench's synthetic song and vocadito). */
export const defaultF0RefineOptions: F0RefineOptions = {
  windowPeriods: 3,
  maxHarmonics: 12,
  maxHarmonicHz: 3000,
  iterations: 2,
  maxCorrectionCents: 150,
};

/**
 * A refined copy of `f0Hz` (Hz per frame, 0 = unvoiced; frame i centred at sample
 * i·framePeriodMs·sampleRate/1000 of `signal`). Unvoiced frames and frames whose window does not
 * fit in the signal are copied unchanged.
 */
export function refineF0ByHarmonics(
  signal: Float32Array,
  sampleRate: number,
  f0Hz: Float32Array,
  framePeriodMs: number,
  options: Partial<F0RefineOptions> = {},
): Float32Array {
  return refineF0FromCandidates(signal, sampleRate, [f0Hz], framePeriodMs, options);
}

/**
 * Like refineF0ByHarmonics, from several candidate tracks (same frames): each voiced frame of the
 * first track is refined from every candidate's value there, and the result whose harmonics are
 * strongest (mean windowed harmonic amplitude) wins — a candidate that sits between two harmonic
 * series, or on a window that straddles a note change, finds weaker harmonics. Voicing is the
 * first track's; a frame whose every refinement fails keeps the first track's value.
 */
export function refineF0FromCandidates(
  signal: Float32Array,
  sampleRate: number,
  candidates: readonly Float32Array[],
  framePeriodMs: number,
  options: Partial<F0RefineOptions> = {},
): Float32Array {
  const o = { ...defaultF0RefineOptions, ...options };
  const first = candidates[0] ?? new Float32Array(0);
  const out = first.slice();
  const hop = (sampleRate * framePeriodMs) / 1000;
  const maxLogCorrection = (o.maxCorrectionCents / 1200) * Math.LN2;
  const topHz = Math.min(o.maxHarmonicHz, 0.4 * sampleRate);
  const scratch: Scratch = { seg0: new Float64Array(0), seg1: new Float64Array(0) };
  const result: HarmonicEstimate = { hz: 0, strength: 0 };
  for (let t = 0; t < first.length; t++) {
    if (!((first[t] as number) > 0)) continue;
    const centre = Math.round(t * hop);
    let best = -1;
    for (const track of candidates) {
      const f = track[t] as number;
      if (!(f > 0)) continue;
      let estimate = f;
      let strength = 0;
      let ok = true;
      for (let pass = 0; pass < o.iterations && ok; pass++) {
        harmonicEstimate(signal, sampleRate, centre, estimate, o, topHz, scratch, result);
        if (!(result.hz > 0)) ok = false;
        else {
          estimate = result.hz;
          strength = result.strength;
        }
      }
      if (ok && Math.abs(Math.log(estimate / f)) <= maxLogCorrection && strength > best) {
        best = strength;
        out[t] = estimate;
      }
    }
  }
  return out;
}

/** One refinement pass: F0 (Hz, 0 = failed) and the mean harmonic amplitude found there. */
interface HarmonicEstimate {
  hz: number;
  strength: number;
}

/** Windowed-frame buffers reused across frames (grown on demand). */
interface Scratch {
  seg0: Float64Array;
  seg1: Float64Array;
}

/** One pass: amplitude-weighted instantaneous frequency of harmonics 1..K around `f0` (Hz) into `out`. */
function harmonicEstimate(
  signal: Float32Array,
  sampleRate: number,
  centre: number,
  f0: number,
  options: F0RefineOptions,
  topHz: number,
  scratch: Scratch,
  out: HarmonicEstimate,
): void {
  out.hz = 0;
  out.strength = 0;
  const half = Math.round((options.windowPeriods * sampleRate) / f0 / 2);
  if (centre - half < 0 || centre + half + 1 >= signal.length) return;
  const harmonics = Math.min(options.maxHarmonics, Math.floor(topHz / f0));
  if (harmonics < 1) return;
  const len = 2 * half + 1;
  if (scratch.seg0.length < len) {
    scratch.seg0 = new Float64Array(len);
    scratch.seg1 = new Float64Array(len);
  }
  const { seg0, seg1 } = scratch;
  // Blackman-windowed frame, and the same frame one sample later.
  let windowSum = 0;
  for (let n = 0; n < len; n++) {
    const x = (2 * Math.PI * n) / (len - 1);
    const w = 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
    windowSum += w;
    seg0[n] = w * (signal[centre - half + n] as number);
    seg1[n] = w * (signal[centre - half + n + 1] as number);
  }
  let num = 0;
  let den = 0;
  let total = 0;
  for (let k = 1; k <= harmonics; k++) {
    const omega = (2 * Math.PI * k * f0) / sampleRate;
    // X0 = Σ w[n]·x[c+n]·e^{-jωn}, X1 = the same one sample later; phasor by recurrence.
    const cs = Math.cos(omega);
    const sn = Math.sin(omega);
    let pr = Math.cos(omega * half);
    let pi = Math.sin(omega * half); // e^{-jω(-half)}
    let r0 = 0;
    let i0 = 0;
    let r1 = 0;
    let i1 = 0;
    for (let n = 0; n < len; n++) {
      const s0 = seg0[n] as number;
      const s1 = seg1[n] as number;
      r0 += s0 * pr;
      i0 += s0 * pi;
      r1 += s1 * pr;
      i1 += s1 * pi;
      // multiply the phasor by e^{-jω}
      const nr = pr * cs + pi * sn;
      pi = pi * cs - pr * sn;
      pr = nr;
    }
    const amp = Math.hypot(r0, i0);
    if (!(amp > 0)) continue;
    // Phase of X1·conj(X0): the harmonic's phase advance over one sample.
    const advance = Math.atan2(i1 * r0 - r1 * i0, r1 * r0 + i1 * i0);
    const instHz = (advance * sampleRate) / (2 * Math.PI);
    // A harmonic whose frequency is far from k·f0 is not this harmonic (noise, a neighbour).
    if (Math.abs(instHz - k * f0) > 0.5 * f0) continue;
    num += amp * instHz;
    den += amp * k;
    total += amp;
  }
  if (!(den > 0)) return;
  out.hz = num / den;
  out.strength = total / (windowSum * harmonics);
}
