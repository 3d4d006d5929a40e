// Every kind of bad input the audio layer meets, in one place: each must end in an
// AutoVoiceError with a stable code — never a crash, a hang or a giant allocation.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { adtsAac, m4aAac, oggOpus, oggVorbis } from '../../tests/fixtures/encoded-samples.js';
import { wavBytes } from '../../tests/fixtures/wav-bytes.js';
import { isAutoVoiceError } from '../errors/index.js';
import { mp4DeclaredSeconds } from './decode/aac-decoder.js';
import { assertAudible, decodeAudio, encodeAudio, readAudioFile } from './index.js';

const tone = (length: number, rate = 16000): Float32Array =>
  Float32Array.from({ length }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / rate));

let wav: Uint8Array;
let flac: Uint8Array;
let mp3: Uint8Array;
let dir: string;

before(async () => {
  const audio = { channels: [tone(16000)], sampleRate: 16000 };
  wav = await encodeAudio(audio, 'wav');
  flac = await encodeAudio(audio, 'flac');
  mp3 = await encodeAudio(audio, 'mp3', { mp3BitrateKbps: 64 });
  dir = await mkdtemp(join(tmpdir(), 'autovoice-audio-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

/** Runs `fn` with console.error muted (the wasm FLAC decoder prints every error it meets). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const original = console.error;
  console.error = () => undefined;
  try {
    return await fn();
  } finally {
    console.error = original;
  }
}

const float32Data = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);

describe('bad audio input', () => {
  test('empty input: audio.empty', async () => {
    await assert.rejects(decodeAudio(new Uint8Array(0)), { code: 'audio.empty' });
  });

  test('truncated: WAV cut inside its data, WAV cut inside its header, FLAC cut in half, a lone ID3 tag', async () => {
    await assert.rejects(decodeAudio(wav.subarray(0, wav.length - 1000)), { code: 'audio.corrupt' });
    await assert.rejects(decodeAudio(wav.subarray(0, 30)), { code: 'audio.corrupt' });
    await assert.rejects(decodeAudio(wav.subarray(0, 8)), { code: 'audio.unsupported_format' }); // too short to name WAVE
    await assert.rejects(
      quietly(() => decodeAudio(flac.subarray(0, Math.floor(flac.length / 2)))),
      { code: 'audio.corrupt' },
    );
    await assert.rejects(
      quietly(() => decodeAudio(flac.subarray(0, 20))),
      { code: 'audio.corrupt' },
    );
    const id3Only = Uint8Array.from([
      0x49,
      0x44,
      0x33,
      4,
      0,
      0,
      0,
      0,
      0,
      10,
      ...new Array<number>(10).fill(0),
    ]);
    await assert.rejects(decodeAudio(id3Only), { code: 'audio.corrupt' });
  });

  test('corrupt: garbage behind a valid FLAC or MP3 start, random bytes', async () => {
    const garbage = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919 + 13) & 0xff);
    const badFlac = Uint8Array.from([...flac.subarray(0, 42), ...garbage]);
    await assert.rejects(
      quietly(() => decodeAudio(badFlac)),
      { code: 'audio.corrupt' },
    );
    const badMp3 = Uint8Array.from([...mp3.subarray(0, 4), ...garbage]);
    await assert.rejects(
      decodeAudio(badMp3),
      (e) => isAutoVoiceError(e, 'audio.corrupt') || isAutoVoiceError(e, 'audio.unsupported_format'),
    );
    await assert.rejects(decodeAudio(garbage), { code: 'audio.unsupported_format' });
  });

  test('wrong extension: the content decides', async () => {
    const flacNamedWav = join(dir, 'really-flac.wav');
    const wavNamedMp3 = join(dir, 'really-wav.mp3');
    await writeFile(flacNamedWav, flac);
    await writeFile(wavNamedMp3, wav);
    assert.equal((await readAudioFile(flacNamedWav)).info.container, 'flac');
    assert.equal((await readAudioFile(wavNamedMp3)).info.container, 'wav');
    const textNamedWav = join(dir, 'notes.wav');
    await writeFile(textNamedWav, 'these are not the samples you are looking for\n');
    await assert.rejects(readAudioFile(textNamedWav), { code: 'audio.unsupported_format' });
    await assert.rejects(readAudioFile(join(dir, 'missing.wav')), { code: 'usage.invalid_argument' });
  });

  test('damaged Ogg and AAC: audio.corrupt, never audio of the wrong length', async () => {
    // Opus fixture pages: OpusHead at 0, OpusTags at 47, the audio at 121-1435.
    const corrupt = (e: unknown): boolean => isAutoVoiceError(e, 'audio.corrupt');
    await assert.rejects(
      decodeAudio(oggOpus.subarray(0, 200)),
      (e) => corrupt(e) && /truncated/.test((e as Error).message),
    );
    await assert.rejects(decodeAudio(oggOpus.subarray(0, oggOpus.length - 300)), corrupt);
    await assert.rejects(decodeAudio(oggVorbis.subarray(0, oggVorbis.length - 100)), corrupt);
    const flippedOpus = oggOpus.slice();
    flippedOpus[600]! ^= 0x5a;
    await assert.rejects(
      decodeAudio(flippedOpus),
      (e) => corrupt(e) && /checksum/.test((e as Error).message),
    );
    const garbageBetweenPages = Uint8Array.from([
      ...oggOpus.subarray(0, 121),
      1,
      2,
      3,
      4,
      5,
      6,
      ...oggOpus.subarray(121),
    ]);
    await assert.rejects(decodeAudio(garbageBetweenPages), corrupt);
    // Frames FAAD2 cannot decode are lost audio, in M4A and in ADTS.
    const flippedM4a = m4aAac.slice();
    for (let i = 1200; i < 1940; i += 7) flippedM4a[i]! ^= 0xff; // inside 'mdat'
    await assert.rejects(
      decodeAudio(flippedM4a),
      (e) => corrupt(e) && /fail to decode/.test((e as Error).message),
    );
    const flippedAdts = adtsAac.slice();
    for (let i = 1200; i < flippedAdts.length; i += 7) flippedAdts[i]! ^= 0xff;
    await assert.rejects(decodeAudio(flippedAdts), corrupt);
    // An M4A whose sound track declares 2 s but holds 0.5 s (a cut or damaged sample table).
    const longerM4a = m4aAac.slice();
    const tkhd = Buffer.from(longerM4a).indexOf('tkhd') - 4;
    new DataView(longerM4a.buffer).setUint32(tkhd + 28, 2000); // version-0 duration, movie timescale 1000
    await assert.rejects(
      decodeAudio(longerM4a),
      (e) => corrupt(e) && /declares 2\.000 s/.test((e as Error).message),
    );
  });

  test('intact Ogg with an appended tag still decodes (bytes after the last page that hold no page)', async () => {
    const tagged = Uint8Array.from([...oggOpus, ...new Uint8Array(128).fill(0x54)]);
    assert.ok(Math.abs((await decodeAudio(tagged)).info.durationSeconds - 0.5) < 0.02);
  });

  test('unsupported codec: ADPCM or mu-law in WAV, a RIFF that is not WAVE, Ogg Speex', async () => {
    await assert.rejects(decodeAudio(wavBytes({ formatTag: 2, bitsPerSample: 4, blockAlign: 256 })), /ADPCM/);
    await assert.rejects(decodeAudio(wavBytes({ formatTag: 7, bitsPerSample: 8 })), {
      code: 'audio.unsupported_format',
    });
    await assert.rejects(decodeAudio(wavBytes({ riffType: 'AVI ' })), { code: 'audio.unsupported_format' });
    const speexPage = new Uint8Array(28 + 80);
    speexPage.set([0x4f, 0x67, 0x67, 0x53, 0, 2]);
    speexPage[26] = 1;
    speexPage[27] = 80;
    speexPage.set(
      [...'Speex   '].map((c) => c.charCodeAt(0)),
      28,
    );
    await assert.rejects(
      decodeAudio(speexPage),
      (e) => isAutoVoiceError(e, 'audio.unsupported_format') && /speex/.test(e.message),
    );
  });

  test('zero-length data chunk: audio.no_samples', async () => {
    await assert.rejects(decodeAudio(wavBytes({ data: new Uint8Array(0) })), { code: 'audio.no_samples' });
    await assert.rejects(decodeAudio(wavBytes({ data: new Uint8Array(1), blockAlign: 2 })), {
      code: 'audio.no_samples',
    });
  });

  test('all-silent audio decodes; assertAudible reports audio.silent', async () => {
    const { audio } = await decodeAudio(wavBytes({ data: new Uint8Array(3200) }));
    assert.equal(audio.channels[0]!.length, 1600);
    assert.throws(() => assertAudible(audio), { code: 'audio.silent' });
    assert.doesNotThrow(() => assertAudible({ channels: [tone(100)], sampleRate: 16000 }));
  });

  test('NaN and infinite float samples: audio.invalid_samples', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const bytes = wavBytes({ formatTag: 3, bitsPerSample: 32, data: float32Data([0, 0.5, bad, 0.1]) });
      await assert.rejects(decodeAudio(bytes), { code: 'audio.invalid_samples' });
    }
  });

  test('float samples far beyond full scale: audio.invalid_samples; a few times over full scale decodes', async () => {
    for (const huge of [1e30, -1e30, 32767, 1001]) {
      const bytes = wavBytes({ formatTag: 3, bitsPerSample: 32, data: float32Data([0, 0.5, huge, 0.1]) });
      await assert.rejects(
        decodeAudio(bytes),
        (e) => isAutoVoiceError(e, 'audio.invalid_samples') && /±1000/.test((e as Error).message),
      );
    }
    const hot = wavBytes({ formatTag: 3, bitsPerSample: 32, data: float32Data([0, 8, -10, 1000]) });
    assert.equal((await decodeAudio(hot)).audio.channels[0]![2], -10);
  });

  test('absurd headers: sample rate 0 or 10^9, 65535 or 100 channels, 7 or 12 bits, inconsistent block size', async () => {
    // WAV stores the channel count in 16 bits, so 65535 is the largest absurd count a header can state.
    const cases = [
      wavBytes({ sampleRate: 0 }),
      wavBytes({ sampleRate: 1_000_000_000 }),
      wavBytes({ channels: 65535, blockAlign: 2 }),
      wavBytes({ channels: 100 }),
      wavBytes({ bitsPerSample: 7, blockAlign: 1 }),
      wavBytes({ bitsPerSample: 12, blockAlign: 2 }),
      wavBytes({ formatTag: 3, bitsPerSample: 16 }),
      wavBytes({ channels: 2, bitsPerSample: 16, blockAlign: 3 }),
    ];
    for (const bytes of cases) await assert.rejects(decodeAudio(bytes), { code: 'audio.invalid_header' });
    assert.equal(
      (await decodeAudio(wavBytes({ channels: 100 }), { maxChannels: 128 })).audio.channels.length,
      100,
    );
  });

  test('over the maximum size: audio.too_large, before a file is even read', async () => {
    await assert.rejects(decodeAudio(wav, { maxBytes: 1000 }), { code: 'audio.too_large' });
    const path = join(dir, 'big.wav');
    await writeFile(path, wav);
    await assert.rejects(readAudioFile(path, { maxBytes: 1000 }), { code: 'audio.too_large' });
    await assert.rejects(decodeAudio(wav, { maxDecodedBytes: 1000 }), { code: 'audio.too_large' });
  });

  test('over the maximum duration: audio.too_long, from the header before allocating', async () => {
    await assert.rejects(decodeAudio(wav, { maxDurationSeconds: 0.5 }), { code: 'audio.too_long' });
    // A FLAC header that claims ten hours is refused before any frame is decoded.
    const claimsTenHours = flac.slice();
    const total = 10 * 3600 * 16000;
    claimsTenHours.set(
      [(total >>> 24) & 0xff, (total >>> 16) & 0xff, (total >>> 8) & 0xff, total & 0xff],
      8 + 14,
    );
    await assert.rejects(decodeAudio(claimsTenHours), { code: 'audio.too_long' });
    await assert.rejects(decodeAudio(mp3, { maxDurationSeconds: 0.2 }), { code: 'audio.too_long' });
    // M4A: the movie header's duration is checked before decoding; ADTS as blocks arrive.
    assert.ok(Math.abs(mp4DeclaredSeconds(m4aAac)! - 0.5) < 0.01);
    await assert.rejects(
      decodeAudio(m4aAac, { maxDurationSeconds: 0.2 }),
      (e) => isAutoVoiceError(e, 'audio.too_long') && /declares/.test(e.message),
    );
    await assert.rejects(decodeAudio(adtsAac, { maxDurationSeconds: 0.2 }), { code: 'audio.too_long' });
  });

  test('decode time budget: audio.decode_timeout', async () => {
    const long = await encodeAudio({ channels: [tone(16000 * 20)], sampleRate: 16000 }, 'wav');
    await assert.rejects(decodeAudio(long, { timeoutMs: 0.001 }), { code: 'audio.decode_timeout' });
    await assert.rejects(decodeAudio(mp3, { timeoutMs: 0.001 }), { code: 'audio.decode_timeout' });
  });

  test('invalid decode options: usage.invalid_argument', async () => {
    await assert.rejects(decodeAudio(wav, { maxBytes: -1 }), { code: 'usage.invalid_argument' });
    await assert.rejects(decodeAudio(wav, { timeoutMs: Number.NaN }), { code: 'usage.invalid_argument' });
  });

  test('mangled files (truncations and flipped bytes) never escape as anything but an AutoVoiceError', async () => {
    let state = 12345;
    const random = (n: number): number => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    for (const original of [wav, flac, mp3, oggOpus, oggVorbis, m4aAac, adtsAac]) {
      for (let trial = 0; trial < 25; trial++) {
        const bytes = original.slice(0, 1 + random(original.length));
        for (let flips = 0; flips < 1 + random(8); flips++)
          bytes[random(Math.min(bytes.length, 200))] = random(256);
        try {
          await quietly(() => decodeAudio(bytes, { timeoutMs: 5000 }));
        } catch (error) {
          assert.ok(isAutoVoiceError(error), `trial ${trial}: ${String(error)}`);
        }
      }
    }
  });

  test('an MP3 damaged into huge values is audio.corrupt; a full-scale one still decodes', async () => {
    // MP3 frames carry no checksum: one flipped byte in a frame's side info can decode "cleanly"
    // to peaks of +24..+46 dBFS. Every single-byte flip over the first frames must either fail
    // as audio.corrupt or decode to something an encoder could have written.
    let rejectedForPeaks = 0;
    for (let pos = 100; pos < 700; pos += 3) {
      const bytes = mp3.slice();
      bytes[pos] = (bytes[pos] as number) ^ 0xff;
      try {
        const { audio } = await quietly(() => decodeAudio(bytes));
        const peak = Math.max(...audio.channels.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
        assert.ok(peak <= 8, `flip at ${pos} decoded to a peak of ${peak.toFixed(1)}`);
      } catch (error) {
        assert.ok(isAutoVoiceError(error, 'audio.corrupt'), `flip at ${pos}: ${String(error)}`);
        if (/peaks of/.test((error as Error).message)) rejectedForPeaks++;
      }
    }
    assert.ok(rejectedForPeaks > 0, 'no flip produced the huge-value damage this test is about');
    const square = Float32Array.from({ length: 16000 }, (_, i) => (i % 80 < 40 ? 1 : -1));
    const loud = await encodeAudio({ channels: [square], sampleRate: 16000 }, 'mp3', { mp3BitrateKbps: 64 });
    const { audio } = await decodeAudio(loud);
    assert.ok(audio.channels[0]!.some((v) => Math.abs(v) > 0.9));
  });
});
