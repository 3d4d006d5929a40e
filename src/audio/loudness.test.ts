import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { kWeightingHighPass, kWeightingShelf } from './k-weighting.js';
import { measureIntegratedLoudness, measureLoudness } from './loudness.js';
import type { RawAudio } from './raw-audio.js';

/** A sine whose peak is `peakDbfs`, as EBU Tech 3341/3342 specify their test levels. */
function sine(frequencyHz: number, peakDbfs: number, seconds: number, sampleRate: number, phase = 0): Float32Array {
  const amplitude = 10 ** (peakDbfs / 20);
  const length = Math.round(seconds * sampleRate);
  return Float32Array.from({ length }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate + phase));
}

/** Concatenated 1 kHz segments [peakDbfs, seconds], the same in both channels. */
function sequence(segments: [number, number][], sampleRate: number, channels = 2): RawAudio {
  const parts = segments.map(([db, s]) => sine(1000, db, s, sampleRate));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const mono = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    mono.set(p, offset);
    offset += p.length;
  }
  return { channels: Array.from({ length: channels }, () => mono.slice()), sampleRate };
}

function assertNear(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual.toFixed(3)}, expected ${expected} ± ${tolerance}`);
}

describe('K-weighting', () => {
  test('reproduces the 48 kHz coefficients tabulated in ITU-R BS.1770-4', () => {
    const shelf = kWeightingShelf(48000);
    const hp = kWeightingHighPass(48000);
    const table = [
      [shelf.b0, 1.53512485958697],
      [shelf.b1, -2.69169618940638],
      [shelf.b2, 1.19839281085285],
      [shelf.a1, -1.69065929318241],
      [shelf.a2, 0.73248077421585],
      [hp.a1, -1.99004745483398],
      [hp.a2, 0.99007225036621],
    ];
    for (const [got, want] of table) assertNear(got!, want!, 1e-7, 'coefficient');
  });
});

describe('integrated loudness (BS.1770-4)', () => {
  test('997 Hz sine at -20 dBFS peak in one channel of a stereo file reads -23.0 LUFS', () => {
    for (const rate of [48000, 44100, 16000]) {
      const left = sine(997, -20, 10, rate);
      const integratedLufs = measureIntegratedLoudness({ channels: [left, new Float32Array(left.length)], sampleRate: rate });
      assertNear(integratedLufs, -23, 0.1, `${rate} Hz`);
    }
  });

  test('EBU Tech 3341 cases 1 and 2: stereo 1 kHz at -23 / -33 dBFS', () => {
    assertNear(measureLoudness(sequence([[-23, 20]], 48000)).integratedLufs, -23, 0.1, 'case 1');
    assertNear(measureIntegratedLoudness(sequence([[-33, 20]], 48000)), -33, 0.1, 'case 2');
  });

  test('EBU Tech 3341 cases 3-5: the gates ignore quiet passages', () => {
    const rate = 16000; // gating does not depend on the rate; a low one keeps the test fast
    const case3 = sequence([[-36, 10], [-23, 60], [-36, 10]], rate);
    const case4 = sequence([[-72, 10], [-36, 10], [-23, 60], [-36, 10], [-72, 10]], rate);
    const case5 = sequence([[-26, 20], [-20, 20.1], [-26, 20]], rate);
    assertNear(measureIntegratedLoudness(case3), -23, 0.1, 'case 3');
    assertNear(measureIntegratedLoudness(case4), -23, 0.1, 'case 4');
    assertNear(measureIntegratedLoudness(case5), -23, 0.1, 'case 5');
  });

  test('EBU Tech 3341 case 6: 5.0 channels with surround weighting', () => {
    const rate = 16000;
    const channels = [sine(1000, -28, 20, rate), sine(1000, -28, 20, rate), sine(1000, -24, 20, rate), sine(1000, -30, 20, rate), sine(1000, -30, 20, rate)];
    assertNear(measureIntegratedLoudness({ channels, sampleRate: rate }), -23, 0.1, 'case 6');
  });

  test('silence and audio shorter than one block read -Infinity', () => {
    assert.equal(measureLoudness({ channels: [new Float32Array(48000)], sampleRate: 48000 }).integratedLufs, -Infinity);
    assert.equal(measureLoudness({ channels: [sine(1000, -10, 0.3, 48000)], sampleRate: 48000 }).integratedLufs, -Infinity);
    assert.equal(measureLoudness({ channels: [new Float32Array(100)], sampleRate: 48000 }).samplePeakDbfs, -Infinity);
  });
});

describe('loudness range (EBU Tech 3342)', () => {
  const rate = 8000;
  for (const [name, segments, expected] of [
    ['case 1', [[-20, 20], [-30, 20]], 10],
    ['case 2', [[-20, 20], [-15, 20]], 5],
    ['case 3', [[-40, 20], [-20, 20]], 20],
    ['case 4', [[-50, 20], [-35, 20], [-20, 20], [-35, 20], [-50, 20]], 15],
  ] as [string, [number, number][], number][]) {
    test(`${name}: ${expected} LU`, () => {
      assertNear(measureLoudness(sequence(segments, rate)).loudnessRangeLu, expected, 1, name);
    });
  }
});

describe('peaks', () => {
  test('a full-scale sine at fs/4 sampled 45 degrees off its peaks: -3.01 dBFS sample peak, 0 dBTP true peak', () => {
    const x = sine(12000, 0, 1, 48000, Math.PI / 4);
    const m = measureLoudness({ channels: [x], sampleRate: 48000 });
    assertNear(m.samplePeakDbfs, -3.01, 0.01, 'sample peak');
    assertNear(m.truePeakDbtp, 0, 0.1, 'true peak');
  });

  test('true peak equals sample peak for a low tone', () => {
    const m = measureLoudness({ channels: [sine(100, -6, 1, 44100)], sampleRate: 44100 });
    assertNear(m.samplePeakDbfs, -6, 0.01, 'sample peak');
    assertNear(m.truePeakDbtp, -6, 0.02, 'true peak');
  });
});
