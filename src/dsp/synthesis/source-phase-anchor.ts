import type { SourceSignal } from './source-signal.js';

/**
 * Where pulses must sit for a resynthesis to keep the source recording's pulse timing.
 *
 * A free-running pulse train starts each voiced run at an arbitrary phase and keeps whatever
 * phase the F0 contour integrates to, so two renderings that disagree on voicing for a frame or
 * two (a stream and a batch run, say) put their pulses elsewhere for the rest of the run — at a
 * low voice's two or three periods per analysis window that alone moves a frame's spectrum by
 * 2-4 dB. Given the source, a voiced run instead starts in step with the source's fundamental and
 * is pulled gently towards it, so every rendering converges on the same pulses.
 *
 * A pulse at p whose response has phase φ_H at F0 makes a fundamental cos(ω(n − p) + φ_H); the
 * source's fundamental around `centre` is cos(ω(n − centre) + φ_s) (a Hann-windowed DFT at F0
 * over three periods, at most 40 ms); they agree when p = centre − (φ_s − φ_H)/ω (mod one period).
 */
export class SourcePhaseAnchor {
  private scratch = new Float64Array(0);

  constructor(private readonly sampleRate: number) {}

  /**
   * A sample time (fractional, absolute) at which a pulse with response `response[0..length)`
   * puts the fundamental `f0` Hz in phase with `source` at sample `centre`; any whole number of
   * periods may be added to it.
   */
  pulseTime(
    source: SourceSignal,
    centre: number,
    f0: number,
    response: ArrayLike<number>,
    length: number,
  ): number {
    const omega = (2 * Math.PI * f0) / this.sampleRate;
    const half = Math.min(Math.round((1.5 * this.sampleRate) / f0), Math.round(0.02 * this.sampleRate));
    const size = 2 * half + 1;
    if (this.scratch.length < size) this.scratch = new Float64Array(size);
    const x = this.scratch;
    const first = Math.round(centre) - half;
    source.read(first, x, size);
    const sourcePhase = windowedPhase(x, size, omega, first - centre, half);
    const responsePhase = windowedPhase(response, length, omega, 0, -1);
    return centre - (sourcePhase - responsePhase) / omega;
  }
}

/**
 * arg Σ w[i]·x[i]·e^{-jω(i + offset)} over i < length, with a Hann window of half-width `half`
 * centred on the middle sample (half < 0: no window). Rotating phasor instead of trig per sample.
 */
function windowedPhase(
  x: ArrayLike<number>,
  length: number,
  omega: number,
  offset: number,
  half: number,
): number {
  const rc = Math.cos(omega);
  const rs = Math.sin(omega);
  let c = Math.cos(omega * offset);
  let s = Math.sin(omega * offset);
  let re = 0;
  let im = 0;
  for (let i = 0; i < length; i++) {
    const w = half < 0 ? 1 : 0.5 + 0.5 * Math.cos((Math.PI * (i - half)) / (half + 1));
    const v = w * (x[i] as number);
    re += v * c;
    im -= v * s;
    const nc = c * rc - s * rs;
    s = s * rc + c * rs;
    c = nc;
  }
  return Math.atan2(im, re);
}
