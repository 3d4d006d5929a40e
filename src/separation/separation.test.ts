import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSongMixture } from '../../tests/fixtures/song-mixture.js';
import { writeOnnxModel } from '../../tests/fixtures/onnx-builder.js';
import { scaleInvariantSdr } from '../quality/si-sdr.js';
import { rawPitchAccuracy } from '../quality/pitch-accuracy.js';
import { isAutoVoiceError } from '../errors/index.js';
import type { RawAudio } from '../audio/raw-audio.js';
import { separateVocals } from './separate-vocals.js';
import { planSegments, overlapAddSegment } from './segmenting.js';

const mid = (a: RawAudio): Float32Array =>
  a.channels.length === 1
    ? (a.channels[0] as Float32Array)
    : (a.channels[0] as Float32Array).map(
        (v, i) => 0.5 * (v + ((a.channels[1] as Float32Array)[i] as number)),
      );

function maxStemSumError(mix: RawAudio, vocals: RawAudio, accompaniment: RawAudio): number {
  let err = 0;
  mix.channels.forEach((m, c) => {
    for (let n = 0; n < m.length; n++)
      err = Math.max(
        err,
        Math.abs(
          (m[n] as number) -
            ((vocals.channels[c] as Float32Array)[n] as number) -
            ((accompaniment.channels[c] as Float32Array)[n] as number),
        ),
      );
  });
  return err;
}

function melodyOnTruthGrid(
  f0: Float32Array,
  hopSeconds: number,
  frames: number,
  framePeriodMs: number,
): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++)
    out[i] = f0[Math.min(f0.length - 1, Math.round((i * framePeriodMs) / 1000 / hopSeconds))] as number;
  return out;
}

describe('DSP separator', () => {
  for (const stereo of [true, false]) {
    test(`improves vocal SI-SDR on a ${stereo ? 'stereo' : 'mono'} synthetic song, tracks the melody (not the bass), stems sum to the mix`, async () => {
      const song = makeSongMixture({
        sampleRate: 16000,
        durationSeconds: 6,
        stereo,
        seed: 3,
        vocalToAccompanimentDb: 0,
      });
      const stems = await separateVocals(song.mixture, { engine: 'dsp' });
      const ref = mid(song.vocals);
      const improvement =
        scaleInvariantSdr(ref, mid(stems.vocals)) - scaleInvariantSdr(ref, mid(song.mixture));
      assert.ok(improvement > (stereo ? 6 : 3), `SI-SDRi ${improvement.toFixed(2)} dB`);
      assert.ok(maxStemSumError(song.mixture, stems.vocals, stems.accompaniment) < 1e-6);
      assert.equal(stems.vocals.channels.length, song.mixture.channels.length);
      const melody = stems.melody;
      assert.ok(melody !== undefined);
      const est = melodyOnTruthGrid(
        melody.pitchGuessHz,
        melody.hopSeconds,
        song.vocalF0Hz.length,
        song.framePeriodMs,
      );
      const rpa = rawPitchAccuracy(song.vocalF0Hz, est);
      const onBass = rawPitchAccuracy(song.bassF0Hz, est);
      assert.ok(rpa > 0.85, `melody RPA ${rpa.toFixed(3)}`);
      assert.ok(onBass < 0.1, `tracker followed the bass on ${onBass.toFixed(3)} of bass frames`);
    });
  }

  test('segmented processing (short segments) still sums to the mixture and separates', async () => {
    const song = makeSongMixture({ sampleRate: 16000, durationSeconds: 5, stereo: true, seed: 1 });
    const fractions: number[] = [];
    const stems = await separateVocals(song.mixture, {
      engineOptions: { segmentSeconds: 2, segmentOverlapSeconds: 0.5 },
      onProgress: (e) => fractions.push(e.fraction),
    });
    assert.ok(maxStemSumError(song.mixture, stems.vocals, stems.accompaniment) < 1e-6);
    const ref = mid(song.vocals);
    assert.ok(scaleInvariantSdr(ref, mid(stems.vocals)) - scaleInvariantSdr(ref, mid(song.mixture)) > 4);
    assert.ok(fractions.length >= 3 && fractions.at(-1) === 1);
  });

  test('crossfaded segments weigh to exactly one everywhere', () => {
    const length = 1000;
    const out = new Float32Array(length);
    for (const s of planSegments(length, 300, 60))
      overlapAddSegment(out, new Float32Array(s.end - s.start).fill(1), s);
    for (const v of out) assert.ok(Math.abs(v - 1) < 1e-6);
  });

  test('cancellation and bad input fail with stable codes', async () => {
    const song = makeSongMixture({ sampleRate: 16000, durationSeconds: 1 });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(separateVocals(song.mixture, { signal: controller.signal }), (e) =>
      isAutoVoiceError(e, 'operation.cancelled'),
    );
    await assert.rejects(separateVocals(song.mixture, { engine: 'nope' }), (e) =>
      isAutoVoiceError(e, 'separation.unknown_engine'),
    );
    await assert.rejects(separateVocals({ channels: [new Float32Array(0)], sampleRate: 16000 }), (e) =>
      isAutoVoiceError(e, 'audio.no_samples'),
    );
    await assert.rejects(separateVocals(song.mixture, { engine: 'onnx' }), (e) =>
      isAutoVoiceError(e, 'usage.missing_argument'),
    );
    // A rate too low to separate is the input's fault (exit 3), not the caller's options.
    await assert.rejects(separateVocals({ channels: [new Float32Array(4000)], sampleRate: 4000 }), (e) =>
      isAutoVoiceError(e, 'audio.unsupported_sample_rate'),
    );
  });
});

describe('ONNX (MDX-Net layout) separator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'av-mdx-'));
  // [1, 4, bins, frames] in → same out; identity and a 0.25 scale.
  const bins = 64;
  const frames = 16;
  const shape = [1, 4, bins, frames];
  const identity = writeOnnxModel(dir, 'identity.onnx', {
    inputs: [{ name: 'input', type: 'float32', shape }],
    outputs: [{ name: 'output', type: 'float32', shape }],
    nodes: [{ op: 'Identity', inputs: ['input'], outputs: ['output'] }],
  });
  const quarter = writeOnnxModel(dir, 'quarter.onnx', {
    inputs: [{ name: 'input', type: 'float32', shape }],
    outputs: [{ name: 'output', type: 'float32', shape }],
    initializers: [{ name: 'k', type: 'float32', dims: [], data: [0.25] }],
    nodes: [{ op: 'Mul', inputs: ['input', 'k'], outputs: ['output'] }],
  });

  // Band-limited test signals, faded in and out, so nothing lands in the Nyquist bin that an
  // MDX-Net model does not see (64 model bins of the 65 an FFT of 128 gives).
  const sampleRate = 8000;
  const length = 3000;
  const fade = (n: number) => Math.min(1, n / 400, (length - 1 - n) / 400) ** 2;
  const left = Float32Array.from(
    { length },
    (_, n) =>
      fade(n) *
      (0.5 * Math.sin((2 * Math.PI * 440 * n) / sampleRate) +
        0.2 * Math.sin((2 * Math.PI * 1234 * n) / sampleRate)),
  );
  const right = Float32Array.from(
    { length },
    (_, n) => fade(n) * 0.4 * Math.sin((2 * Math.PI * 330 * n) / sampleRate + 1),
  );
  const engineOptions = { fftSize: 128, hopSamples: 32 };

  test('identity model: vocals reconstruct the input, accompaniment is silence', async () => {
    const fractions: number[] = [];
    const stems = await separateVocals(
      { channels: [left, right], sampleRate },
      { engine: 'onnx', modelPath: identity, engineOptions, onProgress: (e) => fractions.push(e.fraction) },
    );
    for (let c = 0; c < 2; c++) {
      const input = c === 0 ? left : right;
      const v = stems.vocals.channels[c] as Float32Array;
      let err = 0;
      for (let n = 0; n < length; n++) err = Math.max(err, Math.abs((v[n] as number) - (input[n] as number)));
      assert.ok(err < 1e-4, `channel ${c}: max error ${err}`);
    }
    assert.ok(fractions.length > 3 && fractions.at(-1) === 1, 'several chunks ran');
  });

  test('scale model: stems are 1/4 and 3/4 of the mono input, and sum to it', async () => {
    const stems = await separateVocals(
      { channels: [left], sampleRate },
      { engine: 'onnx', modelPath: quarter, engineOptions },
    );
    const v = stems.vocals.channels[0] as Float32Array;
    const a = stems.accompaniment.channels[0] as Float32Array;
    for (let n = 0; n < length; n++) {
      assert.ok(Math.abs((v[n] as number) - 0.25 * (left[n] as number)) < 1e-4);
      assert.ok(Math.abs((a[n] as number) - 0.75 * (left[n] as number)) < 1e-4);
    }
  });

  test('a model with the wrong input layout is rejected with model.invalid', async () => {
    const bad = writeOnnxModel(dir, 'bad.onnx', {
      inputs: [{ name: 'x', type: 'float32', shape: [1, 2, 8] }],
      outputs: [{ name: 'y', type: 'float32', shape: [1, 2, 8] }],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    });
    await assert.rejects(
      separateVocals({ channels: [left], sampleRate }, { engine: 'onnx', modelPath: bad }),
      (e) => isAutoVoiceError(e, 'model.invalid'),
    );
    await assert.rejects(
      separateVocals(
        { channels: [left], sampleRate },
        { engine: 'onnx', modelPath: join(dir, 'missing.onnx') },
      ),
      (e) => isAutoVoiceError(e, 'model.not_found'),
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
