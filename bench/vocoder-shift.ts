// The vocoder bench's +4 semitone table (part of bench/dsp-vocoder.bench.ts): realised cents and
// formant stability, beside Rubber Band R3 with formants preserved.
import {
  analyzeVoice,
  estimateF0,
  shiftPitch,
  signalSource,
  synthesizeVoice,
  type F0Track,
  type VoiceAnalysis,
} from '../src/dsp/index.js';
import { rubberbandShift } from './rubberband.js';
import { fmt, row } from './table-format.js';
import type { Material } from './vocoder-materials.js';

/** Median of cents(est_b / est_a) over frames voiced in both tracks. */
function medianCents(a: F0Track, b: F0Track): number {
  const cents: number[] = [];
  const n = Math.min(a.f0Hz.length, b.f0Hz.length);
  for (let i = 0; i < n; i++) {
    const x = a.f0Hz[i] as number;
    const y = b.f0Hz[i] as number;
    if (x > 0 && y > 0) cents.push(1200 * Math.log2(y / x));
  }
  cents.sort((p, q) => p - q);
  return cents.length > 0 ? (cents[cents.length >> 1] as number) : Number.NaN;
}

/** Mean |log-spectral difference| (dB) of two analyses' envelopes over 300-5000 Hz, voiced frames of `a`. */
function envelopeDistanceDb(a: VoiceAnalysis, b: VoiceAnalysis): number {
  const frames = Math.min(a.f0Hz.length, b.f0Hz.length);
  const lo = Math.ceil((300 * a.fftSize) / a.sampleRate);
  const hi = Math.floor((5000 * a.fftSize) / a.sampleRate);
  let sum = 0;
  let count = 0;
  for (let t = 0; t < frames; t++) {
    if ((a.voiced[t] as number) === 0 || (b.voiced[t] as number) === 0) continue;
    const ea = a.spectralEnvelope[t] as Float32Array;
    const eb = b.spectralEnvelope[t] as Float32Array;
    // Level-normalised: compare shapes (a pitch shift may change the overall level a little).
    let meanDiff = 0;
    for (let k = lo; k <= hi; k++) meanDiff += 10 * Math.log10((eb[k] as number) / (ea[k] as number));
    meanDiff /= hi - lo + 1;
    for (let k = lo; k <= hi; k++)
      sum += Math.abs(10 * Math.log10((eb[k] as number) / (ea[k] as number)) - meanDiff);
    count += hi - lo + 1;
  }
  return count > 0 ? sum / count : Number.NaN;
}

export async function shiftTable(materials: Material[]): Promise<void> {
  console.log('\n== +4 semitone shift (formants kept): realised cents and formant stability ==');
  const widths = [40, 11, 11, 13, 13, 13];
  console.log(
    row(['material', 'ours cents', 'RB3 cents', 'ours env dB', 'RB3 env dB', 'resyn env dB'], widths),
  );
  for (const m of materials) {
    const track = estimateF0(m.signal, m.sampleRate);
    const analysis = analyzeVoice(m.signal, m.sampleRate, { f0Track: track });
    // No source texture after a pitch change (partly periodic "unvoiced" frames would keep the old pitch).
    const shifted = synthesizeVoice(shiftPitch(analysis, 4));
    const shiftedTrack = estimateF0(shifted, m.sampleRate);
    const envOf = (x: Float32Array, t: F0Track): VoiceAnalysis =>
      analyzeVoice(x, m.sampleRate, { f0Track: t });
    const ours = envelopeDistanceDb(analysis, envOf(shifted, shiftedTrack));
    const resyn = synthesizeVoice(analysis, { source: signalSource(m.signal) });
    const resynDist = envelopeDistanceDb(analysis, envOf(resyn, estimateF0(resyn, m.sampleRate)));
    const rb = await rubberbandShift(m.signal, m.sampleRate, 4, true);
    let rbCents = Number.NaN;
    let rbEnv = Number.NaN;
    if (rb !== null) {
      const rbTrack = estimateF0(rb.out.subarray(0, m.signal.length), m.sampleRate);
      rbCents = medianCents(track, rbTrack);
      rbEnv = envelopeDistanceDb(analysis, envOf(rb.out.subarray(0, m.signal.length), rbTrack));
    }
    console.log(
      row(
        [
          m.name,
          fmt(medianCents(track, shiftedTrack), 1),
          fmt(rbCents, 1),
          fmt(ours, 2),
          fmt(rbEnv, 2),
          fmt(resynDist, 2),
        ],
        widths,
      ),
    );
  }
  console.log(
    'bars: 400 +/- 5 cents; env dB = mean |log-spectral difference| of re-analysed envelopes vs the original (300-5000 Hz, level-normalised); "resyn" = same measure without a shift (floor of the measure)',
  );
}
