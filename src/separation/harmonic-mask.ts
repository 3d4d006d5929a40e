/**
 * Harmonic comb mask from a melody: where the lead voice's harmonics fall in each STFT frame.
 * Each harmonic h of F0 gets a Gaussian tooth centred on h·F0 whose width covers the window's
 * main lobe plus a tolerance that grows with h — vibrato and glides move harmonic h by h times
 * the F0 change within one analysis window, and real voices are slightly inharmonic. Above the
 * point where teeth overlap the comb carries no information and is capped by `maxHarmonicHz`.
 */

/** Options of the harmonic comb mask. */
export interface HarmonicMaskOptions {
  /** Pitch tolerance of each tooth, cents (vibrato within a window, inharmonicity). */
  toleranceCents: number;
  /** Minimum tooth half-width, bins (the analysis window's main lobe). */
  mainLobeBins: number;
  /** Highest harmonic frequency masked, Hz. */
  maxHarmonicHz: number;
  /** Stretch factor B of the inharmonic series f_h = h·F0·sqrt(1 + B·h²) (0 = harmonic). */
  inharmonicity: number;
}

export const defaultHarmonicMaskOptions: HarmonicMaskOptions = {
  toleranceCents: 30,
  mainLobeBins: 1.2,
  maxHarmonicHz: 12000,
  inharmonicity: 0,
};

/**
 * Comb mask per frame (values in [0, 1], `binCount` bins) for the F0 track `f0Hz` (one value per
 * STFT frame, 0 = unvoiced → an all-zero frame) of an STFT with `fftSize` at `sampleRate` Hz.
 */
export function computeHarmonicMask(
  f0Hz: Float32Array,
  sampleRate: number,
  fftSize: number,
  options: Partial<HarmonicMaskOptions> = {},
): Float32Array[] {
  const opts: HarmonicMaskOptions = { ...defaultHarmonicMaskOptions, ...options };
  const binCount = fftSize / 2 + 1;
  const binHz = sampleRate / fftSize;
  const maxHz = Math.min(opts.maxHarmonicHz, sampleRate / 2);
  const tol = 2 ** (opts.toleranceCents / 1200) - 1;
  const masks: Float32Array[] = [];
  for (let t = 0; t < f0Hz.length; t++) {
    const mask = new Float32Array(binCount);
    masks.push(mask);
    const f0 = f0Hz[t] as number;
    if (!(f0 > 0)) continue;
    for (let h = 1; ; h++) {
      const fh = h * f0 * Math.sqrt(1 + opts.inharmonicity * h * h);
      if (fh > maxHz) break;
      const centre = fh / binHz;
      const sigma = Math.max(opts.mainLobeBins, (fh * tol) / binHz);
      const reach = Math.ceil(3 * sigma);
      const lo = Math.max(0, Math.floor(centre) - reach);
      const hi = Math.min(binCount - 1, Math.ceil(centre) + reach);
      for (let k = lo; k <= hi; k++) {
        const d = (k - centre) / sigma;
        const v = Math.exp(-0.5 * d * d);
        if (v > (mask[k] as number)) mask[k] = v;
      }
    }
  }
  return masks;
}
