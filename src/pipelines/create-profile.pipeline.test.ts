import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { monoAudio, type RawAudio } from '../audio/index.js';
import { isAutoVoiceError } from '../errors/index.js';
import { SPEAKER_EMBEDDING_LENGTH } from '../quality/index.js';
import { FIXTURE_SENTENCES, makeLongSpeechFixture, makeSpeechFixture } from '../../tests/fixtures/speech.js';
import { contours, renderHarmonic, whiteNoise } from '../../tests/fixtures/pitch-signals.js';
import type { ProgressEvent } from './progress.js';
import {
  addRecordingsToProfile,
  CREATE_PROFILE_STAGES,
  createVoiceProfile,
} from './create-profile.pipeline.js';

function scaled(audio: RawAudio, gain: number): RawAudio {
  return {
    sampleRate: audio.sampleRate,
    channels: audio.channels.map((c) => c.map((v) => Math.max(-1, Math.min(1, v * gain)))),
  };
}

describe('createVoiceProfile', () => {
  test('builds a profile from TTS speech, with stages reported in order', async () => {
    const speech = await makeLongSpeechFixture('flite:slt');
    const events: ProgressEvent[] = [];
    const { profile, report } = await createVoiceProfile([speech], {
      name: 'slt',
      onProgress: (e) => events.push(e),
    });
    assert.ok(report.voicedSeconds > 5, `voiced ${report.voicedSeconds}`);
    assert.ok(report.voicedSeconds < report.totalSeconds);
    // slt is a female voice: median F0 well above a male's.
    assert.ok(
      profile.pitch.medianHz > 140 && profile.pitch.medianHz < 300,
      `median ${profile.pitch.medianHz}`,
    );
    assert.match(report.pitchRange.lowNote, /^[A-G]#?\d$/);
    assert.ok(report.pitchRange.lowHz < report.pitchRange.highHz);
    assert.equal(profile.embedding.length, SPEAKER_EMBEDDING_LENGTH);
    assert.ok(profile.timbre.codebookFrames > 500);
    assert.ok(report.estimatedSnrDb > 30, `snr ${report.estimatedSnrDb}`);
    assert.ok(Number.isFinite(profile.loudness.integratedLufs));
    const order = CREATE_PROFILE_STAGES.map((s) => s.name as string);
    const seen = [...new Set(events.map((e) => e.stage))];
    assert.deepEqual(seen, order);
    for (let i = 1; i < events.length; i++)
      assert.ok((events[i] as ProgressEvent).fraction >= (events[i - 1] as ProgressEvent).fraction);
    assert.equal(events.at(-1)?.fraction, 1);

    // Adding a recording grows the profile and keeps its identity.
    const more = await makeSpeechFixture(FIXTURE_SENTENCES[5], 'flite:slt');
    const { profile: bigger } = await addRecordingsToProfile(profile, [more]);
    assert.equal(bigger.id, profile.id);
    assert.equal(bigger.sources.length, 2);
    assert.ok(bigger.report.voicedSeconds > report.voicedSeconds);
    assert.ok(Math.abs(bigger.pitch.medianHz / profile.pitch.medianHz - 1) < 0.1);
  });

  test('rejects too little voice with voice.too_short', async () => {
    const one = await makeSpeechFixture(FIXTURE_SENTENCES[0], 'flite:rms');
    await assert.rejects(createVoiceProfile([one], { name: 'short' }), (e) =>
      isAutoVoiceError(e, 'voice.too_short'),
    );
    // Under a second of voice is still "too short", not "noise or music", when it is all speech.
    const word = { ...one, channels: one.channels.map((c) => c.slice(0, Math.round(0.9 * one.sampleRate))) };
    await assert.rejects(createVoiceProfile([word], { name: 'word' }), (e) =>
      isAutoVoiceError(e, 'voice.too_short'),
    );
  });

  test('rejects heavy clipping with voice.clipped', async () => {
    const speech = await makeSpeechFixture(FIXTURE_SENTENCES.slice(0, 3).join(' '), 'flite:rms');
    await assert.rejects(createVoiceProfile([scaled(speech, 30)], { name: 'clipped' }), (e) =>
      isAutoVoiceError(e, 'voice.clipped'),
    );
  });

  test('rejects noise, steady instrument tones and silence with voice.no_voice', async () => {
    const noise = monoAudio(
      whiteNoise(16000 * 12, 3).map((v) => v * 0.3),
      16000,
    );
    await assert.rejects(createVoiceProfile([noise], { name: 'noise' }), (e) =>
      isAutoVoiceError(e, 'voice.no_voice'),
    );
    // Instrument-like tones: pitched, harmonic, formant-filtered, but with dead-steady notes.
    const notes = contours.notes(
      Array.from({ length: 12 }, (_, i) => [i, 196 * 2 ** (((i % 5) * 2) / 12)] as [number, number]),
    );
    const tones = monoAudio(renderHarmonic(notes, 12, 16000), 16000);
    await assert.rejects(
      createVoiceProfile([tones], { name: 'tones' }),
      (e) => isAutoVoiceError(e, 'voice.no_voice') && /waver/.test((e as Error).message),
    );
    const silence = monoAudio(new Float32Array(16000 * 12), 16000);
    await assert.rejects(createVoiceProfile([silence], { name: 'silence' }), (e) =>
      isAutoVoiceError(e, 'voice.no_voice'),
    );
  });

  test('validates the name and honours cancellation', async () => {
    const speech = await makeSpeechFixture(FIXTURE_SENTENCES.slice(0, 3).join(' '), 'flite:rms');
    await assert.rejects(createVoiceProfile([speech], { name: '  ' }), (e) =>
      isAutoVoiceError(e, 'usage.invalid_argument'),
    );
    await assert.rejects(createVoiceProfile([], { name: 'x' }), (e) =>
      isAutoVoiceError(e, 'usage.missing_argument'),
    );
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(createVoiceProfile([speech], { name: 'x', signal: controller.signal }), (e) =>
      isAutoVoiceError(e, 'operation.cancelled'),
    );
  });
});
