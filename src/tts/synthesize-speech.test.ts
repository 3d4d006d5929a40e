import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RawAudio } from '../audio/raw-audio.js';
import { isAutoVoiceError } from '../errors/index.js';
import { concatAudio, listTtsVoices, synthesizeSpeech, synthesizeSpeechStream } from './index.js';

function samplesOf(audio: RawAudio): Float32Array {
  return audio.channels[0] ?? new Float32Array(0);
}

function seconds(audio: RawAudio): number {
  return samplesOf(audio).length / audio.sampleRate;
}

/** 10 ms RMS envelope. */
function envelope(audio: RawAudio): Float64Array {
  const x = samplesOf(audio);
  const hop = Math.round(audio.sampleRate / 100);
  const out = new Float64Array(Math.floor(x.length / hop));
  for (let f = 0; f < out.length; f++) {
    let sum = 0;
    for (let i = f * hop; i < (f + 1) * hop; i++) sum += (x[i] ?? 0) ** 2;
    out[f] = Math.sqrt(sum / hop);
  }
  return out;
}

/** Best envelope correlation over lags of up to ±`maxLagFrames` (espeak renditions can shift by a frame or two). */
function alignedCorrelation(a: Float64Array, b: Float64Array, maxLagFrames = 10): number {
  let best = -1;
  for (let lag = -maxLagFrames; lag <= maxLagFrames; lag++) {
    best = Math.max(best, lag >= 0 ? correlation(a.subarray(lag), b) : correlation(a, b.subarray(-lag)));
  }
  return best;
}

function correlation(a: Float64Array, b: Float64Array): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] ?? 0;
    mb += b[i] ?? 0;
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return ab / Math.sqrt(aa * bb + 1e-20);
}

/** Mean zero-crossing-free pitch proxy: autocorrelation peak lag over loud 40 ms frames → Hz (median). */
function medianPitchHz(audio: RawAudio): number {
  const x = samplesOf(audio);
  const sr = audio.sampleRate;
  const frame = Math.round(0.04 * sr);
  const minLag = Math.floor(sr / 500);
  const maxLag = Math.ceil(sr / 60);
  const found: number[] = [];
  for (let s = 0; s + frame + maxLag < x.length; s += frame) {
    let e0 = 0;
    for (let i = 0; i < frame; i++) e0 += (x[s + i] ?? 0) ** 2;
    if (e0 / frame < 1e-4) continue;
    let best = 0;
    let bestLag = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let c = 0;
      let e1 = 0;
      for (let i = 0; i < frame; i++) {
        c += (x[s + i] ?? 0) * (x[s + i + lag] ?? 0);
        e1 += (x[s + i + lag] ?? 0) ** 2;
      }
      const r = c / Math.sqrt(e0 * e1 + 1e-12);
      if (r > best) {
        best = r;
        bestLag = lag;
      }
    }
    if (best > 0.6) found.push(sr / bestLag);
  }
  found.sort((a, b) => a - b);
  return found[Math.floor(found.length / 2)] ?? 0;
}

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';

describe('engines', () => {
  for (const voice of ['espeak:en-us', 'flite:slt']) {
    test(`${voice}: speaks, rate changes duration, pitch changes pitch`, async () => {
      const normal = await synthesizeSpeech(SENTENCE, { voice });
      const fast = await synthesizeSpeech(SENTENCE, { voice, rate: 2 });
      const high = await synthesizeSpeech(SENTENCE, { voice, pitch: 7 });
      assert.ok(seconds(normal) > 1.5 && seconds(normal) < 5, `${seconds(normal)} s`);
      const ratio = seconds(fast) / seconds(normal);
      assert.ok(ratio > 0.4 && ratio < 0.7, `rate 2 → duration ratio ${ratio}`);
      const pitchRatio = medianPitchHz(high) / medianPitchHz(normal);
      // +7 semitones = ×1.50; engines treat it as a target mean, so allow a wide band.
      assert.ok(pitchRatio > 1.25 && pitchRatio < 1.8, `pitch +7 st → ×${pitchRatio}`);
    });
  }

  test('espeak follows the whole 0.25..4 rate range (beyond its own 80..450 words a minute by time stretch)', async () => {
    const normal = seconds(await synthesizeSpeech(SENTENCE, { voice: 'espeak:en-us' }));
    const slow = seconds(await synthesizeSpeech(SENTENCE, { voice: 'espeak:en-us', rate: 0.25 })) / normal;
    const fast = seconds(await synthesizeSpeech(SENTENCE, { voice: 'espeak:en-us', rate: 4 })) / normal;
    // Clamped as before, these were ×2.05 and ×0.39.
    assert.ok(slow > 3.2 && slow < 4.8, `rate 0.25 → duration ×${slow.toFixed(2)}`);
    assert.ok(fast > 0.2 && fast < 0.3, `rate 4 → duration ×${fast.toFixed(2)}`);
  });

  test('espeak speaks other languages; flite refuses non-English', async () => {
    const german = await synthesizeSpeech('Guten Morgen, wie geht es dir?', {
      engine: 'espeak',
      language: 'de',
    });
    assert.ok(seconds(german) > 1);
    await assert.rejects(synthesizeSpeech('Bonjour.', { engine: 'flite', language: 'fr' }), (e) =>
      isAutoVoiceError(e, 'tts.unknown_voice'),
    );
  });

  test('unknown engine, unknown voice and engine/voice mismatch are typed errors', async () => {
    await assert.rejects(synthesizeSpeech('Hi.', { engine: 'sam' }), (e) =>
      isAutoVoiceError(e, 'tts.unknown_engine'),
    );
    await assert.rejects(synthesizeSpeech('Hi.', { voice: 'flite:nobody' }), (e) =>
      isAutoVoiceError(e, 'tts.unknown_voice'),
    );
    await assert.rejects(synthesizeSpeech('Hi.', { voice: 'espeak:xx-nowhere' }), (e) =>
      isAutoVoiceError(e, 'tts.unknown_voice'),
    );
    await assert.rejects(synthesizeSpeech('Hi.', { engine: 'espeak', voice: 'flite:slt' }), (e) =>
      isAutoVoiceError(e, 'usage.invalid_argument'),
    );
  });

  test('hostile text is spoken or refused with a typed error, never crashes', async () => {
    const weird =
      'Caf\u00e9 \uD83D \u0000\u0007 <b>&amp;</b> 😀👍🏽 \u202Eevil\u202C ' + 'x'.repeat(500) + ' مرحبا';
    const audio = await synthesizeSpeech(weird, { voice: 'flite:kal16' });
    assert.ok(seconds(audio) > 1);
    const es = await synthesizeSpeech(weird, { voice: 'espeak:en-us' });
    assert.ok(seconds(es) > 1);
    await assert.rejects(synthesizeSpeech('😀 🎉', { voice: 'flite:kal16' }), (e) =>
      isAutoVoiceError(e, 'tts.text_empty'),
    );
    await assert.rejects(synthesizeSpeech('word '.repeat(2000), { voice: 'flite:kal16' }), (e) =>
      isAutoVoiceError(e, 'tts.text_too_long'),
    );
    await assert.rejects(
      synthesizeSpeech('<speak>oops<break time="x"/></speak>', { voice: 'flite:kal16' }),
      (e) => isAutoVoiceError(e, 'tts.invalid_ssml'),
    );
  });

  test('lists voices of both embedded engines with language and sample rate', async () => {
    const voices = await listTtsVoices({ engines: ['espeak', 'flite'] });
    assert.ok(voices.length > 100);
    assert.deepEqual(
      voices.filter((v) => v.engine === 'flite').map((v) => v.id),
      ['flite:slt', 'flite:rms', 'flite:awb', 'flite:kal16', 'flite:kal'],
    );
    const de = voices.find((v) => v.id === 'espeak:de');
    assert.deepEqual(de && { language: de.language, sampleRate: de.sampleRate }, {
      language: 'de',
      sampleRate: 22050,
    });
    assert.ok(
      (await listTtsVoices({ engines: ['espeak'], language: 'pt' })).every((v) =>
        v.language.startsWith('pt'),
      ),
    );
  });
});

describe('streaming and SSML', () => {
  test('streams sentence by sentence; the chunks concatenate to the whole', async () => {
    const text = 'First sentence here. Second one follows! And a third?';
    const chunks: RawAudio[] = [];
    for await (const chunk of synthesizeSpeechStream(text, { voice: 'flite:kal16' })) chunks.push(chunk);
    assert.equal(chunks.length, 3);
    const whole = await synthesizeSpeech(text, { voice: 'flite:kal16' });
    assert.deepEqual(samplesOf(concatAudio(chunks)), samplesOf(whole));
  });

  test('streaming starts with the first clause of a long first sentence; synthesizeSpeech keeps it whole', async () => {
    const text =
      'When the long first sentence finally begins, the listener hears its opening clause at once. Next.';
    const chunks: RawAudio[] = [];
    for await (const chunk of synthesizeSpeechStream(text, { voice: 'flite:kal16' })) chunks.push(chunk);
    assert.equal(chunks.length, 3);
    const whole = await synthesizeSpeech(text, { voice: 'flite:kal16' });
    const wholeStream = await synthesizeSpeech(text, { voice: 'flite:kal16', fastStart: true });
    assert.notDeepEqual(samplesOf(whole), samplesOf(wholeStream));
    assert.deepEqual(samplesOf(concatAudio(chunks)), samplesOf(wholeStream));
  });

  test('SSML breaks become exact silences between sentences', async () => {
    const chunks: RawAudio[] = [];
    for await (const chunk of synthesizeSpeechStream('<speak>One.<break time="250ms"/>Two.</speak>', {
      voice: 'flite:kal16',
    }))
      chunks.push(chunk);
    assert.equal(chunks.length, 3);
    const pause = samplesOf(chunks[1] as RawAudio);
    assert.equal(pause.length, 4000);
    assert.ok(pause.every((s) => s === 0));
  });

  test('validation errors surface before any audio is produced', async () => {
    const stream = synthesizeSpeechStream('x'.repeat(50), { voice: 'flite:kal16', maxTextChars: 10 });
    await assert.rejects(stream.next(), (e) => isAutoVoiceError(e, 'tts.text_too_long'));
  });

  test('an aborted signal cancels between sentences', async () => {
    const controller = new AbortController();
    const stream = synthesizeSpeechStream('One. Two. Three.', {
      voice: 'flite:kal16',
      signal: controller.signal,
    });
    await stream.next();
    controller.abort();
    await assert.rejects(stream.next(), (e) => isAutoVoiceError(e, 'operation.cancelled'));
  });
});

describe('concurrency', () => {
  const sentences = Array.from(
    { length: 20 },
    (_, i) =>
      `Request number ${i + 1} says ${['hello', 'goodbye', 'thank you', 'good night', 'see you soon'][i % 5]} to everyone in room ${(i * 7) % 13}.`,
  );
  const voices = ['flite:kal16', 'espeak:en-us', 'flite:slt', 'espeak:en-us+f3'];
  const requestOf = (i: number) => ({
    voice: voices[i % voices.length],
    rate: 1 + (i % 3) * 0.2,
    pitch: (i % 4) - 1,
  });

  test('20 concurrent requests each match their own sequential rendition', async () => {
    const references: RawAudio[] = [];
    for (const [i, text] of sentences.entries()) references.push(await synthesizeSpeech(text, requestOf(i)));
    const concurrent = await Promise.all(sentences.map((text, i) => synthesizeSpeech(text, requestOf(i))));
    const envelopes = references.map(envelope);
    for (const [i, audio] of concurrent.entries()) {
      const reference = references[i] as RawAudio;
      assert.equal(audio.sampleRate, reference.sampleRate);
      if (requestOf(i).voice?.startsWith('flite')) {
        // flite runs a fresh wasm instance per request: bit-exact.
        assert.deepEqual(samplesOf(audio), samplesOf(reference), `request ${i} (${requestOf(i).voice})`);
        continue;
      }
      // espeak is not bit-reproducible even sequentially (state carried between utterances
      // shifts pauses by up to ~10 ms), so: same length within 1 %, and the lag-aligned loudness
      // envelope matches its own reference far better than any other request's.
      const lengthRatio = samplesOf(audio).length / samplesOf(reference).length;
      assert.ok(Math.abs(lengthRatio - 1) < 0.01, `request ${i}: length ratio ${lengthRatio}`);
      const own = alignedCorrelation(envelope(audio), envelopes[i] as Float64Array);
      assert.ok(own > 0.9, `request ${i}: envelope correlation ${own}`);
      for (const [j, other] of envelopes.entries()) {
        if (j !== i && references[j]?.sampleRate === audio.sampleRate)
          assert.ok(alignedCorrelation(envelope(audio), other) < own - 0.1, `request ${i} resembles ${j}`);
      }
    }
  });
});
