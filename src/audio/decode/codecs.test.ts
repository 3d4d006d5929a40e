import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adtsAac, m4aAac, oggFlac, oggOpus, oggVorbis } from '../../../tests/fixtures/encoded-samples.js';
import { decodeAudio } from '../index.js';

/** Frequency from the count of rising zero crossings in the middle of the signal (Hz). */
function zeroCrossingHz(x: Float32Array, sampleRate: number): number {
  const from = Math.floor(x.length * 0.2);
  const to = Math.floor(x.length * 0.8);
  let crossings = 0;
  for (let i = from + 1; i < to; i++) if (x[i - 1]! < 0 && x[i]! >= 0) crossings++;
  return (crossings * sampleRate) / (to - from);
}

function peak(x: Float32Array): number {
  return x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

describe('lossy and Ogg codecs (FFmpeg-made fixtures, 0.5 s of 440 Hz)', () => {
  for (const [name, bytes, container, codec, rate, amplitude] of [
    ['Ogg Vorbis', oggVorbis, 'ogg', 'vorbis', 16000, 1 / 16],
    ['Ogg Opus', oggOpus, 'ogg', 'opus', 48000, 1 / 8],
    ['Ogg FLAC', oggFlac, 'ogg', 'flac', 16000, 1 / 8],
    ['M4A AAC', m4aAac, 'm4a', 'aac', 16000, 1 / 8],
    // FAAD2 assumes implicit SBR in low-rate ADTS streams (no container says otherwise) and
    // outputs twice the core rate; the tone itself is unchanged.
    ['ADTS AAC', adtsAac, 'aac', 'aac', 32000, 1 / 8],
  ] as const) {
    test(`${name} decodes to a 440 Hz tone with the right shape`, async () => {
      const { audio, info } = await decodeAudio(bytes);
      assert.equal(info.container, container);
      assert.equal(info.codec, codec);
      assert.equal(info.sampleRate, rate);
      assert.equal(audio.sampleRate, rate);
      assert.equal(info.channels, 1);
      assert.ok(info.durationSeconds > 0.45 && info.durationSeconds < 0.65, `duration ${info.durationSeconds}`);
      const x = audio.channels[0]!;
      assert.ok(Math.abs(zeroCrossingHz(x, rate) - 440) < 10, `frequency ${zeroCrossingHz(x, rate)}`);
      assert.ok(Math.abs(peak(x) - amplitude) < amplitude * 0.2, `peak ${peak(x)}`);
    });
  }
});
