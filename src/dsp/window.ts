/**
 * Analysis windows. `periodic` windows (the default) suit overlap-add STFT; symmetric ones
 * suit filter design. All return a new Float64Array of `length` samples.
 */
export type WindowName = 'hann' | 'hamming' | 'blackman' | 'blackman-harris';

/** Window of `length` samples by name. */
export function makeWindow(name: WindowName, length: number, periodic = true): Float64Array {
  const w = new Float64Array(length);
  const denom = periodic ? length : length - 1;
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  for (let i = 0; i < length; i++) {
    const x = (2 * Math.PI * i) / denom;
    switch (name) {
      case 'hann':
        w[i] = 0.5 - 0.5 * Math.cos(x);
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * Math.cos(x);
        break;
      case 'blackman':
        w[i] = 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
        break;
      case 'blackman-harris':
        w[i] = 0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x);
        break;
    }
  }
  return w;
}

/** Zeroth-order modified Bessel function of the first kind (series; accurate to ~1e-15). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const half = x / 2;
  for (let k = 1; k < 200; k++) {
    term *= (half / k) * (half / k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** Symmetric Kaiser window of `length` samples with shape `beta` (beta ≈ 0.1102·(A−8.7) for A dB stopband). */
export function kaiserWindow(length: number, beta: number): Float64Array {
  const w = new Float64Array(length);
  const denom = besselI0(beta);
  for (let i = 0; i < length; i++) {
    const r = length === 1 ? 0 : (2 * i) / (length - 1) - 1;
    w[i] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / denom;
  }
  return w;
}
