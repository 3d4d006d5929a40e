import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  expectedTestVoiceOutput,
  testVoicePhonemeIdMap,
  writePiperTestVoice,
} from '../../../../tests/fixtures/piper-test-voice.js';
import { isAutoVoiceError } from '../../../errors/index.js';
import { createTtsRegistry, listTtsVoices, synthesizeSpeech, TtsEngineRegistry } from '../../index.js';
import { piperPhonemesToIds } from './piper-phoneme-ids.js';
import { createPiperEngine, piperPhonemize } from './piper.engine.js';

const dir = mkdtempSync(join(tmpdir(), 'autovoice-piper-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const singlePath = writePiperTestVoice(dir, 'tiny-en', { noiseScale: 0.5, lengthScale: 1 });
const multiPath = writePiperTestVoice(dir, 'tiny-multi', { speakers: ['alice', 'bob', 'carol'] });
const map = new Map(Object.entries(testVoicePhonemeIdMap()));

/** Same length and every sample within float32 rounding of the expected value. */
function assertSamplesClose(actual: Float32Array | undefined, expected: Float32Array): void {
  assert.ok(actual !== undefined);
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs((actual[i] ?? 0) - (expected[i] ?? 0)));
  assert.ok(worst < 1e-5, `max sample error ${worst}`);
}

describe('piper phoneme ids', () => {
  test('BOS, pad after every phoneme, EOS', () => {
    const ids = piperPhonemesToIds(
      'ab',
      new Map([
        ['_', [0]],
        ['^', [1]],
        ['$', [2]],
        ['a', [5]],
        ['b', [6, 7]],
      ]),
    );
    assert.deepEqual(ids.ids, [1, 0, 5, 0, 6, 7, 0, 2]);
    assert.deepEqual(ids.missing, []);
  });

  test('unknown phonemes are skipped and reported; composed characters fall back to NFD', () => {
    const m = new Map([
      ['_', [0]],
      ['^', [1]],
      ['$', [2]],
      ['e', [5]],
      ['\u0301', [9]],
    ]);
    const ids = piperPhonemesToIds('é?', m);
    assert.deepEqual(ids.ids, [1, 0, 5, 0, 9, 0, 2]);
    assert.deepEqual(ids.missing, ['?']);
  });
});

describe('piper phonemisation', () => {
  test('IPA per clause with punctuation kept, as Piper does', async () => {
    assert.equal(
      await piperPhonemize('Hello world, how are you?', 'en-us', map),
      'həlˈoʊ wˈɜːld, hˈaʊ ɑːɹ juː?',
    );
  });
});

describe('piper engine', () => {
  test('runs a Piper-shaped model end to end with the voice config scales', async () => {
    const text = 'Hello world, how are you?';
    const audio = await synthesizeSpeech(text, { voice: singlePath });
    assert.equal(audio.sampleRate, 22050);
    const { ids } = piperPhonemesToIds(await piperPhonemize(text, 'en-us', map), map);
    assert.equal(ids[0], map.get('^')?.[0]);
    assert.equal(ids[ids.length - 1], map.get('$')?.[0]);
    assertSamplesClose(audio.channels[0], expectedTestVoiceOutput(ids, 0.5, 1));
  });

  test('rate shortens length_scale; speaker names map to sid', async () => {
    const text = 'Good morning.';
    const { ids } = piperPhonemesToIds(await piperPhonemize(text, 'en-us', map), map);
    const fast = await synthesizeSpeech(text, { voice: `piper:${singlePath}`, rate: 2 });
    assertSamplesClose(fast.channels[0], expectedTestVoiceOutput(ids, 0.5, 0.5));
    const bob = await synthesizeSpeech(text, { engine: 'piper', voice: multiPath, speaker: 'bob' });
    assertSamplesClose(bob.channels[0], expectedTestVoiceOutput(ids, 0.667, 1, 1));
    await assert.rejects(synthesizeSpeech(text, { voice: multiPath, speaker: 'dave' }), (e) =>
      isAutoVoiceError(e, 'tts.unknown_voice'),
    );
  });

  test('voice folders are listed and resolvable by name', async () => {
    const registry = createTtsRegistry({ piperVoiceDirs: [dir] });
    const voices = await listTtsVoices({ registry, engines: ['piper'] });
    assert.deepEqual(voices.map((v) => v.id).sort(), ['piper:tiny-en', 'piper:tiny-multi']);
    assert.equal(voices[0]?.language, 'en-us');
    const audio = await synthesizeSpeech('Hi.', { registry, voice: 'piper:tiny-en' });
    assert.ok((audio.channels[0]?.length ?? 0) > 0);
  });

  test('missing model, missing config and a model with the wrong inputs are typed errors', async () => {
    await assert.rejects(synthesizeSpeech('Hi.', { voice: join(dir, 'absent.onnx') }), (e) =>
      isAutoVoiceError(e, 'model.not_found'),
    );
    const lonely = join(dir, 'lonely.onnx');
    writeFileSync(lonely, 'x');
    await assert.rejects(synthesizeSpeech('Hi.', { voice: lonely }), (e) =>
      isAutoVoiceError(e, 'model.not_found'),
    );
    const { writeOnnxModel } = await import('../../../../tests/fixtures/onnx-builder.js');
    const wrong = writeOnnxModel(dir, 'wrong.onnx', {
      inputs: [{ name: 'x', type: 'float32', shape: ['n'] }],
      outputs: [{ name: 'y', type: 'float32', shape: ['n'] }],
      nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
    });
    writeFileSync(
      `${wrong}.json`,
      JSON.stringify({
        audio: { sample_rate: 16000 },
        espeak: { voice: 'en-us' },
        phoneme_id_map: testVoicePhonemeIdMap(),
      }),
    );
    await assert.rejects(synthesizeSpeech('Hi.', { voice: wrong }), (e) => {
      assert.ok(isAutoVoiceError(e, 'model.invalid'));
      assert.deepEqual(e.details?.inputNames, ['x']);
      return true;
    });
    writeFileSync(`${wrong}.json`, '{"audio": {}}');
    await assert.rejects(synthesizeSpeech('Hi.', { voice: wrong }), (e) =>
      isAutoVoiceError(e, 'model.invalid'),
    );
  });

  test('evicting models while requests run on them (more voices than the cache holds) is safe', async () => {
    const registry = new TtsEngineRegistry().register('piper', async () =>
      createPiperEngine({ maxLoadedModels: 1 }),
    );
    const paths = [0, 1, 2].map((i) => writePiperTestVoice(dir, `evict-${i}`, { noiseScale: 0.1 * (i + 1) }));
    const text = 'Hi there.';
    const { ids } = piperPhonemesToIds(await piperPhonemize(text, 'en-us', map), map);
    const outputs = await Promise.all(
      Array.from({ length: 9 }, (_, i) => synthesizeSpeech(text, { registry, voice: paths[i % 3] })),
    );
    outputs.forEach((audio, i) =>
      assertSamplesClose(audio.channels[0], expectedTestVoiceOutput(ids, 0.1 * ((i % 3) + 1), 1)),
    );
  });

  test('pitch is refused with a usage error (Piper has no pitch control)', async () => {
    await assert.rejects(synthesizeSpeech('Hi.', { voice: singlePath, pitch: 2 }), (e) =>
      isAutoVoiceError(e, 'usage.invalid_argument'),
    );
  });
});
