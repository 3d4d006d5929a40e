import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rawPitchAccuracy } from '../../quality/pitch-accuracy.js';
import { renderFormantVoice } from '../../../tests/fixtures/formant-voice.js';
import { contours, renderHarmonic, truthTrack } from '../../../tests/fixtures/pitch-signals.js';
import { FIXTURE_SENTENCES, makeSpeechFixture } from '../../../tests/fixtures/speech.js';
import { estimateF0 } from './estimate-f0.js';

/**
 * Regressions for octave errors found downstream (conversion benchmarks): each case once came
 * out at a subharmonic or a harmonic of the true F0.
 */
describe('estimateF0: octave-error regressions', () => {
  for (const sampleRate of [16000, 44100]) {
    test(`harmonic note at 261.63 Hz through /a/ formants (${sampleRate} Hz) is not read as a subharmonic`, () => {
      // Was 87 Hz (16 kHz) and 130 Hz (44.1 kHz): the strong 3rd harmonic sits near the lowest
      // band's Nyquist frequency, where the NCCF peak of the true period was underrated.
      const contour = contours.constant(261.63);
      const signal = renderHarmonic(contour, 1, sampleRate, { harmonicDecay: 0.9, formants: true });
      const track = estimateF0(signal, sampleRate);
      const rpa = rawPitchAccuracy(truthTrack(contour, 1, track.framePeriodMs), track.f0Hz);
      assert.ok(rpa >= 0.98, `RPA ${rpa}; median F0 ${median(track.f0Hz)} Hz, want 261.63`);
    });
  }

  for (const sourceLowpass of [0, 0.6]) {
    test(`band-limited formant voice at ~220 Hz (sourceLowpass ${sourceLowpass}) keeps its F0`, () => {
      // Was 80 or 118 Hz (a third or a half of ~237 Hz) during the /a/ vowels.
      const sampleRate = 16000;
      const { signal, f0PerSample } = renderFormantVoice({ f0Hz: 220, formantScale: 1, sourceLowpass }, 'aaoo', sampleRate);
      const track = estimateF0(signal, sampleRate);
      const hop = (track.framePeriodMs * sampleRate) / 1000;
      const ref = Float32Array.from(track.f0Hz, (_, t) => f0PerSample[Math.min(f0PerSample.length - 1, Math.round(t * hop))] as number);
      // The voice starts and ends abruptly; leave out the edge frames.
      const inner = ref.map((hz, t) => (t < 8 || t > ref.length - 9 ? 0 : hz));
      const rpa = rawPitchAccuracy(inner, track.f0Hz);
      assert.ok(rpa >= 0.98, `RPA ${rpa}`);
    });
  }

  test('low male TTS voice (flite kal16): no voiced frames an octave or more above the voice', async () => {
    // Was 445-750 Hz runs in /o/-like vowels (a strong 5th harmonic winning over its F0) and
    // ~1000-1180 Hz blips in fricatives (energy near the analysis Nyquist frequency).
    for (const text of FIXTURE_SENTENCES.slice(0, 3)) {
      const audio = await makeSpeechFixture(text, 'flite:kal16');
      const track = estimateF0(audio.channels[0] as Float32Array, audio.sampleRate);
      const centre = median(track.f0Hz);
      assert.ok(centre > 60 && centre < 150, `median F0 ${centre} Hz for a low male voice`);
      const stray = track.f0Hz.filter((hz) => hz > 2 * centre);
      assert.equal(stray.length, 0, `"${text}": frames at ${Array.from(stray.slice(0, 8), (hz) => hz.toFixed(0)).join(', ')} Hz, median ${centre.toFixed(0)} Hz`);
    }
  });
});

/** Median of the non-zero (voiced) values, 0 when there are none. */
function median(f0Hz: Float32Array): number {
  const voiced = Array.from(f0Hz.filter((hz) => hz > 0)).sort((a, b) => a - b);
  return voiced.length > 0 ? (voiced[voiced.length >> 1] as number) : 0;
}
