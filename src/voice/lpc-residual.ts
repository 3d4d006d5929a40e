/**
 * Linear-prediction residual of a signal (inverse filtering): each hop of samples is filtered
 * with the all-pole predictor fitted (autocorrelation method, Levinson-Durbin) on a Hann window
 * centred on that hop. What remains is close to the glottal pulse train with a flat spectrum,
 * so its periodicity no longer depends on the moving formants that bias a period tracker on
 * speech-like singing (formant transitions shift the correlation peak by tens of cents).
 */

/** Options of lpcResidual. */
export interface LpcResidualOptions {
  /** Predictor order (18 suits 16 kHz; about sampleRate/1000 + 2). */
  order: number;
  /** Hop between predictor updates (ms). */
  hopMs: number;
  /** Analysis window length (ms). */
  windowMs: number;
}

/** Defaults for 16 kHz audio: order 18, 25 ms Hann window, updated every 5 ms. */
export const defaultLpcResidualOptions: LpcResidualOptions = { order: 18, hopMs: 5, windowMs: 25 };

/** The prediction residual of `signal` (same length and sample rate). */
export function lpcResidual(
  signal: Float32Array,
  sampleRate: number,
  options: Partial<LpcResidualOptions> = {},
): Float32Array {
  const { order, hopMs, windowMs } = { ...defaultLpcResidualOptions, ...options };
  const hop = Math.max(1, Math.round((sampleRate * hopMs) / 1000));
  const half = Math.max(order + 1, Math.round((sampleRate * windowMs) / 2000));
  const out = new Float32Array(signal.length);
  const r = new Float64Array(order + 1);
  const a = new Float64Array(order + 1);
  const prev = new Float64Array(order + 1);
  const win = Float64Array.from(
    { length: 2 * half },
    (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (n + 0.5)) / (2 * half)),
  );
  const seg = new Float64Array(2 * half);
  for (let s0 = 0; s0 < signal.length; s0 += hop) {
    const start = Math.round(s0 + hop / 2) - half;
    for (let n = 0; n < 2 * half; n++) {
      const i = start + n;
      seg[n] = i >= 0 && i < signal.length ? (win[n] as number) * (signal[i] as number) : 0;
    }
    for (let k = 0; k <= order; k++) {
      let acc = 0;
      for (let n = k; n < 2 * half; n++) acc += (seg[n] as number) * (seg[n - k] as number);
      r[k] = acc;
    }
    levinson(r, a, prev, order);
    const end = Math.min(signal.length, s0 + hop);
    for (let n = s0; n < end; n++) {
      let acc = signal[n] as number;
      for (let k = 1; k <= order && n - k >= 0; k++) acc += (a[k] as number) * (signal[n - k] as number);
      out[n] = acc;
    }
  }
  return out;
}

/** Levinson-Durbin: predictor `a` (a[0] = 1) from autocorrelation `r`; a = [1, 0…] on silence. */
function levinson(r: Float64Array, a: Float64Array, prev: Float64Array, order: number): void {
  a.fill(0);
  a[0] = 1;
  const r0 = (r[0] as number) * (1 + 1e-6); // slight white-noise floor keeps the recursion stable
  if (!(r0 > 1e-12)) return;
  let err = r0;
  for (let i = 1; i <= order; i++) {
    let acc = r[i] as number;
    for (let j = 1; j < i; j++) acc += (a[j] as number) * (r[i - j] as number);
    const k = -acc / err;
    prev.set(a);
    for (let j = 1; j < i; j++) a[j] = (prev[j] as number) + k * (prev[i - j] as number);
    a[i] = k;
    err *= 1 - k * k;
    if (!(err > 0)) return;
  }
}
