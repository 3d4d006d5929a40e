/**
 * Band-limited interpolation at fractional positions: an 8-tap Kaiser-windowed sinc (β = 5),
 * tabulated at 1/256-sample steps. Flat within ~0.5 dB to about 0.42·fs; used to place
 * synthesis pulses between samples and to resample analysis frames onto a pitch grid. A cubic
 * interpolator errs by -20 dB near 0.4·fs, which reads as noise in aperiodicity estimates.
 */
export const FRACTIONAL_DELAY_TAPS = 8;
/** Offset of the first tap relative to floor(position). */
export const FRACTIONAL_DELAY_FIRST_OFFSET = -3;
/** Fractional steps per sample in the table. */
export const FRACTIONAL_DELAY_STEPS = 256;

/**
 * The table: row q (0..STEPS) holds the TAPS weights for fractional position q/STEPS, for the
 * samples floor(position) + FIRST_OFFSET + j; each row sums to 1.
 */
export const FRACTIONAL_DELAY_TABLE: Float64Array = buildTable();

function besselI0Series(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

function buildTable(): Float64Array {
  const taps = FRACTIONAL_DELAY_TAPS;
  const table = new Float64Array((FRACTIONAL_DELAY_STEPS + 1) * taps);
  const beta = 5;
  const half = taps / 2;
  const norm = besselI0Series(beta);
  for (let q = 0; q <= FRACTIONAL_DELAY_STEPS; q++) {
    const delta = q / FRACTIONAL_DELAY_STEPS;
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const x = j + FRACTIONAL_DELAY_FIRST_OFFSET - delta;
      const sinc = Math.abs(x) < 1e-12 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = x / half;
      const w = Math.abs(r) >= 1 ? 0 : besselI0Series(beta * Math.sqrt(1 - r * r)) / norm;
      table[q * taps + j] = sinc * w;
      sum += sinc * w;
    }
    for (let j = 0; j < taps; j++) table[q * taps + j] = (table[q * taps + j] as number) / sum;
  }
  return table;
}

/** Value of `signal` at fractional sample `position` (zero outside the signal). */
export function interpolateAt(signal: Float32Array, position: number): number {
  const base = Math.floor(position);
  const q = Math.round((position - base) * FRACTIONAL_DELAY_STEPS) * FRACTIONAL_DELAY_TAPS;
  const first = base + FRACTIONAL_DELAY_FIRST_OFFSET;
  const table = FRACTIONAL_DELAY_TABLE;
  let acc = 0;
  if (first >= 0 && first + FRACTIONAL_DELAY_TAPS <= signal.length) {
    for (let j = 0; j < FRACTIONAL_DELAY_TAPS; j++)
      acc += (table[q + j] as number) * (signal[first + j] as number);
    return acc;
  }
  for (let j = 0; j < FRACTIONAL_DELAY_TAPS; j++) {
    const i = first + j;
    if (i >= 0 && i < signal.length) acc += (table[q + j] as number) * (signal[i] as number);
  }
  return acc;
}
