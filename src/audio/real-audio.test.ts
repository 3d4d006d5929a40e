// The audio layer on a real recording: vocadito track 1 (33 s of solo singing, 44.1 kHz mono
// 16-bit WAV, CC BY 4.0 — see ../shared/data/vocadito/SOURCE.md). Skips when the folder is absent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeAudio, encodeAudio, measureLoudness, readAudioFile, resample } from './index.js';

const path = fileURLToPath(new URL('../../../shared/data/vocadito/vocadito_1.wav', import.meta.url));
const skip = existsSync(path) ? false : `vocadito not found at ${path} (../shared/data is absent): skipping real-audio checks`;

describe('real recording (vocadito_1.wav)', { skip }, () => {
  test('decodes with the right shape, and its loudness matches FFmpeg ebur128', async () => {
    const { audio, info } = await readAudioFile(path);
    assert.equal(info.container, 'wav');
    assert.equal(info.codec, 'pcm_s16le');
    assert.equal(info.sampleRate, 44100);
    assert.equal(info.channels, 1);
    assert.ok(Math.abs(info.durationSeconds - 33.21) < 0.01);
    // FFmpeg 5.1 `-af ebur128=peak=true+sample` on this file: I -35.7 LUFS, LRA 4.9 LU, peaks -17.8.
    const m = measureLoudness(audio);
    assert.ok(Math.abs(m.integratedLufs + 35.7) < 0.1, `integrated ${m.integratedLufs}`);
    assert.ok(Math.abs(m.loudnessRangeLu - 4.9) < 0.5, `LRA ${m.loudnessRangeLu}`);
    assert.ok(Math.abs(m.samplePeakDbfs + 17.84) < 0.05, `sample peak ${m.samplePeakDbfs}`);
    assert.ok(Math.abs(m.truePeakDbtp + 17.8) < 0.2, `true peak ${m.truePeakDbtp}`);
  });

  test('FLAC round trip is bit-exact; 16 kHz resampling keeps the loudness', async () => {
    const { audio } = await readAudioFile(path);
    const back = await decodeAudio(await encodeAudio(audio, 'flac'));
    assert.deepEqual(back.audio.channels[0], audio.channels[0]);
    const at16k = { channels: [resample(audio.channels[0]!, 44100, 16000)], sampleRate: 16000 };
    // The voice sits below 8 kHz, so the K-weighted loudness barely moves.
    assert.ok(Math.abs(measureLoudness(at16k).integratedLufs - measureLoudness(audio).integratedLufs) < 0.3);
  });
});
