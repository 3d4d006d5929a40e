/**
 * The K-weighting filter of ITU-R BS.1770-4: a high-shelf "pre-filter" (+4 dB above ~1.7 kHz,
 * modelling the head) followed by the RLB high-pass (~38 Hz). BS.1770 tabulates coefficients
 * only for 48 kHz; here they come from the analogue prototypes through the bilinear transform
 * (as libebur128 does), which reproduces the 48 kHz table to 1e-8 and works at any rate.
 */

/** Biquad coefficients, a0 normalised to 1: y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2. */
export interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** Stage 1 (high shelf) of the K-weighting filter at `sampleRate` Hz. */
export function kWeightingShelf(sampleRate: number): Biquad {
  const f0 = 1681.974450955533;
  const gainDb = 3.999843853973347;
  const q = 0.7071752369554196;
  const k = Math.tan((Math.PI * f0) / sampleRate);
  const vh = 10 ** (gainDb / 20);
  const vb = vh ** 0.4996667741545416;
  const a0 = 1 + k / q + k * k;
  return {
    b0: (vh + (vb * k) / q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / q + k * k) / a0,
  };
}

/** Stage 2 (RLB high-pass) of the K-weighting filter at `sampleRate` Hz. */
export function kWeightingHighPass(sampleRate: number): Biquad {
  const f0 = 38.13547087602444;
  const q = 0.5003270373238773;
  const k = Math.tan((Math.PI * f0) / sampleRate);
  const a0 = 1 + k / q + k * k;
  return { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / q + k * k) / a0 };
}

/** Applies both K-weighting stages to `samples` (Direct Form I, double precision state); returns a new array. */
export function applyKWeighting(samples: Float32Array, sampleRate: number): Float64Array {
  const out = new Float64Array(samples.length);
  const s1 = kWeightingShelf(sampleRate);
  const s2 = kWeightingHighPass(sampleRate);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0, z1 = 0, z2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i] as number;
    const y = s1.b0 * x + s1.b1 * x1 + s1.b2 * x2 - s1.a1 * y1 - s1.a2 * y2;
    x2 = x1;
    x1 = x;
    const z = s2.b0 * y + s2.b1 * y1 + s2.b2 * y2 - s2.a1 * z1 - s2.a2 * z2;
    y2 = y1;
    y1 = y;
    z2 = z1;
    z1 = z;
    out[i] = z;
  }
  return out;
}
