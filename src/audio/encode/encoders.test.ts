import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeAudio, encodeAudio, type RawAudio } from '../index.js';

/** Deterministic noise-plus-tones test signal (a simple LCG keeps it reproducible). */
function signal(length: number, seed: number, amplitude = 0.6): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, (_, i) => {
    state = (state * 1664525 + 1013904223) >>> 0;
    const noise = (state / 2 ** 32 - 0.5) * 0.05;
    return amplitude * (0.7 * Math.sin(i * 0.031 * seed) + 0.3 * Math.sin(i * 0.2)) + noise;
  });
}

function quantized(x: Float32Array, bits: number): number[] {
  const full = 2 ** (bits - 1);
  return [...x].map((v) => Math.max(-full, Math.min(full - 1, Math.round(v * full))) / full);
}

describe('FLAC encoder (ours) through the libFLAC decoder', () => {
  const cases: [string, RawAudio, 16 | 24][] = [
    ['stereo 16-bit, several blocks and a short last block', { channels: [signal(10000, 3), signal(10000, 5)], sampleRate: 44100 }, 16],
    ['stereo 24-bit, identical channels (side = 0)', { channels: [signal(5000, 7), signal(5000, 7)], sampleRate: 48000 }, 24],
    ['mono 16-bit at an unusual rate', { channels: [signal(3000, 2)], sampleRate: 22051 }, 16],
    ['3 channels, 24-bit', { channels: [signal(4500, 2), signal(4500, 4), signal(4500, 6)], sampleRate: 16000 }, 24],
    ['full-scale and clipped values, 16-bit', { channels: [Float32Array.from([1, -1, 0.99999, -0.99999, 2, -2, 0, 0.5])], sampleRate: 8000 }, 16],
    ['digital silence (constant subframes)', { channels: [new Float32Array(9000), new Float32Array(9000)], sampleRate: 32000 }, 16],
  ];
  for (const [name, audio, bits] of cases) {
    test(`${name}: bit-exact round trip`, async () => {
      const bytes = await encodeAudio(audio, 'flac', { flacBitDepth: bits });
      const { audio: back, info } = await decodeAudio(bytes);
      assert.equal(info.container, 'flac');
      assert.equal(info.bitDepth, bits);
      assert.equal(back.sampleRate, audio.sampleRate);
      assert.equal(back.channels.length, audio.channels.length);
      audio.channels.forEach((c, i) => assert.deepEqual([...back.channels[i]!], quantized(c, bits)));
    });
  }

  test('compresses a smooth signal well below PCM size', async () => {
    const audio = { channels: [Float32Array.from({ length: 48000 }, (_, i) => 0.5 * Math.sin(i * 0.01))], sampleRate: 48000 };
    const bytes = await encodeAudio(audio, 'flac');
    assert.ok(bytes.length < 48000 * 2 * 0.5, `${bytes.length} bytes`);
  });
});

describe('MP3 encoder (LAME) through mpg123', () => {
  test('a stereo tone survives: rate, channels, duration, frequency and level', async () => {
    const rate = 44100;
    const length = rate * 2;
    const left = Float32Array.from({ length }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate));
    const right = Float32Array.from({ length }, (_, i) => 0.25 * Math.sin((2 * Math.PI * 500 * i) / rate));
    const bytes = await encodeAudio({ channels: [left, right], sampleRate: rate }, 'mp3');
    const { audio, info } = await decodeAudio(bytes);
    assert.equal(info.container, 'mp3');
    assert.equal(info.sampleRate, rate);
    assert.equal(info.channels, 2);
    // lamejs writes no gapless tag, so the encoder delay and padding (< 0.1 s) remain.
    assert.ok(info.durationSeconds >= 2 && info.durationSeconds < 2.1, `duration ${info.durationSeconds}`);
    const rms = (x: Float32Array): number => Math.sqrt(x.subarray(rate / 2, rate).reduce((s, v) => s + v * v, 0) / (rate / 2));
    assert.ok(Math.abs(rms(audio.channels[0]!) / (0.5 / Math.SQRT2) - 1) < 0.02);
    assert.ok(Math.abs(rms(audio.channels[1]!) / (0.25 / Math.SQRT2) - 1) < 0.02);
  });

  test('a rate MP3 cannot carry is resampled to the next one up; > 2 channels mix to stereo', async () => {
    const x = Float32Array.from({ length: 20000 }, (_, i) => 0.3 * Math.sin(i * 0.05));
    const { info } = await decodeAudio(await encodeAudio({ channels: [x, x, x], sampleRate: 20000 }, 'mp3'));
    assert.equal(info.sampleRate, 22050);
    assert.equal(info.channels, 2);
  });

  test('rejects a bit rate LAME does not offer', async () => {
    await assert.rejects(encodeAudio({ channels: [new Float32Array(10)], sampleRate: 44100 }, 'mp3', { mp3BitrateKbps: 100 }), {
      code: 'usage.invalid_argument',
    });
  });
});

describe('encodeAudio validation', () => {
  test('unknown format, NaN samples, ragged channels and bad rates are typed errors', async () => {
    const ok = { channels: [new Float32Array(4)], sampleRate: 8000 };
    await assert.rejects(encodeAudio(ok, 'ogg' as never), { code: 'audio.unsupported_encoding' });
    await assert.rejects(encodeAudio({ channels: [Float32Array.from([0, Number.NaN])], sampleRate: 8000 }, 'wav'), { code: 'audio.invalid_samples' });
    await assert.rejects(encodeAudio({ channels: [new Float32Array(4), new Float32Array(3)], sampleRate: 8000 }, 'wav'), { code: 'usage.invalid_argument' });
    await assert.rejects(encodeAudio({ channels: [], sampleRate: 8000 }, 'wav'), { code: 'usage.invalid_argument' });
    await assert.rejects(encodeAudio({ channels: [new Float32Array(4)], sampleRate: 0 }, 'wav'), { code: 'usage.invalid_argument' });
  });
});
