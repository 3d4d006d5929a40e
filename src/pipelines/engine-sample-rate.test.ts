// Input at sample rates the engine does not take, and float input hotter than full scale, at
// every pipeline entry: resampled or accepted, or refused with an input error — never a usage
// error about an option the caller did not pass.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { measureIntegratedLoudness, monoAudio, type RawAudio } from '../audio/index.js';
import { contours, renderHarmonic } from '../../tests/fixtures/pitch-signals.js';
import { makeSyntheticProfile } from '../../tests/fixtures/voice-profile-fixture.js';
import { convertSong } from './convert-song.pipeline.js';
import { convertVoice } from './convert-voice.pipeline.js';
import { createVoiceProfile } from './create-profile.pipeline.js';
import { engineSampleRate, ENGINE_MAX_RATE_HZ, ENGINE_MIN_RATE_HZ } from './engine-sample-rate.js';
import { transformVoice } from './transform-voice.pipeline.js';

const tone = (seconds: number, rate: number, gain = 1): RawAudio =>
  monoAudio(
    renderHarmonic(contours.constant(200), seconds, rate).map((v) => v * gain),
    rate,
  );

describe('engine sample-rate range', () => {
  test('rates above the analysis limit come down by a whole factor; others stay', () => {
    assert.equal(engineSampleRate(768_000), 192_000);
    assert.equal(engineSampleRate(705_600), 176_400);
    assert.equal(engineSampleRate(384_000), 192_000);
    assert.equal(engineSampleRate(200_000), 100_000);
    assert.equal(engineSampleRate(ENGINE_MAX_RATE_HZ), ENGINE_MAX_RATE_HZ);
    assert.equal(engineSampleRate(44_100), 44_100);
    assert.equal(engineSampleRate(ENGINE_MIN_RATE_HZ), ENGINE_MIN_RATE_HZ);
  });

  test('768 kHz input is resampled at the entry of transform and convert, not refused', async () => {
    const input = tone(0.6, 768_000);
    const transformed = await transformVoice(input, { semitones: 2 });
    assert.equal(transformed.audio.sampleRate, 192_000);
    assert.equal(transformed.audio.channels[0]!.length, 0.6 * 192_000);
    const converted = await convertVoice(input, makeSyntheticProfile('v'), { skipMetrics: true });
    assert.equal(converted.audio.sampleRate, 192_000);
  });

  test('below 8 kHz every pipeline refuses the audio as input (exit 3 / HTTP 422), before any work', async () => {
    const low = tone(1, 1000);
    const refused = { code: 'audio.unsupported_sample_rate', kind: 'input' };
    await assert.rejects(transformVoice(low, {}), refused);
    await assert.rejects(convertVoice(low, makeSyntheticProfile('v')), refused);
    await assert.rejects(convertSong(low, makeSyntheticProfile('v')), refused);
    await assert.rejects(createVoiceProfile([low], { name: 'low' }), refused);
  });

  test('float input a few times over full scale is transformed, its level capped at 0 LUFS', async () => {
    // Peak 8 (+18 dBFS): real audio from a float mix bus, measuring above 0 LUFS.
    const hot = tone(1, 16000, 8 / 0.9);
    assert.ok(measureIntegratedLoudness(hot) > 0);
    const result = await transformVoice(hot, { semitones: 1 });
    const lufs = measureIntegratedLoudness(result.audio);
    assert.ok(lufs <= 0 && lufs > -20, `output ${lufs} LUFS`);
  });
});
