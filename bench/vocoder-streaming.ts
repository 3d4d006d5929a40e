// The vocoder bench's streaming table (part of bench/dsp-vocoder.bench.ts): the streaming vocoder
// against batch resynthesis, and with a +4 st hook against batch shiftPitch.
import {
  analyzeVoice,
  createStreamingVocoder,
  shiftPitch,
  signalSource,
  synthesizeVoice,
} from '../src/dsp/index.js';
import { rawPitchAccuracy } from '../src/quality/pitch-accuracy.js';
import { sameTimingMcd } from '../tests/fixtures/vocoder-signals.js';
import { fmt, row } from './table-format.js';
import type { Material } from './vocoder-materials.js';

/** The streaming table's look-ahead option (VOCODER_BENCH_LOOKAHEAD_MS, else the default). */
function streamLookAhead(): { lookAheadMs?: number } {
  const ms = process.env.VOCODER_BENCH_LOOKAHEAD_MS;
  return ms === undefined ? {} : { lookAheadMs: Number(ms) };
}

/**
 * Streams `m` through the vocoder in chunks. Without `semitones`: resynthesis with the input as
 * source, as batch resynthesis, recording each frame's F0; with it, a hook that shifts F0 (no
 * source, as realtime conversion renders).
 */
function streamOf(
  m: Material,
  chunkSamples: number,
  semitones?: number,
): { out: Float32Array; f0Hz: Float32Array } {
  const f0Hz = new Float32Array(Math.floor(m.signal.length / (m.sampleRate * 0.005)) + 2);
  const v = createStreamingVocoder(m.sampleRate, {
    ...streamLookAhead(),
    inputAsSource: semitones === undefined,
    transform: (frame) => {
      f0Hz[frame.index] = frame.f0Hz;
      if (semitones !== undefined) frame.f0Hz *= 2 ** (semitones / 12);
    },
  });
  const out = new Float32Array(m.signal.length);
  let o = 0;
  for (let i = 0; i < m.signal.length; i += chunkSamples) {
    const part = v.push(m.signal.subarray(i, i + chunkSamples));
    out.set(part, o);
    o += part.length;
  }
  out.set(v.flush(), o);
  return { out, f0Hz };
}

export function streamingTable(materials: Material[]): void {
  console.log('\n== Streaming vs batch resynthesis (same material, 10 ms chunks) ==');
  const widths = [40, 16, 16, 12, 14, 14, 14];
  const header = [
    'material',
    'MCD stream/batch',
    'MCD stream/orig',
    'latency ms',
    'F0 RPA vs bat',
    'voicing agree',
    'MCD +4 st',
  ];
  console.log(row(header, widths));
  for (const m of materials) {
    const chunk = Math.round(0.01 * m.sampleRate);
    const analysis = analyzeVoice(m.signal, m.sampleRate);
    const batch = synthesizeVoice(analysis, { source: signalSource(m.signal) });
    const stream = streamOf(m, chunk);
    const shifted = sameTimingMcd(
      synthesizeVoice(shiftPitch(analysis, 4)),
      streamOf(m, chunk, 4).out,
      m.sampleRate,
    );
    const latency =
      (createStreamingVocoder(m.sampleRate, streamLookAhead()).latencySamples / m.sampleRate) * 1000;
    const frames = analysis.f0Hz.length;
    let agree = 0;
    for (let t = 0; t < frames; t++)
      if ((analysis.f0Hz[t] as number) > 0 === (stream.f0Hz[t] as number) > 0) agree++;
    console.log(
      row(
        [
          m.name,
          fmt(sameTimingMcd(batch, stream.out, m.sampleRate), 3),
          fmt(sameTimingMcd(m.signal, stream.out, m.sampleRate), 2),
          fmt(latency, 1),
          fmt(rawPitchAccuracy(analysis.f0Hz, stream.f0Hz.subarray(0, frames)), 3),
          fmt(agree / frames, 3),
          fmt(shifted, 3),
        ],
        widths,
      ),
    );
  }
  console.log(
    `bars: MCD stream vs batch <= 0.5 dB; algorithmic latency <= 50 ms. Look-ahead ${streamLookAhead().lookAheadMs ?? 'default (35)'} ms. F0 columns: the stream's F0 (incremental tracker) against batch analysis, RPA over batch-voiced frames. MCD +4 st: a stream hook shifting F0 +4 st (no source, as realtime conversion) against batch shiftPitch(+4) + synthesis`,
  );
}
