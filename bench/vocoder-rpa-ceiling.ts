// How high can the round trip's resynthesis RPA go when only the unvoiced frames are rendered?
// The "ceiling" signal keeps the recording's own samples wherever the tracker calls it voiced
// (5 ms frames, cross-faded linearly between frame centres) and our round trip's rendering
// elsewhere; the tracker then reads it against its reading of the recording. No resynthesis of the
// voiced frames can beat the recording itself there, so a bar above this ceiling asks the tracker
// to decide voicing edges the same way whatever noise surrounds them, not the vocoder to improve.
// Run: node --import tsx bench/vocoder-rpa-ceiling.ts
import { analyzeVoice, estimateF0, signalSource, synthesizeVoice, type F0Track } from '../src/dsp/index.js';
import { rawPitchAccuracy } from '../src/quality/pitch-accuracy.js';
import { fmt, row } from './table-format.js';
import { speechMaterials, vocadito } from './vocoder-materials.js';

/** `recording` where `track` is voiced, `rendering` elsewhere, weights interpolated between frame centres. */
function recordingInVoicedFrames(
  recording: Float32Array,
  rendering: Float32Array,
  track: F0Track,
  sampleRate: number,
): Float32Array {
  const hop = (track.framePeriodMs / 1000) * sampleRate;
  const last = track.voiced.length - 1;
  const out = new Float32Array(recording.length);
  for (let n = 0; n < out.length; n++) {
    const position = n / hop;
    const frame = Math.min(Math.floor(position), last);
    const fraction = Math.min(1, position - frame);
    const weight =
      (track.voiced[frame] ? 1 - fraction : 0) + (track.voiced[Math.min(frame + 1, last)] ? fraction : 0);
    out[n] = weight * (recording[n] as number) + (1 - weight) * (rendering[n] ?? 0);
  }
  return out;
}

const materials = [...(await speechMaterials())];
const sung = await vocadito();
if (sung !== null) materials.push(sung);
console.log('== Resynthesis RPA against its ceiling: the recording itself in every voiced frame ==');
const widths = [36, 12, 12, 14, 14];
console.log(row(['material', 'round trip', 'ceiling', 'MIREX: trip', 'MIREX: ceil.'], widths));
for (const m of materials) {
  const track = estimateF0(m.signal, m.sampleRate);
  const analysis = analyzeVoice(m.signal, m.sampleRate, { f0Track: track });
  const rendering = synthesizeVoice(analysis, { source: signalSource(m.signal) });
  const trip = estimateF0(rendering, m.sampleRate);
  const ceiling = estimateF0(recordingInVoicedFrames(m.signal, rendering, track, m.sampleRate), m.sampleRate);
  console.log(
    row(
      [
        m.name,
        fmt(rawPitchAccuracy(track.f0Hz, trip.f0Hz), 3),
        fmt(rawPitchAccuracy(track.f0Hz, ceiling.f0Hz), 3),
        fmt(rawPitchAccuracy(track.f0Hz, trip.candidateF0Hz), 3),
        fmt(rawPitchAccuracy(track.f0Hz, ceiling.candidateF0Hz), 3),
      ],
      widths,
    ),
  );
}
console.log(
  'RPA = estimateF0 of the original vs of the signal (strict: a frame called unvoiced is a miss; MIREX: voicing ignored,\n' +
    "  the tracker's pitch on frames it calls unvoiced counted). Round-trip bar: RPA >= 0.99",
);
