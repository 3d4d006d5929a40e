import { AutoVoiceError } from '../errors/index.js';
import { besselI0 } from '../dsp/window.js';
import type { RawAudio } from './raw-audio.js';

/** Design of the anti-aliasing / anti-imaging low-pass filter. */
export interface ResampleOptions {
  /** Stopband attenuation the Kaiser window is designed for (dB). */
  stopbandAttenuationDb: number;
  /** Passband edge as a fraction of the lower of the two Nyquist frequencies; the stopband starts at that Nyquist. */
  passbandEdgeFraction: number;
}

/** Defaults: 110 dB stopband (10 dB of margin over the 100 dB promise), flat to 90 % of the lower Nyquist. */
export const defaultResampleOptions: ResampleOptions = { stopbandAttenuationDb: 110, passbandEdgeFraction: 0.9 };

/** Largest polyphase table (coefficients) built for an exact rational ratio; beyond it phases are interpolated. */
const MAX_EXACT_TABLE_COEFFICIENTS = 1 << 21;
/** Phases tabulated per input sample when interpolating (linear interpolation error < -110 dB). */
const INTERPOLATED_PHASES = 2048;

/** A polyphase windowed-sinc filter: `phases` rows of `taps` coefficients. */
interface PolyphaseFilter {
  readonly taps: number;
  readonly halfTaps: number;
  readonly phases: number;
  readonly table: Float32Array;
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
  const taps = 2 * halfTaps;
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

  // Zero-pad so the inner loop needs no bounds checks.
  const { taps, halfTaps, table } = filter;
  const padded = new Float32Array(samples.length + 2 * taps + 2);
  padded.set(samples, halfTaps);
  const out = new Float32Array(outLength);
  if (exact) {
    let base = 0;
    let phase = 0;
    const baseStep = Math.floor(down / up);
    const phaseStep = down - baseStep * up;
    for (let n = 0; n < outLength; n++) {
      const row = phase * taps;
      const start = base + 1;
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += (padded[start + k] as number) * (table[row + k] as number);
      out[n] = acc;
      base += baseStep;
      phase += phaseStep;
      if (phase >= up) {
        phase -= up;
        base += 1;
      }
    }
  } else {
    const step = fromRateHz / toRateHz;
    const phases = filter.phases;
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
        const x = (padded[start + k] as number);
        acc0 += x * (table[row0 + k] as number);
        acc1 += x * (table[row1 + k] as number);
      }
      out[n] = acc0 + w * (acc1 - acc0);
    }
  }
  return out;
}

/** Resamples every channel of `audio` to `toRateHz` (mix down first when you need mono: it is cheaper). */
export function resampleAudio(audio: RawAudio, toRateHz: number, options: Partial<ResampleOptions> = {}): RawAudio {
  if (audio.sampleRate === toRateHz) return audio;
  return { channels: audio.channels.map((c) => resample(c, audio.sampleRate, toRateHz, options)), sampleRate: toRateHz };
}
