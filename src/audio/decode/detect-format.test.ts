import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { adtsAac, m4aAac, oggOpus, oggVorbis } from '../../../tests/fixtures/encoded-samples.js';
import { wavBytes } from '../../../tests/fixtures/wav-bytes.js';
import { encodeAudio } from '../index.js';
import { detectAudioFormat } from './detect-format.js';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe('detectAudioFormat (content, not names)', () => {
  test('recognises every container by its first bytes', async () => {
    const tone = { channels: [Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin(i * 0.1))], sampleRate: 16000 };
    assert.equal(detectAudioFormat(wavBytes()).container, 'wav');
    assert.equal(detectAudioFormat(await encodeAudio(tone, 'flac')).container, 'flac');
    assert.equal(detectAudioFormat(await encodeAudio(tone, 'mp3')).container, 'mp3');
    assert.deepEqual([detectAudioFormat(oggVorbis).container, detectAudioFormat(oggVorbis).codec], ['ogg', 'vorbis']);
    assert.equal(detectAudioFormat(oggOpus).codec, 'opus');
    assert.equal(detectAudioFormat(m4aAac).container, 'm4a');
    assert.equal(detectAudioFormat(adtsAac).container, 'aac');
  });

  test('looks past an ID3v2 tag', async () => {
    const tone = { channels: [Float32Array.from({ length: 4000 }, (_, i) => 0.3 * Math.sin(i * 0.1))], sampleRate: 16000 };
    const tag = [...ascii('ID3'), 4, 0, 0, 0, 0, 0, 20, ...new Array<number>(20).fill(0)];
    const flacWithTag = Uint8Array.from([...tag, ...(await encodeAudio(tone, 'flac'))]);
    assert.deepEqual([detectAudioFormat(flacWithTag).container, detectAudioFormat(flacWithTag).offset], ['flac', 30]);
    const mp3WithTag = Uint8Array.from([...tag, ...(await encodeAudio(tone, 'mp3'))]);
    assert.deepEqual([detectAudioFormat(mp3WithTag).container, detectAudioFormat(mp3WithTag).offset], ['mp3', 30]);
  });

  test('rejects look-alikes: another RIFF type, text, a lone 0xFFE sync word, nothing', () => {
    assert.equal(detectAudioFormat(wavBytes({ riffType: 'AVI ' })).container, undefined);
    assert.match(detectAudioFormat(wavBytes({ riffType: 'AVI ' })).description, /AVI/);
    assert.equal(detectAudioFormat(Uint8Array.from(ascii('hello, world, this is text'))).container, undefined);
    // A valid-looking MPEG-1 Layer III header whose next frame is not where it should be.
    const fake = new Uint8Array(2000);
    fake.set([0xff, 0xfb, 0x90, 0x00]);
    assert.equal(detectAudioFormat(fake).container, undefined);
    assert.equal(detectAudioFormat(new Uint8Array(0)).container, undefined);
  });
});
