/**
 * Stereo cues for centre-panned sources (after Avendano & Jot, "Frequency-domain techniques for
 * stereo to multichannel upmix", 2002). In a time-frequency bin where only a centred source
 * (the lead vocal, in most mixes) is active, left and right are equal in level and phase; where
 * a panned or decorrelated source dominates they differ. The inter-channel similarity
 * ψ = 2·Re(L·R*) / (|L|² + |R|²) is 1 for identical channels, 0 for one-sided or orthogonal
 * content and negative for anti-phase; its positive part, sharpened, is a soft "centre" mask.
 */

/** Options of the centre mask. */
export interface CentreMaskOptions {
  /** Exponent applied to the clipped similarity (larger = stricter about "centre"). */
  exponent: number;
  /** Similarity smoothing over neighbouring frequency bins (half-width, bins). */
  smoothingBins: number;
}

export const defaultCentreMaskOptions: CentreMaskOptions = { exponent: 2, smoothingBins: 1 };

/**
 * Centre mask of one frame: `leftRe/leftIm/rightRe/rightIm` are the two channels' spectra
 * (same length); `out` receives a value in [0, 1] per bin.
 */
export function computeCentreMaskFrame(
  leftRe: Float32Array,
  leftIm: Float32Array,
  rightRe: Float32Array,
  rightIm: Float32Array,
  out: Float32Array,
  options: Partial<CentreMaskOptions> = {},
): void {
  const opts: CentreMaskOptions = { ...defaultCentreMaskOptions, ...options };
  const bins = out.length;
  const w = opts.smoothingBins;
  // Cross and auto powers, smoothed over ±w bins so single bins of noise do not flicker.
  let cross = 0;
  let auto = 0;
  const crossAt = (k: number) =>
    (leftRe[k] as number) * (rightRe[k] as number) + (leftIm[k] as number) * (rightIm[k] as number);
  const autoAt = (k: number) =>
    (leftRe[k] as number) ** 2 +
    (leftIm[k] as number) ** 2 +
    (rightRe[k] as number) ** 2 +
    (rightIm[k] as number) ** 2;
  for (let k = 0; k < Math.min(bins, w); k++) {
    cross += crossAt(k);
    auto += autoAt(k);
  }
  for (let k = 0; k < bins; k++) {
    const add = k + w;
    if (add < bins) {
      cross += crossAt(add);
      auto += autoAt(add);
    }
    const drop = k - w - 1;
    if (drop >= 0) {
      cross -= crossAt(drop);
      auto -= autoAt(drop);
    }
    const psi = auto > 1e-20 ? (2 * cross) / auto : 0;
    out[k] = psi > 0 ? Math.min(1, psi) ** opts.exponent : 0;
  }
}
