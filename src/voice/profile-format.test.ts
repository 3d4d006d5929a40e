import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAutoVoiceError } from '../errors/index.js';
import { makeSyntheticProfile } from '../../tests/fixtures/voice-profile-fixture.js';
import { decodeVoiceProfile, decodeVoiceProfileMetadata, encodeVoiceProfile } from './profile-format.js';
import type { VoiceProfile } from './voice-profile.js';

function bytesOf(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('voice profile format', () => {
  test('encode → decode round-trips every array bit-exactly and every field', () => {
    const profile = makeSyntheticProfile('round trip', 7);
    // Values JSON cannot carry and odd bit patterns must survive too.
    profile.timbre.codebook[3] = NaN;
    profile.timbre.codebook[4] = -0;
    profile.timbre.codebook[5] = 1e-42; // subnormal
    const withInf: VoiceProfile = { ...profile, loudness: { integratedLufs: -Infinity, samplePeakDbfs: -3 } };
    const decoded = decodeVoiceProfile(encodeVoiceProfile(withInf));
    assert.ok(bytesOf(decoded.timbre.codebook).equals(bytesOf(profile.timbre.codebook)));
    assert.ok(bytesOf(decoded.embedding).equals(bytesOf(profile.embedding)));
    assert.ok(bytesOf(decoded.pitch.logF0Histogram).equals(bytesOf(profile.pitch.logF0Histogram)));
    assert.equal(decoded.loudness.integratedLufs, -Infinity);
    assert.equal(decoded.name, 'round trip');
    assert.deepEqual(decoded.sources, profile.sources);
    assert.deepEqual(decoded.report, profile.report);
    assert.equal(decoded.pitch.medianHz, profile.pitch.medianHz);
    // Encoding the decoded profile gives the same bytes again.
    assert.ok(Buffer.from(encodeVoiceProfile(decoded)).equals(Buffer.from(encodeVoiceProfile(withInf))));
  });

  test('metadata can be read without the binary section', () => {
    const bytes = encodeVoiceProfile(makeSyntheticProfile('meta', 2));
    const meta = decodeVoiceProfileMetadata(bytes.subarray(0, bytes.byteLength - 100));
    assert.equal(meta.name, 'meta');
  });

  test('damaged, truncated or foreign files fail with voice.invalid_profile', () => {
    const bytes = encodeVoiceProfile(makeSyntheticProfile('damaged', 3));
    const flipped = bytes.slice();
    flipped[flipped.length - 10] = (flipped[flipped.length - 10] as number) ^ 0xff;
    for (const bad of [
      flipped,
      bytes.subarray(0, bytes.length - 4),
      new TextEncoder().encode('RIFF....WAVEfmt '),
      new Uint8Array(3),
    ]) {
      assert.throws(
        () => decodeVoiceProfile(bad),
        (e) => isAutoVoiceError(e, 'voice.invalid_profile'),
      );
    }
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(8, 99, true);
    assert.throws(
      () => decodeVoiceProfile(future),
      (e) => isAutoVoiceError(e, 'voice.invalid_profile') && /version 99/.test((e as Error).message),
    );
  });

  test('metadata that departs from the format fails with voice.invalid_profile, naming the field', () => {
    const good = makeSyntheticProfile('edited', 4);
    const axis = good.timbre.axisHz.length;
    // Each file keeps a valid checksum: only its JSON was edited (or written by another tool).
    const cases: [string, unknown, RegExp][] = [
      ['no report', { ...good, report: undefined }, /report/],
      ['warnings not a list', { ...good, report: { ...good.report, warnings: 'none' } }, /report\.warnings/],
      ['unknown origin', { ...good, origin: 'hacked' }, /origin/],
      [
        'count as text',
        { ...good, timbre: { ...good.timbre, codebookFrames: '7' } },
        /timbre\.codebookFrames/,
      ],
      ['array as a list', { ...good, embedding: Array.from(good.embedding) }, /embedding/],
      [
        'envelope off the axis',
        { ...good, timbre: { ...good.timbre, meanVoicedLogEnvelope: new Float32Array(axis - 1) } },
        /meanVoicedLogEnvelope/,
      ],
      [
        'short histogram',
        { ...good, pitch: { ...good.pitch, logF0Histogram: new Float32Array(10) } },
        /logF0Histogram/,
      ],
      ['short embedding', { ...good, embedding: new Float32Array(3) }, /embedding/],
    ];
    for (const [name, profile, field] of cases) {
      const bytes = encodeVoiceProfile(profile as VoiceProfile);
      assert.throws(
        () => decodeVoiceProfile(bytes),
        (e) => isAutoVoiceError(e, 'voice.invalid_profile') && field.test((e as Error).message),
        name,
      );
      // Listings read the metadata alone; they must see the problem too, not crash on it later.
      if (name !== 'envelope off the axis' && name !== 'short histogram' && name !== 'short embedding') {
        assert.throws(
          () => decodeVoiceProfileMetadata(bytes),
          (e) => isAutoVoiceError(e, 'voice.invalid_profile'),
          name,
        );
      }
    }
  });
});
