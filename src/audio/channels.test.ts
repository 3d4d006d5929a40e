import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mixToMono, remixChannels } from './channels.js';

const a = Float32Array.from([1, 0.5, -1]);
const b = Float32Array.from([0, 0.5, 1]);

describe('channel mixing', () => {
  test('mixToMono averages channels and copies mono', () => {
    assert.deepEqual([...mixToMono({ channels: [a, b], sampleRate: 8000 })], [0.5, 0.5, 0]);
    const mono = mixToMono({ channels: [a], sampleRate: 8000 });
    assert.deepEqual(mono, a);
    assert.notEqual(mono, a);
    assert.deepEqual([...mixToMono({ channels: [a, b, b, b], sampleRate: 8000 })], [0.25, 0.5, 0.5]);
  });

  test('remixChannels: mono up-mix copies, 5.1 folds down per ITU-R BS.775, others fold by index', () => {
    const up = remixChannels({ channels: [a], sampleRate: 8000 }, 2);
    assert.deepEqual(up.channels, [a, a]);
    const z = new Float32Array(3);
    const surround = remixChannels({ channels: [a, z, z, b, z, z], sampleRate: 8000 }, 2);
    const scale = 1 / (1 + Math.SQRT2);
    assert.ok(Math.abs(surround.channels[0]![0]! - scale) < 1e-6); // L only, LFE (b) dropped
    assert.equal(surround.channels[1]![0], 0);
    const four = remixChannels({ channels: [a, b, a, b], sampleRate: 8000 }, 2);
    assert.deepEqual(four.channels, [a, b]);
    const wider = remixChannels({ channels: [a, b], sampleRate: 8000 }, 4);
    assert.deepEqual([...wider.channels[3]!], [0, 0, 0]);
    assert.throws(() => remixChannels({ channels: [a], sampleRate: 8000 }, 1e6), { code: 'usage.invalid_argument' });
  });
});
