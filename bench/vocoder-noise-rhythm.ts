// Does the high band pulse with the glottal cycle in our renderings as in the recordings?
// WORLD renders a voiced frame's noise per pulse; ours renders it per 5 ms frame, stationary.
// Measure: the high band's envelope (above 3 kHz, or a quarter of the rate; 0.5 ms smoothing),
// its normalised autocorrelation at the frame's period T0 over three periods, averaged over
// voiced frames. Run: node --import tsx bench/vocoder-noise-rhythm.ts
import { BUTTERWORTH4_Q, BiquadCascade, highPassBiquad } from '../src/dsp/biquad.js';
import { analyzeVoice, signalSource, synthesizeVoice } from '../src/dsp/index.js';
import { fmt, row } from './table-format.js';
import { speechMaterials, vocadito } from './vocoder-materials.js';

const ENVELOPE_SMOOTHING_SECONDS = 0.0005;

/** Power envelope of `x` above `floorHz` (4th-order Butterworth high-pass, one-pole smoothing). */
function highBandEnvelope(x: Float32Array, sampleRate: number, floorHz: number): Float64Array {
  const filter = new BiquadCascade(BUTTERWORTH4_Q.map((q) => highPassBiquad(floorHz / sampleRate, q)));
  const a = Math.exp(-1 / (ENVELOPE_SMOOTHING_SECONDS * sampleRate));
  const envelope = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const y = filter.next(x[i] as number);
    s = a * s + (1 - a) * y * y;
    envelope[i] = s;
  }
  return envelope;
}

/** Mean over frames voiced with both neighbours two frames away of the envelope's NCCF at T0. */
function periodicityAtF0(envelope: Float64Array, sampleRate: number, f0Hz: Float32Array): number {
  let sum = 0;
  let count = 0;
  for (let t = 2; t + 2 < f0Hz.length; t++) {
    const hz = f0Hz[t] as number;
    if (!(hz > 0 && (f0Hz[t - 2] as number) > 0 && (f0Hz[t + 2] as number) > 0)) continue;
    const period = Math.round(sampleRate / hz);
    const length = 3 * period;
    const start = Math.round(t * 0.005 * sampleRate) - Math.round(2 * period);
    if (start < 0 || start + length + period >= envelope.length) continue;
    let meanA = 0;
    let meanB = 0;
    for (let i = 0; i < length; i++) {
      meanA += envelope[start + i] as number;
      meanB += envelope[start + i + period] as number;
    }
    meanA /= length;
    meanB /= length;
    let r = 0;
    let ea = 0;
    let eb = 0;
    for (let i = 0; i < length; i++) {
      const a = (envelope[start + i] as number) - meanA;
      const b = (envelope[start + i + period] as number) - meanB;
      r += a * b;
      ea += a * a;
      eb += b * b;
    }
    if (ea > 0 && eb > 0) {
      sum += r / Math.sqrt(ea * eb);
      count++;
    }
  }
  return sum / count;
}

const materials = [...(await speechMaterials())];
const sung = await vocadito();
if (sung !== null) materials.push(sung);
console.log('== High band envelope periodicity at T0 (voiced frames) ==');
const widths = [40, 10, 10, 14, 14];
console.log(row(['material', 'band Hz', 'original', 'fresh noise', 'with source'], widths));
for (const m of materials) {
  const analysis = analyzeVoice(m.signal, m.sampleRate);
  const floorHz = Math.min(3000, m.sampleRate / 4);
  const read = (x: Float32Array): string =>
    fmt(periodicityAtF0(highBandEnvelope(x, m.sampleRate, floorHz), m.sampleRate, analysis.f0Hz), 3);
  const fresh = synthesizeVoice(analysis);
  const withSource = synthesizeVoice(analysis, { source: signalSource(m.signal) });
  console.log(row([m.name, `> ${floorHz}`, read(m.signal), read(fresh), read(withSource)], widths));
}
console.log(
  'fresh noise = resynthesis as voice conversion renders (no source); with source = the round trip. Higher = the band pulses more with the period.',
);
