/** A complex value, written in place by `singleBinDft`. */
export interface ComplexValue {
  re: number;
  im: number;
}

/**
 * One DFT bin at any frequency: Σ x[k]·e^{-j(ω·k + startAngle)} over k < length, into `out`.
 * A rotating phasor replaces the two trig calls per sample (one complex multiply instead);
 * windowing, if any, is the caller's.
 */
export function singleBinDft(
  x: ArrayLike<number>,
  length: number,
  omega: number,
  startAngle: number,
  out: ComplexValue,
): void {
  const rc = Math.cos(omega);
  const rs = Math.sin(omega);
  let c = startAngle === 0 ? 1 : Math.cos(startAngle);
  let s = startAngle === 0 ? 0 : Math.sin(startAngle);
  let re = 0;
  let im = 0;
  for (let k = 0; k < length; k++) {
    const v = x[k] as number;
    re += v * c;
    im -= v * s;
    const nc = c * rc - s * rs;
    s = s * rc + c * rs;
    c = nc;
  }
  out.re = re;
  out.im = im;
}
