import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { measureIntegratedLoudness, monoAudio, type RawAudio } from '../audio/index.js';
import { analyzeVoice } from '../dsp/analysis.js';
import { estimateF0 } from '../dsp/pitch/index.js';
import { rawPitchAccuracy } from '../quality/index.js';
import { contours, renderHarmonic, truthTrack } from '../../tests/fixtures/pitch-signals.js';
import { VOWEL_A, sameTimingMcd, syntheticVowel } from '../../tests/fixtures/vocoder-signals.js';
import type { ProgressEvent } from './progress.js';
import { transformVoice } from './transform-voice.pipeline.js';

const FS = 16000;
const mono = (a: RawAudio): Float32Array => a.channels[0] as Float32Array;

/** A sung line with known notes, 16 kHz, 2.4 s. */
const NOTES: [number, number][] = [
  [0, 196],
  [0.6, 220],
  [1.2, 246.94],
  [1.8, 220],
];
const melodyContour = contours.notes(NOTES);
const MELODY_SECONDS = 2.4;
const melody = monoAudio(renderHarmonic(melodyContour, MELODY_SECONDS, FS), FS);

/** Raw pitch accuracy of `out` against the melody moved by `semitones` and slowed by `stretch`. */
function pitchAccuracy(out: RawAudio, semitones: number, stretch = 1): number {
  const est = estimateF0(mono(out), out.sampleRate, { framePeriodMs: 10 }).f0Hz;
  const intended = truthTrack(
    (t) => melodyContour(t / stretch) * 2 ** (semitones / 12),
    MELODY_SECONDS * stretch,
    10,
  ).subarray(0, est.length);
  // Skip 40 ms around each note change: the vocoder glides, the truth steps.
  const ref = intended.map((f, i) =>
    NOTES.some(([s]) => Math.abs((i * 0.01) / stretch - s) < 0.04) ? 0 : f,
  );
  return rawPitchAccuracy(ref, est);
}

/** Frequency of the strongest envelope peak between 400 and 1500 Hz, averaged over voiced frames. */
function firstFormantHz(audio: RawAudio): number {
  const a = analyzeVoice(mono(audio), audio.sampleRate);
  const binHz = audio.sampleRate / a.fftSize;
  let sum = 0;
  let count = 0;
  for (let t = 0; t < a.f0Hz.length; t++) {
    if ((a.voiced[t] as number) === 0) continue;
    const env = a.spectralEnvelope[t] as Float32Array;
    let best = Math.ceil(400 / binHz);
    for (let k = best; k <= 1500 / binHz; k++) if ((env[k] as number) > (env[best] as number)) best = k;
    sum += best * binHz;
    count++;
  }
  return sum / count;
}

describe('transformVoice', () => {
  test('+5 semitones moves the melody by 5 semitones, keeps length and loudness', async () => {
    const result = await transformVoice(melody, { semitones: 5 });
    assert.equal(mono(result.audio).length, mono(melody).length);
    assert.ok(pitchAccuracy(result.audio, 5) > 0.95, `RPA ${pitchAccuracy(result.audio, 5)}`);
    assert.ok(Math.abs((result.realisedSemitones ?? 0) - 5) < 0.1, `realised ${result.realisedSemitones}`);
    assert.ok(Math.abs(measureIntegratedLoudness(result.audio) - measureIntegratedLoudness(melody)) < 0.5);
    assert.equal(result.sourceTexture, false);
  });

  test('the realised shift is read where the output lies, also two octaves down or up', async () => {
    // 170 Hz down 24 st is 42.5 Hz, under the tracker's default 50 Hz floor: it read a harmonic
    // (+30.5 st reported for -24). Up 24 st from 400 Hz is 1.6 kHz, over the default 1.2 kHz ceiling.
    for (const [hz, semitones] of [[170, -24], [400, 24]] as const) {
      const tone = monoAudio(renderHarmonic(contours.constant(hz), 1, FS), FS);
      const result = await transformVoice(tone, { semitones });
      assert.ok(
        result.realisedSemitones !== null && Math.abs(result.realisedSemitones - semitones) < 0.5,
        `${hz} Hz ${semitones} st: realised ${result.realisedSemitones}`,
      );
    }
  });

  test('a 1.5× stretch keeps the notes and lasts 1.5 times as long', async () => {
    const result = await transformVoice(melody, { stretch: 1.5 });
    assert.equal(mono(result.audio).length, Math.round(1.5 * mono(melody).length));
    assert.ok(pitchAccuracy(result.audio, 0, 1.5) > 0.95, `RPA ${pitchAccuracy(result.audio, 0, 1.5)}`);
    assert.ok(Math.abs(result.realisedSemitones ?? 99) < 0.1);
  });

  test('a formant factor of 1.25 raises the first formant by about a quarter and leaves the pitch', async () => {
    // /a/ has F1 at 730 Hz; 1.25 puts it near 910 Hz.
    const { signal } = syntheticVowel(150, 1.5, FS, VOWEL_A);
    const vowel = monoAudio(signal, FS);
    const result = await transformVoice(vowel, { formantFactor: 1.25 });
    const ratio = firstFormantHz(result.audio) / firstFormantHz(vowel);
    assert.ok(Math.abs(ratio - 1.25) < 0.06, `F1 ratio ${ratio.toFixed(3)}`);
    assert.ok(Math.abs(result.realisedSemitones ?? 99) < 0.1);
    assert.equal(result.sourceTexture, true);
  });

  test('no edit renders the recording back; refine brings it closer and chunking changes nothing audible', async () => {
    const { signal } = syntheticVowel(180, 1.5, FS, VOWEL_A, 40);
    const vowel = monoAudio(signal, FS);
    const plain = await transformVoice(vowel, {});
    const refined = await transformVoice(vowel, {}, { refine: true });
    const chunked = await transformVoice(vowel, {}, { chunkSeconds: 0.4 });
    const mcdPlain = sameTimingMcd(signal, mono(plain.audio), FS);
    const mcdRefined = sameTimingMcd(signal, mono(refined.audio), FS);
    assert.ok(mcdPlain < 1.5, `round trip ${mcdPlain.toFixed(2)} dB`);
    assert.ok(mcdRefined < mcdPlain, `refined ${mcdRefined.toFixed(2)} vs plain ${mcdPlain.toFixed(2)} dB`);
    assert.equal(refined.refined, true);
    // Chunks are at least a second long: 1.5 s makes two, analysed with context, rendered as one.
    assert.equal(chunked.chunks, 2);
    assert.ok(sameTimingMcd(mono(plain.audio), mono(chunked.audio), FS) < 0.05, 'chunked ≈ whole');
    // Refinement needs the recording's timing and pitch: with a pitch shift it is not applied.
    assert.equal((await transformVoice(vowel, { semitones: 2 }, { refine: true })).refined, false);
  });

  test('reports progress up to 1 and stops with operation.cancelled when aborted', async () => {
    const events: ProgressEvent[] = [];
    await transformVoice(melody, { tiltDbPerOctave: 3 }, { onProgress: (e) => events.push(e) });
    assert.equal(events[events.length - 1]?.fraction, 1);
    for (let i = 1; i < events.length; i++)
      assert.ok((events[i] as ProgressEvent).fraction >= (events[i - 1] as ProgressEvent).fraction);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(transformVoice(melody, { breathiness: 2 }, { signal: controller.signal }), {
      code: 'operation.cancelled',
    });
  });

  test('rejects out-of-range edits and unusable audio with typed errors; silence stays silence', async () => {
    for (const edit of [
      { semitones: 30 },
      { formantFactor: 0 },
      { tiltDbPerOctave: Number.NaN },
      { breathiness: -1 },
      { stretch: 10 },
    ]) {
      await assert.rejects(transformVoice(melody, edit), { code: 'usage.invalid_argument' });
    }
    await assert.rejects(transformVoice({ channels: [], sampleRate: FS }, {}), {
      code: 'usage.invalid_argument',
    });
    // A rate too low for the engine is a property of the audio, not a bad argument.
    await assert.rejects(transformVoice(monoAudio(new Float32Array(100), 4000), {}), {
      code: 'audio.unsupported_sample_rate',
    });
    await assert.rejects(transformVoice(melody, {}, { framePeriodMs: 50 }), {
      code: 'usage.invalid_argument',
    });
    await assert.rejects(transformVoice(monoAudio(new Float32Array(0), FS), {}), {
      code: 'dsp.input_too_short',
    });
    // Digital silence and a single sample are edited without fuss: silence (< -120 dBFS) comes back.
    for (const samples of [new Float32Array(FS), new Float32Array(1)]) {
      const { audio } = await transformVoice(monoAudio(samples, FS), { semitones: 3, stretch: 0.5 });
      assert.equal(mono(audio).length, Math.max(1, Math.round(samples.length / 2)));
      assert.ok(
        mono(audio).every((v) => Math.abs(v) < 1e-6),
        'below -120 dBFS',
      );
    }
  });
});
