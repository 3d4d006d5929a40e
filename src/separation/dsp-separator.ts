/**
 * The embedded DSP vocal separator (no model). Per segment of the song:
 *  1. STFT of each channel; the mid spectrum (L+R)/2 carries the mono cues.
 *  2. Stereo: a centre mask from inter-channel similarity (stereo-cues.ts); 1 for mono input.
 *  3. Lead-vocal melody: harmonic-sum salience of the centre-weighted spectrum
 *     (melody-salience.ts), tracked with voicing and a singing-range prior (melody-tracker.ts).
 *  4. A harmonic comb from that melody (harmonic-mask.ts) and a harmonic-vs-percussive mask
 *     (hpss.ts) that keeps drum hits out of the vocal.
 *  5. The cues multiply into a vocal prior; a Wiener-like gain (wiener.ts) turns prior and
 *     mixture power into the final soft mask, applied to every channel, and istft resynthesises
 *     the vocal. Accompaniment = mixture − vocal, so the stems always sum to the input.
 */
import type { RawAudio } from '../audio/raw-audio.js';
import { throwIfAborted } from '../errors/index.js';
import { nextPowerOfTwo } from '../dsp/fft.js';
import { istft, stft, type Spectrogram } from '../dsp/stft.js';
import {
  computeHarmonicMask,
  defaultHarmonicMaskOptions,
  type HarmonicMaskOptions,
} from './harmonic-mask.js';
import { computeHarmonicPercussiveMask, type HpssOptions } from './hpss.js';
import {
  computeMelodySalience,
  suppressStationaryPartials,
  type MelodySalienceOptions,
  type StationarySuppressionOptions,
} from './melody-salience.js';
import { trackMelody, type MelodyTrackerOptions } from './melody-tracker.js';
import { overlapAddSegment, planSegments } from './segmenting.js';
import type { MixtureMelody, SeparatedStems } from './separation-types.js';
import { computeCentreMaskFrame, type CentreMaskOptions } from './stereo-cues.js';
import { computeWienerMask, type WienerMaskOptions } from './wiener.js';

/** Options of the DSP separator. */
export interface DspSeparatorOptions {
  /** Analysis window length, ms (rounded up to a power-of-two FFT size). */
  windowMs: number;
  /** Frames per window (hop = window / overlapFactor). */
  overlapFactor: number;
  /** Segment length for bounded memory, seconds. */
  segmentSeconds: number;
  /** Overlap (crossfade) between segments, seconds. */
  segmentOverlapSeconds: number;
  /** Exponent of the centre mask when weighting the spectrum for melody tracking (0 = off). */
  melodyCentreExponent: number;
  /** Exponent of the harmonic comb in the vocal prior (<1 = gentler comb). */
  combExponent: number;
  /** Exponent of the centre mask in the vocal prior. */
  centreExponent: number;
  /** Exponent of the harmonic/percussive mask in the vocal prior. */
  harmonicExponent: number;
  salience: Partial<MelodySalienceOptions>;
  stationary: Partial<StationarySuppressionOptions>;
  tracker: Partial<MelodyTrackerOptions>;
  harmonicMask: Partial<HarmonicMaskOptions>;
  centreMask: Partial<CentreMaskOptions>;
  hpss: Partial<HpssOptions>;
  wiener: Partial<WienerMaskOptions>;
}

export const defaultDspSeparatorOptions: DspSeparatorOptions = {
  windowMs: 90,
  overlapFactor: 4,
  segmentSeconds: 30,
  segmentOverlapSeconds: 1,
  melodyCentreExponent: 1,
  combExponent: 1,
  centreExponent: 1,
  harmonicExponent: 1,
  salience: {},
  stationary: {},
  tracker: {},
  harmonicMask: {},
  centreMask: {},
  hpss: {},
  wiener: {},
};

/** FFT size used by the DSP separator at `sampleRate` Hz for `windowMs`. */
export function dspFftSize(sampleRate: number, windowMs: number): number {
  return nextPowerOfTwo(Math.round((sampleRate * windowMs) / 1000));
}

interface SegmentResult {
  vocals: Float32Array[];
  melodyF0Hz: Float32Array;
  pitchGuessHz: Float32Array;
}

/** Separates one segment (channels of equal length) — see the file header for the steps. */
function separateSegment(
  channels: readonly Float32Array[],
  sampleRate: number,
  opts: DspSeparatorOptions,
): SegmentResult {
  const fftSize = dspFftSize(sampleRate, opts.windowMs);
  const hopSamples = fftSize / opts.overlapFactor;
  const specs = channels.map((x) => stft(x, { fftSize, hopSamples, window: 'hann' }));
  const first = specs[0] as Spectrogram;
  const frames = first.re.length;
  // Above the highest harmonic the comb can mark, the vocal mask is zero: only the bins below
  // it are analysed (at 44.1 kHz this skips nearly half the spectrum).
  const combOptions = { ...defaultHarmonicMaskOptions, ...opts.harmonicMask };
  const bins = Math.min(first.binCount, Math.ceil((combOptions.maxHarmonicHz * fftSize) / sampleRate) + 8);
  const stereo = specs.length >= 2;

  // Mid magnitude; centre mask (stereo only).
  const midMag: Float32Array[] = [];
  const centre: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    const mag = new Float32Array(bins);
    const l = specs[0] as Spectrogram;
    const lr = l.re[t] as Float32Array;
    const li = l.im[t] as Float32Array;
    if (!stereo) {
      for (let k = 0; k < bins; k++) mag[k] = Math.sqrt((lr[k] as number) ** 2 + (li[k] as number) ** 2);
    } else {
      const r = specs[1] as Spectrogram;
      const rr = r.re[t] as Float32Array;
      const ri = r.im[t] as Float32Array;
      for (let k = 0; k < bins; k++) {
        const re = (lr[k] as number) + (rr[k] as number);
        const im = (li[k] as number) + (ri[k] as number);
        mag[k] = 0.5 * Math.sqrt(re * re + im * im);
      }
      const c = new Float32Array(bins);
      computeCentreMaskFrame(lr, li, rr, ri, c, opts.centreMask);
      centre.push(c);
    }
    midMag.push(mag);
  }

  // Melody from the (centre-weighted) mid spectrum.
  const weighted =
    stereo && opts.melodyCentreExponent > 0
      ? midMag.map((m, t) =>
          m.map((v, k) => v * ((centre[t] as Float32Array)[k] as number) ** opts.melodyCentreExponent),
        )
      : midMag;
  const salience = computeMelodySalience(weighted, sampleRate, fftSize, opts.salience);
  const moving = computeMelodySalience(
    suppressStationaryPartials(weighted, sampleRate, fftSize, opts.stationary),
    sampleRate,
    fftSize,
    opts.salience,
  );
  const melody = trackMelody(salience, opts.tracker, moving);

  // Vocal prior = comb × centre × harmonic-ness; Wiener-like final mask.
  const comb = computeHarmonicMask(melody.f0Hz, sampleRate, fftSize, combOptions).map((row) =>
    row.subarray(0, bins),
  );
  const harmonic = computeHarmonicPercussiveMask(midMag, opts.hpss, comb, 0.02);
  const prior: Float32Array[] = [];
  const power: Float32Array[] = [];
  for (let t = 0; t < frames; t++) {
    const p = new Float32Array(bins);
    const pw = new Float32Array(bins);
    const cb = comb[t] as Float32Array;
    const hm = harmonic[t] as Float32Array;
    const cm = stereo ? (centre[t] as Float32Array) : undefined;
    const mm = midMag[t] as Float32Array;
    for (let k = 0; k < bins; k++) {
      const c = cb[k] as number;
      pw[k] = (mm[k] as number) ** 2;
      if (c <= 0) continue;
      let v = c ** opts.combExponent * (hm[k] as number) ** opts.harmonicExponent;
      if (cm !== undefined) v *= (cm[k] as number) ** opts.centreExponent;
      p[k] = v;
    }
    prior.push(p);
    power.push(pw);
  }
  const mask = computeWienerMask(power, prior, opts.wiener);

  // Mask every channel in place (the spectrograms are not needed afterwards) and resynthesise.
  const vocals = specs.map((spec) => {
    for (let t = 0; t < frames; t++) {
      const m = mask[t] as Float32Array;
      const re = spec.re[t] as Float32Array;
      const im = spec.im[t] as Float32Array;
      for (let k = 0; k < bins; k++) {
        re[k] = (re[k] as number) * (m[k] as number);
        im[k] = (im[k] as number) * (m[k] as number);
      }
      re.fill(0, bins);
      im.fill(0, bins);
    }
    return istft(spec);
  });
  return { vocals, melodyF0Hz: melody.f0Hz, pitchGuessHz: melody.pitchGuessHz };
}

/**
 * Separates `audio` into vocals and accompaniment with the DSP separator, segment by segment.
 * `onFraction` receives progress in [0, 1]; `signal` cancels between segments.
 */
export function separateVocalsDsp(
  audio: RawAudio,
  options: Partial<DspSeparatorOptions> = {},
  onFraction?: (fraction: number) => void,
  signal?: AbortSignal,
): SeparatedStems {
  const opts: DspSeparatorOptions = { ...defaultDspSeparatorOptions, ...options };
  const { sampleRate } = audio;
  const length = audio.channels[0]?.length ?? 0;
  const fftSize = dspFftSize(sampleRate, opts.windowMs);
  const hopSamples = fftSize / opts.overlapFactor;
  // Segment boundaries on the hop grid so melody frames of all segments share one grid.
  const segmentSamples = Math.max(
    4 * fftSize,
    Math.round((opts.segmentSeconds * sampleRate) / hopSamples) * hopSamples,
  );
  const overlapSamples = Math.min(
    segmentSamples / 2,
    Math.round((opts.segmentOverlapSeconds * sampleRate) / hopSamples) * hopSamples,
  );
  const segments = planSegments(length, segmentSamples, overlapSamples);
  const vocals = audio.channels.map(() => new Float32Array(length));
  const melodyF0 = new Float32Array(Math.floor(length / hopSamples) + 1);
  const pitchGuess = new Float32Array(melodyF0.length);
  const useStereo = audio.channels.length >= 2;
  segments.forEach((segment, i) => {
    throwIfAborted(signal);
    const parts = audio.channels.map((c) => c.subarray(segment.start, segment.end));
    // More than two channels: separate the first two as a stereo pair, the rest from their mid.
    const result = separateSegment(useStereo ? parts.slice(0, 2) : parts.slice(0, 1), sampleRate, opts);
    audio.channels.forEach((_, c) => {
      const part =
        c < result.vocals.length ? (result.vocals[c] as Float32Array) : (result.vocals[0] as Float32Array);
      overlapAddSegment(vocals[c] as Float32Array, part, segment);
    });
    const frameOffset = segment.start / hopSamples;
    const skip = i === 0 ? 0 : Math.floor(segment.fadeInSamples / 2 / hopSamples);
    for (let t = skip; t < result.melodyF0Hz.length && frameOffset + t < melodyF0.length; t++) {
      melodyF0[frameOffset + t] = result.melodyF0Hz[t] as number;
      pitchGuess[frameOffset + t] = result.pitchGuessHz[t] as number;
    }
    onFraction?.((i + 1) / segments.length);
  });
  const accompaniment = audio.channels.map((mix, c) => {
    const v = vocals[c] as Float32Array;
    const out = new Float32Array(length);
    for (let n = 0; n < length; n++) out[n] = (mix[n] as number) - (v[n] as number);
    return out;
  });
  const melody: MixtureMelody = {
    f0Hz: melodyF0,
    pitchGuessHz: pitchGuess,
    hopSeconds: hopSamples / sampleRate,
  };
  return {
    vocals: { channels: vocals, sampleRate },
    accompaniment: { channels: accompaniment, sampleRate },
    melody,
  };
}
