import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCandidateTable } from './pitch-candidates.js';
import { trackPitch, type PitchTrackerCosts } from './pitch-tracker.js';

/** One candidate (lag 40) per frame with the given periodicities. */
function tableOf(strengths: number[]): ReturnType<typeof createCandidateTable> {
  const table = createCandidateTable(strengths.length, 1);
  strengths.forEach((s, t) => {
    table.lag[t] = 40;
    table.strength[t] = s;
    table.count[t] = 1;
    table.level[t] = 1;
  });
  return table;
}

const costs: PitchTrackerCosts = {
  voicingThreshold: 0.58,
  pitchJumpCostPerOctave: 1,
  voicingChangeCost: 0.8,
  silenceLevel: 1e-9,
};

describe('trackPitch unvoicedEndCost', () => {
  // Clearly voiced, then a weak dip that runs to the end of the table (as in a streaming window).
  const strengths = [0.95, 0.95, 0.95, 0.95, 0.35, 0.35, 0.35];

  test('without it, a dip at the end of the table ends the voiced path', () => {
    const choice = new Int8Array(strengths.length);
    trackPitch(tableOf(strengths), costs, false, choice);
    assert.deepEqual(Array.from(choice), [0, 0, 0, 0, -1, -1, -1]);
  });

  test('with it (input goes on), the dip is bridged as voiced', () => {
    const choice = new Int8Array(strengths.length);
    trackPitch(tableOf(strengths), { ...costs, unvoicedEndCost: 0.8 }, false, choice);
    assert.deepEqual(Array.from(choice), [0, 0, 0, 0, 0, 0, 0]);
  });

  test('a long clearly unvoiced end stays unvoiced', () => {
    const weak = [0.95, 0.95, 0.1, 0.1, 0.1, 0.1, 0.1];
    const choice = new Int8Array(weak.length);
    trackPitch(tableOf(weak), { ...costs, unvoicedEndCost: 0.8 }, false, choice);
    assert.deepEqual(Array.from(choice), [0, 0, -1, -1, -1, -1, -1]);
  });
});

describe('trackPitch fixed-lag decisions', () => {
  // Voiced, a two-frame dip, voiced again: worth bridging only for a path that sees the return.
  const strengths = [0.95, 0.95, 0.95, 0.95, 0.3, 0.3, 0.95, 0.95, 0.95, 0.95];

  test('the whole path bridges the dip', () => {
    const choice = new Int8Array(strengths.length);
    trackPitch(tableOf(strengths), costs, false, choice);
    assert.deepEqual(Array.from(choice), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  test('one frame of look-ahead decides the dip as the stream would, before voice returns', () => {
    const choice = new Int8Array(strengths.length);
    const lagged = new Int8Array(strengths.length);
    trackPitch(tableOf(strengths), costs, false, choice, { frames: 1, out: lagged });
    assert.deepEqual(Array.from(lagged), [0, 0, 0, 0, -1, 0, 0, 0, 0, 0]);
    assert.deepEqual(
      Array.from(choice),
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      'the whole path, from the same pass',
    );
  });

  test('look-ahead that reaches past the dip gives the whole path', () => {
    const lagged = new Int8Array(strengths.length);
    trackPitch(tableOf(strengths), costs, false, new Int8Array(strengths.length), { frames: 3, out: lagged });
    assert.deepEqual(Array.from(lagged), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
