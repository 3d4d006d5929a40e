import { AutoVoiceError } from '../../errors/index.js';
import type { RawAudio } from '../raw-audio.js';

/** WAV sample encodings AutoVoice writes. */
export type WavSampleFormat = 'pcm16' | 'float32';

/** Channel masks for WAVE_FORMAT_EXTENSIBLE (speaker positions in the usual order). */
const CHANNEL_MASKS: Readonly<Record<number, number>> = { 1: 0x4, 2: 0x3, 3: 0x7, 4: 0x33, 5: 0x37, 6: 0x3f, 7: 0x13f, 8: 0x63f };

/**
 * Encodes RawAudio as a RIFF WAVE file: 16-bit PCM (rounded, clipped to [-1, 1), no dither) or
 * 32-bit IEEE float. More than two channels use WAVE_FORMAT_EXTENSIBLE with a channel mask, as
 * the format's specification asks.
 */
export function encodeWav(audio: RawAudio, sampleFormat: WavSampleFormat): Uint8Array {
  const channels = audio.channels.length;
  const frames = audio.channels[0]?.length ?? 0;
  const bytesPerSample = sampleFormat === 'pcm16' ? 2 : 4;
  const blockAlign = channels * bytesPerSample;
  const dataBytes = frames * blockAlign;
  if (channels < 1 || channels > 65535) {
    throw new AutoVoiceError('usage.invalid_argument', `WAV holds 1 to 65535 channels; the audio has ${channels}.`);
  }
  if (dataBytes > 0xffffffff - 100) {
    throw new AutoVoiceError('audio.unsupported_encoding', `The audio needs ${dataBytes} bytes; a WAV file holds at most 4 GiB. Use FLAC or split it.`);
  }
  const extensible = channels > 2;
  const formatTag = sampleFormat === 'pcm16' ? 1 : 3;
  const fmtBytes = extensible ? 40 : sampleFormat === 'float32' ? 18 : 16;
  const factBytes = sampleFormat === 'float32' ? 12 : 0; // non-PCM data requires a fact chunk
  const headerBytes = 12 + 8 + fmtBytes + factBytes + 8;
  const out = new Uint8Array(headerBytes + dataBytes);
  const view = new DataView(out.buffer);
  const writeAscii = (offset: number, s: string): void => {
    for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i));
  };

  writeAscii(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  writeAscii(8, 'WAVE');
  writeAscii(12, 'fmt ');
  view.setUint32(16, fmtBytes, true);
  view.setUint16(20, extensible ? 0xfffe : formatTag, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bytesPerSample * 8, true);
  let p = 36;
  if (fmtBytes >= 18) view.setUint16(36, fmtBytes - 18, true);
  if (extensible) {
    view.setUint16(38, bytesPerSample * 8, true);
    view.setUint32(40, CHANNEL_MASKS[channels] ?? 0, true);
    // KSDATAFORMAT_SUBTYPE_{PCM,IEEE_FLOAT}: the format tag followed by the standard GUID tail.
    out.set([formatTag, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 44);
  }
  p = 20 + fmtBytes;
  if (factBytes > 0) {
    writeAscii(p, 'fact');
    view.setUint32(p + 4, 4, true);
    view.setUint32(p + 8, frames, true);
    p += 12;
  }
  writeAscii(p, 'data');
  view.setUint32(p + 4, dataBytes, true);
  p += 8;

  audio.channels.forEach((samples, c) => {
    let q = p + c * bytesPerSample;
    if (sampleFormat === 'float32') {
      for (let i = 0; i < frames; i++, q += blockAlign) view.setFloat32(q, samples[i] as number, true);
    } else {
      for (let i = 0; i < frames; i++, q += blockAlign) {
        const v = Math.round((samples[i] as number) * 32768);
        view.setInt16(q, v > 32767 ? 32767 : v < -32768 ? -32768 : v, true);
      }
    }
  });
  return out;
}
