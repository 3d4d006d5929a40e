import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extensibleFmt, wavBytes } from '../../../tests/fixtures/wav-bytes.js';
import { decodeAudio, encodeAudio } from '../index.js';

function ramp(length: number, scale = 0.9): Float32Array {
  return Float32Array.from({ length }, (_, i) => scale * Math.sin(i * 0.05) * (i % 7 === 0 ? -1 : 1));
}

describe('WAV decoding', () => {
  test('16-bit PCM round-trips within one quantisation step, stereo', async () => {
    const audio = { channels: [ramp(1000), ramp(1000, -0.5)], sampleRate: 44100 };
    const { audio: back, info } = await decodeAudio(await encodeAudio(audio, 'wav'));
    assert.equal(info.container, 'wav');
    assert.equal(info.codec, 'pcm_s16le');
    assert.equal(info.bitDepth, 16);
    assert.equal(info.channels, 2);
    assert.equal(back.sampleRate, 44100);
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < 1000; i++) assert.ok(Math.abs(back.channels[c]![i]! - audio.channels[c]![i]!) <= 0.5 / 32768 + 1e-9);
    }
  });

  test('32-bit float round-trips exactly, including 3+ channels (WAVE_FORMAT_EXTENSIBLE)', async () => {
    const audio = { channels: [ramp(300), ramp(300, 0.1), ramp(300, -1)], sampleRate: 48000 };
    const bytes = await encodeAudio(audio, 'wav-f32');
    assert.equal(new DataView(bytes.buffer).getUint16(20, true), 0xfffe);
    const { audio: back, info } = await decodeAudio(bytes);
    assert.equal(info.codec, 'pcm_f32le');
    assert.deepEqual(back.channels, audio.channels);
  });

  test('8-bit unsigned, 24-bit and 32-bit PCM and 64-bit float decode to the right values', async () => {
    const u8 = await decodeAudio(wavBytes({ bitsPerSample: 8, data: Uint8Array.from([0, 128, 255, 64]) }));
    assert.deepEqual([...u8.audio.channels[0]!], [-1, 0, 127 / 128, -0.5]);
    const s24 = await decodeAudio(wavBytes({ bitsPerSample: 24, data: Uint8Array.from([0, 0, 0x80, 0xff, 0xff, 0x7f, 0, 0, 0x40]) }));
    assert.deepEqual([...s24.audio.channels[0]!], [-1, 8388607 / 8388608, 0.5]);
    const s32 = new Uint8Array(8);
    new DataView(s32.buffer).setInt32(0, -2147483648, true);
    new DataView(s32.buffer).setInt32(4, 1073741824, true);
    assert.deepEqual([...(await decodeAudio(wavBytes({ bitsPerSample: 32, data: s32 }))).audio.channels[0]!], [-1, 0.5]);
    const f64 = new Uint8Array(16);
    new DataView(f64.buffer).setFloat64(0, 0.25, true);
    new DataView(f64.buffer).setFloat64(8, -0.75, true);
    const d64 = await decodeAudio(wavBytes({ formatTag: 3, bitsPerSample: 64, data: f64 }));
    assert.equal(d64.info.codec, 'pcm_f64le');
    assert.deepEqual([...d64.audio.channels[0]!], [0.25, -0.75]);
  });

  test('WAVE_FORMAT_EXTENSIBLE PCM with 20 valid bits in a 24-bit container', async () => {
    const data = Uint8Array.from([0, 0, 0x40, 0, 0, 0xc0]);
    const { audio, info } = await decodeAudio(
      wavBytes({ formatTag: 0xfffe, bitsPerSample: 24, fmtExtension: extensibleFmt(1, 20), data }),
    );
    assert.equal(info.bitDepth, 20);
    assert.deepEqual([...audio.channels[0]!], [0.5, -0.5]);
  });

  test('interleaving of many channels is undone correctly', async () => {
    const channels = 10;
    const data = new Uint8Array(channels * 2 * 3);
    const view = new DataView(data.buffer);
    for (let f = 0; f < 3; f++) for (let c = 0; c < channels; c++) view.setInt16((f * channels + c) * 2, (c + 1) * 1000 + f, true);
    const { audio } = await decodeAudio(wavBytes({ channels, data }));
    assert.equal(audio.channels.length, channels);
    assert.equal(audio.channels[7]![2], (8 * 1000 + 2) / 32768);
  });

  test('RF64 (ds64 chunk, 0xFFFFFFFF sizes) decodes', async () => {
    const samples = Int16Array.from([1000, -2000, 3000, -4000]);
    const body: number[] = [];
    const push32 = (v: number): void => void body.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    const ascii = (s: string): void => void body.push(...[...s].map((c) => c.charCodeAt(0)));
    ascii('RF64');
    push32(0xffffffff);
    ascii('WAVE');
    ascii('ds64');
    push32(28);
    [0, 0].forEach(push32); // RIFF size (64-bit, unused here)
    [samples.byteLength, 0].forEach(push32); // data size (64-bit)
    [samples.length, 0].forEach(push32); // sample count
    push32(0); // table length
    ascii('fmt ');
    push32(16);
    body.push(1, 0, 1, 0);
    push32(16000);
    push32(32000);
    body.push(2, 0, 16, 0);
    ascii('data');
    push32(0xffffffff);
    body.push(...new Uint8Array(samples.buffer));
    const { audio } = await decodeAudio(Uint8Array.from(body));
    assert.deepEqual([...audio.channels[0]!], [...samples].map((v) => v / 32768));
  });
});

