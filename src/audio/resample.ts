import { AutoVoiceError } from '../errors/index.js';
import { besselI0 } from '../dsp/window.js';
import type { RawAudio } from './raw-audio.js';
import { polyphaseKernel, runPolyphaseBlocks, type PolyphaseKernel, type PolyphaseTable } from './resample-kernel.js';

/** Design of the anti-aliasing / anti-imaging low-pass filter. */
export interface ResampleOptions {
  /** Stopband attenuation the Kaiser window is designed for (dB). */
  stopbandAttenuationDb: number;
  /** Passband edge as a fraction of the lower of the two Nyquist frequencies; the stopband starts at that Nyquist. */
  passbandEdgeFraction: number;
  /** Use the WebAssembly SIMD kernel when available (false forces the plain JavaScript loop). */
  simd: boolean;
}

/** Defaults: 110 dB stopband (10 dB of margin over the 100 dB promise), flat to 90 % of the lower Nyquist. */
export const defaultResampleOptions: ResampleOptions = { stopbandAttenuationDb: 110, passbandEdgeFraction: 0.9, simd: true };

/** Largest polyphase table (coefficients) built for an exact rational ratio; beyond it phases are interpolated. */
const MAX_EXACT_TABLE_COEFFICIENTS = 1 << 21;
/** Phases tabulated per input sample when interpolating (linear interpolation error < -110 dB). */
const INTERPOLATED_PHASES = 2048;

/** A polyphase windowed-sinc filter: `phases` (+1) rows of `taps` coefficients. */
interface PolyphaseFilter extends PolyphaseTable {
  readonly phases: number;
}

const filterCache = new Map<string, PolyphaseFilter>();

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Builds the table h(frac - j) for frac = p / phases (p = 0..phases) and j = -(halfTaps-1)..halfTaps:
 * a Kaiser-windowed sinc low-pass, cutoff halfway through the transition band.
 */
function designFilter(fromRateHz: number, toRateHz: number, phases: number, options: ResampleOptions): PolyphaseFilter {
  const key = `${fromRateHz}/${toRateHz}/${phases}/${options.stopbandAttenuationDb}/${options.passbandEdgeFraction}`;
  const cached = filterCache.get(key);
  if (cached) return cached;
  const nyquistHz = Math.min(fromRateHz, toRateHz) / 2;
  const passHz = options.passbandEdgeFraction * nyquistHz;
  const transition = (nyquistHz - passHz) / fromRateHz; // cycles per input sample
  const cutoff = (passHz + nyquistHz) / 2 / fromRateHz; // cycles per input sample
  const attenuation = options.stopbandAttenuationDb;
  const beta = attenuation > 50 ? 0.1102 * (attenuation - 8.7) : 0.5842 * (attenuation - 21) ** 0.4 + 0.07886 * (attenuation - 21);
  const length = Math.ceil((attenuation - 7.95) / (14.36 * transition)) + 1; // Kaiser's estimate
  const halfTaps = Math.ceil(length / 2);
  // Rows are padded with zeros to a multiple of 8 taps for the SIMD kernel (2 × f32x4 per step).
  const taps = Math.ceil((2 * halfTaps) / 8) * 8;
  const norm = 1 / besselI0(beta);
  const table = new Float32Array((phases + 1) * taps);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    for (let k = 0; k < taps; k++) {
      const tau = frac - (k - halfTaps + 1);
      const x = tau / halfTaps;
      if (Math.abs(x) >= 1) continue;
      const arg = 2 * cutoff * tau;
      const sinc = arg === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
      table[p * taps + k] = 2 * cutoff * sinc * besselI0(beta * Math.sqrt(1 - x * x)) * norm;
    }
  }
  const filter = { taps, halfTaps, phases, table };
  if (filterCache.size > 32) filterCache.clear();
  filterCache.set(key, filter);
  return filter;
}

function checkRate(name: string, rateHz: number): void {
  if (!Number.isFinite(rateHz) || rateHz <= 0 || rateHz > 10_000_000) {
    throw new AutoVoiceError('usage.invalid_argument', `${name} must be a positive sample rate in Hz (got ${rateHz}).`, { [name]: rateHz });
  }
}

/** Number of output samples resample() produces for `lengthSamples` input samples. */
export function resampledLength(lengthSamples: number, fromRateHz: number, toRateHz: number): number {
  return Math.ceil((lengthSamples * toRateHz) / fromRateHz - 1e-9);
}

/**
 * Converts a signal from `fromRateHz` to `toRateHz` with a polyphase Kaiser-windowed sinc filter
 * (>= 100 dB stopband, zero phase: output sample n sits at input time n·from/to). Exact rational
 * ratios use one precomputed phase per output position; others interpolate between 2048 phases.
 */
export function resample(samples: Float32Array, fromRateHz: number, toRateHz: number, options: Partial<ResampleOptions> = {}): Float32Array {
  checkRate('fromRateHz', fromRateHz);
  checkRate('toRateHz', toRateHz);
  if (fromRateHz === toRateHz) return samples.slice();
  const opts: ResampleOptions = { ...defaultResampleOptions, ...options };
  const outLength = resampledLength(samples.length, fromRateHz, toRateHz);
  const integral = Number.isInteger(fromRateHz) && Number.isInteger(toRateHz);
  const divisor = integral ? gcd(fromRateHz, toRateHz) : 1;
  const up = toRateHz / divisor; // L
  const down = fromRateHz / divisor; // M
  const probe = designFilter(fromRateHz, toRateHz, 1, opts);
  const exact = integral && up * probe.taps <= MAX_EXACT_TABLE_COEFFICIENTS;
  const filter = designFilter(fromRateHz, toRateHz, exact ? up : INTERPOLATED_PHASES, opts);

  const kernel = exact && opts.simd ? polyphaseKernel() : undefined;
  if (kernel) return resampleWithKernel(kernel, samples, filter, outLength, up, down);
  return exact ? resampleExactJs(samples, filter, outLength, up, down) : resampleInterpolatedJs(samples, filter, outLength, fromRateHz / toRateHz);
}

/** Exact-ratio polyphase filtering in the SIMD kernel, block by block. */
function resampleWithKernel(kernel: PolyphaseKernel, samples: Float32Array, filter: PolyphaseFilter, outLength: number, up: number, down: number): Float32Array {
  const out = new Float32Array(outLength);
  runPolyphaseBlocks(kernel, samples, filter, outLength, up, down, (first, block) => out.set(block, first));
  return out;
}

/** Exact-ratio polyphase filtering in plain JavaScript (4 accumulators). */
function resampleExactJs(samples: Float32Array, filter: PolyphaseFilter, outLength: number, up: number, down: number): Float32Array {
  const { taps, halfTaps, table } = filter;
  const padded = new Float32Array(samples.length + 2 * taps + 2);
  padded.set(samples, halfTaps);
  const out = new Float32Array(outLength);
  let base = 0;
  let phase = 0;
  const baseStep = Math.floor(down / up);
  const phaseStep = down - baseStep * up;
  for (let n = 0; n < outLength; n++) {
    let r = phase * taps;
    let i = base + 1;
    const end = i + taps;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (; i < end; i += 4, r += 4) {
      a0 += (padded[i] as number) * (table[r] as number);
      a1 += (padded[i + 1] as number) * (table[r + 1] as number);
      a2 += (padded[i + 2] as number) * (table[r + 2] as number);
      a3 += (padded[i + 3] as number) * (table[r + 3] as number);
    }
    out[n] = a0 + a1 + a2 + a3;
    base += baseStep;
    phase += phaseStep;
    if (phase >= up) {
      phase -= up;
      base += 1;
    }
  }
  return out;
}

/** Arbitrary-ratio filtering: linear interpolation between the two nearest of `phases` tabulated phases. */
function resampleInterpolatedJs(samples: Float32Array, filter: PolyphaseFilter, outLength: number, step: number): Float32Array {
  const { taps, halfTaps, table, phases } = filter;
  const padded = new Float32Array(samples.length + 2 * taps + 2);
  padded.set(samples, halfTaps);
  const out = new Float32Array(outLength);
  for (let n = 0; n < outLength; n++) {
    const t = n * step;
    const base = Math.floor(t);
    const position = (t - base) * phases;
    const p = Math.min(phases - 1, Math.floor(position));
    const w = position - p;
    const row0 = p * taps;
    const row1 = row0 + taps;
    const start = base + 1;
    let acc0 = 0;
    let acc1 = 0;
    for (let k = 0; k < taps; k++) {
      const x = padded[start + k] as number;
      acc0 += x * (table[row0 + k] as number);
      acc1 += x * (table[row1 + k] as number);
    }
    out[n] = acc0 + w * (acc1 - acc0);
  }
  return out;
}

/** Resamples every channel of `audio` to `toRateHz` (mix down first when you need mono: it is cheaper). */
export function resampleAudio(audio: RawAudio, toRateHz: number, options: Partial<ResampleOptions> = {}): RawAudio {
  if (audio.sampleRate === toRateHz) return audio;
  return { channels: audio.channels.map((c) => resample(c, audio.sampleRate, toRateHz, options)), sampleRate: toRateHz };
}
