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
});
