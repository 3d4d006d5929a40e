import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gaussianNoise, resonanceEnvelope, sameTimingMcd } from '../../../tests/fixtures/vocoder-signals.js';
import { analyzeVoice, type VoiceAnalysis } from '../analysis.js';
import { BUTTERWORTH4_Q, filterInPlace, highPassBiquad } from '../biquad.js';
import { getRealFft, nextPowerOfTwo } from '../fft.js';
import { estimateF0 } from '../pitch/index.js';
import { signalSource } from './source-signal.js';
import { synthesizeVoice } from './synthesize-voice.js';

const FS = 16000;
const FFT_SIZE = 1024;
const BINS = FFT_SIZE / 2 + 1;

/** Power response of two-pole resonances (Hz, bandwidth Hz) over a flat floor, on the analysis grid. */
function resonances(peaks: readonly (readonly [number, number])[], floor = 1e-3): Float32Array {
  return resonanceEnvelope(peaks, FS, BINS, floor);
}

function analysisOf(
  f0: (t: number) => number,
  envelope: (t: number) => Float32Array,
  frames: number,
): VoiceAnalysis {
  const f0Hz = Float32Array.from({ length: frames }, (_, t) => f0(t));
  return {
    sampleRate: FS,
    framePeriodMs: 5,
    fftSize: FFT_SIZE,
    f0Hz,
    voiced: Uint8Array.from(f0Hz, (f) => (f > 0 ? 1 : 0)),
    spectralEnvelope: Array.from({ length: frames }, (_, t) => envelope(t)),
    aperiodicity: Array.from({ length: frames }, () => new Float32Array(BINS)),
    signalLength: Math.round(((frames - 1) * 5 * FS) / 1000),
  };
}

/** Mean power of x[from..to). */
function energy(x: Float32Array, from: number, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] as number) ** 2;
  return s / Math.max(1, to - from);
}

/** Share of the signal's energy below `hz`, dB. */
function energyBelowDb(x: Float32Array, hz: number): number {
  const n = nextPowerOfTwo(x.length);
  const fft = getRealFft(n);
  const frame = new Float64Array(n);
  frame.set(x);
  const power = new Float64Array(fft.binCount);
  fft.powerSpectrum(frame, power);
  let below = 0;
  let total = 0;
  for (let k = 0; k < power.length; k++) {
    total += power[k] as number;
    if ((k * FS) / n < hz) below += power[k] as number;
  }
  return 10 * Math.log10(below / total);
}

/** Percentiles of |cents| between the tracked F0 of `y` and `f0Hz` over interior frames. */
function trackedCentsError(y: Float32Array, f0Hz: number): { median: number; p90: number } {
  const track = estimateF0(y, FS);
  const cents: number[] = [];
  for (let t = 10; t < track.f0Hz.length - 10; t++) {
    const f = track.f0Hz[t] as number;
    if (f > 0) cents.push(Math.abs(1200 * Math.log2(f / f0Hz)));
  }
  cents.sort((a, b) => a - b);
  assert.ok(cents.length > 300, `only ${cents.length} voiced frames`);
  return { median: cents[cents.length >> 1] as number, p90: cents[Math.floor(cents.length * 0.9)] as number };
}

describe('source-filter synthesiser', () => {
  test('pulses leave nothing below F0: no rumble from voicing onsets and F0 glides', () => {
    // Syllable-like voicing (150 ms on, 50 ms off) with F0 gliding 100-180 Hz: the envelope below
    // F0 (as flat as at the fundamental) must not turn into sub-F0 energy when the pulse train
    // starts, stops and changes rate. A periodic sound has none below its fundamental.
    const vowel = resonances([
      [700, 80],
      [1200, 90],
      [2600, 150],
    ]);
    const silent = new Float32Array(BINS).fill(1e-12);
    const voiced = (t: number): boolean => t % 40 < 30;
    const analysis = analysisOf(
      (t) => (voiced(t) ? 140 + 40 * Math.sin((2 * Math.PI * t) / 90) : 0),
      (t) => (voiced(t) ? vowel : silent),
      601,
    );
    const y = synthesizeVoice(analysis);
    const below = energyBelowDb(y, 40);
    assert.ok(below < -45, `energy below 40 Hz: ${below.toFixed(1)} dB of the total`);
  });

  test('the fundamental follows the F0 contour while a low formant sweeps past it (phase lock)', () => {
    // A resonance sliding between 1.2 and 2.0·F0 turns the minimum-phase response's phase at the
    // low harmonics back and forth; unchecked, that bends the pitch a tracker hears by tens of
    // cents although the pulses are exactly 163 Hz apart. The lock moves pulses to undo it.
    const f0 = 163;
    const frames = 401;
    const analysis = analysisOf(
      () => f0,
      (t) => resonances([[f0 * (1.6 + 0.4 * Math.sin((2 * Math.PI * t) / 40)), 40]]),
      frames,
    );
    const locked = trackedCentsError(synthesizeVoice(analysis), f0);
    const unlocked = trackedCentsError(synthesizeVoice(analysis, { phaseLockMaxShiftMs: 0 }), f0);
    assert.ok(locked.p90 < 25, `locked: 90th percentile ${locked.p90.toFixed(1)} cents`);
    assert.ok(
      locked.p90 < 0.6 * unlocked.p90,
      `locked p90 ${locked.p90.toFixed(1)} vs unlocked ${unlocked.p90.toFixed(1)} cents`,
    );
  });

  test('unvoiced frames keep the source texture when the source is given', () => {
    // A "fricative": noise through a 4 kHz resonance, switched on at 0.3 s with a hard onset.
    const fs = FS;
    const noise = gaussianNoise(fs, 0.05, 11);
    const signal = new Float32Array(fs);
    let y1 = 0;
    let y2 = 0;
    const r = 0.97;
    const c = 2 * r * Math.cos((2 * Math.PI * 4000) / fs);
    for (let i = 0; i < fs; i++) {
      const y = (noise[i] as number) + c * y1 - r * r * y2;
      y2 = y1;
      y1 = y;
      signal[i] = i >= 0.3 * fs ? 0.05 * y : 0;
    }
    const analysis = analyzeVoice(signal, fs, { f0Track: { f0Hz: new Float32Array(201), framePeriodMs: 5 } });
    const textured = synthesizeVoice(analysis, { source: signalSource(signal) });
    const fresh = synthesizeVoice(analysis);
    const from = Math.round(0.35 * fs);
    const correlation = (a: Float32Array, b: Float32Array): number => {
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = from; i < a.length; i++) {
        ab += (a[i] as number) * (b[i] as number);
        aa += (a[i] as number) ** 2;
        bb += (b[i] as number) ** 2;
      }
      return ab / Math.sqrt(aa * bb);
    };
    assert.ok(
      correlation(textured, signal) > 0.7,
      `textured: correlation ${correlation(textured, signal).toFixed(3)}`,
    );
    assert.ok(
      Math.abs(correlation(fresh, signal)) < 0.1,
      `fresh noise: correlation ${correlation(fresh, signal).toFixed(3)}`,
    );
    const levelDb = 10 * Math.log10(energy(textured, from) / energy(signal, from));
    assert.ok(Math.abs(levelDb) < 1, `level change ${levelDb.toFixed(2)} dB`);
    // The onset stays sharp: little of the noise leaks more than 10 ms before it.
    const early = energy(textured, 0, Math.round(0.29 * fs)) / energy(textured, from);
    assert.ok(early < 1e-3, `energy before the onset: ${(10 * Math.log10(early)).toFixed(1)} dB`);
    assert.ok(sameTimingMcd(signal, textured, fs) < sameTimingMcd(signal, fresh, fs) - 1);
  });

  test('voiced frames take their noise texture from the source once its harmonics are removed', () => {
    // A 200 Hz voice with harmonics up to 3 kHz over white noise: above 3 kHz only noise is left
    // (the band compared is above 4.5 kHz).
    const fs = FS;
    const harmonic = new Float32Array(fs);
    for (let i = 0; i < fs; i++) {
      let v = 0;
      for (let h = 1; h * 200 <= 3000; h++) v += Math.cos((2 * Math.PI * 200 * h * i) / fs) / h;
      harmonic[i] = 0.1 * v;
    }
    const noise = gaussianNoise(fs, 0.02, 5);
    const signal = Float32Array.from(harmonic, (v, i) => v + (noise[i] as number));
    const analysis = analyzeVoice(signal, fs, {
      f0Track: { f0Hz: new Float32Array(201).fill(200), framePeriodMs: 5 },
    });
    const highBand = (x: Float32Array): Float32Array => {
      const y = Float32Array.from(x);
      for (const q of BUTTERWORTH4_Q) filterInPlace(y, highPassBiquad(4500 / fs, q));
      return y;
    };
    const reference = highBand(signal);
    const from = Math.round(0.1 * fs);
    const to = Math.round(0.9 * fs);
    const correlation = (a: Float32Array): number => {
      let ab = 0;
      let aa = 0;
      let bb = 0;
      for (let i = from; i < to; i++) {
        ab += (a[i] as number) * (reference[i] as number);
        aa += (a[i] as number) ** 2;
        bb += (reference[i] as number) ** 2;
      }
      return ab / Math.sqrt(aa * bb);
    };
    const textured = highBand(synthesizeVoice(analysis, { source: signalSource(signal) }));
    const fresh = highBand(synthesizeVoice(analysis));
    assert.ok(
      correlation(textured) > 0.45,
      `with source: high-band correlation ${correlation(textured).toFixed(3)}`,
    );
    assert.ok(
      Math.abs(correlation(fresh)) < 0.1,
      `fresh noise: high-band correlation ${correlation(fresh).toFixed(3)}`,
    );
    const levelDb = 10 * Math.log10(energy(textured, from, to) / energy(reference, from, to));
    assert.ok(Math.abs(levelDb) < 1.5, `high-band level change ${levelDb.toFixed(2)} dB`);
  });

  test('rejects phase-lock options out of range with dsp.invalid_option', () => {
    const analysis = analysisOf(
      () => 120,
      () => resonances([[500, 80]]),
      11,
    );
    assert.throws(() => synthesizeVoice(analysis, { phaseLockMaxShiftMs: 11 }), {
      code: 'dsp.invalid_option',
    });
    assert.throws(() => synthesizeVoice(analysis, { phaseLockMaxShiftMs: -1 }), {
      code: 'dsp.invalid_option',
    });
    assert.throws(() => synthesizeVoice(analysis, { phaseLockReleaseMs: 0 }), { code: 'dsp.invalid_option' });
  });
});

describe('source phase anchor', () => {
  // A "recording": a 110 Hz vowel. Two F0 tracks of it differ by a two-frame voicing gap in the
  // middle, as a stream's and a batch run's can; resynthesised with the recording as source, both
  // start in step with it and the pulses after the gap are the same.
  const recording = synthesizeVoice(
    analysisOf(
      () => 110,
      () =>
        resonances([
          [600, 90],
          [1400, 120],
          [2600, 200],
        ]),
      201,
    ),
  );
  const analysis = analyzeVoice(recording, FS);
  const gapped: VoiceAnalysis = {
    ...analysis,
    f0Hz: analysis.f0Hz.map((f, t) => (t === 100 || t === 101 ? 0 : f)),
    voiced: analysis.voiced.map((v, t) => (t === 100 || t === 101 ? 0 : v)),
  };
  const correlationAfter = (
    a: Float32Array,
    b: Float32Array,
    fromSeconds: number,
    toSeconds: number,
  ): number => {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = Math.round(fromSeconds * FS); i < Math.round(toSeconds * FS); i++) {
      ab += (a[i] as number) * (b[i] as number);
      aa += (a[i] as number) ** 2;
      bb += (b[i] as number) ** 2;
    }
    return ab / Math.sqrt(aa * bb);
  };

  test('with the recording as source, a voicing gap leaves the pulses where they were', () => {
    const source = signalSource(recording);
    const whole = synthesizeVoice(analysis, { source });
    const withGap = synthesizeVoice(gapped, { source });
    const free = synthesizeVoice(analysis);
    const freeGap = synthesizeVoice(gapped);
    const anchored = correlationAfter(whole, withGap, 0.6, 0.95);
    const unanchored = correlationAfter(free, freeGap, 0.6, 0.95);
    assert.ok(anchored > 0.95, `with source: correlation after the gap ${anchored.toFixed(3)}`);
    assert.ok(unanchored < anchored - 0.1, `without: ${unanchored.toFixed(3)} vs ${anchored.toFixed(3)}`);
    // In step with the recording itself, not only with each other.
    const toRecording = correlationAfter(whole, recording, 0.1, 0.45);
    assert.ok(toRecording > 0.9, `correlation with the recording ${toRecording.toFixed(3)}`);
    assert.ok(correlationAfter(free, recording, 0.1, 0.45) < toRecording - 0.1);
  });

  test('rejects sourcePhaseGain out of [0, 1] with dsp.invalid_option', () => {
    assert.throws(() => synthesizeVoice(analysis, { sourcePhaseGain: 1.5 }), { code: 'dsp.invalid_option' });
    assert.throws(() => synthesizeVoice(analysis, { sourcePhaseGain: -0.1 }), { code: 'dsp.invalid_option' });
  });
});
