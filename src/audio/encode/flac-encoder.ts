import { createHash } from 'node:crypto';
import { AutoVoiceError } from '../../errors/index.js';
import type { RawAudio } from '../raw-audio.js';
import { BitWriter } from './bit-writer.js';
import type { EncodeOptions } from './encode-audio.js';
import { encodeFlacSubframe } from './flac-subframe.js';

/** Samples per channel per frame (FLAC's common default; block-size code 12). */
const BLOCK_SIZE = 4096;
/** FLAC channel-assignment codes for stereo decorrelation. */
const LEFT_SIDE = 8;
const RIGHT_SIDE = 9;
const MID_SIDE = 10;

const CRC8_TABLE = Uint8Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  return crc;
});
const CRC16_TABLE = Uint16Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

/** CRC-8 (polynomial 0x07) of a frame header. */
function crc8(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = CRC8_TABLE[crc ^ byte] as number;
  return crc;
}

/** CRC-16 (polynomial 0x8005) of a whole frame. */
function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (CRC16_TABLE[(crc >> 8) ^ byte] as number);
  return crc;
}

/** FLAC's UTF-8-like coding of the frame number. */
function writeFrameNumber(w: BitWriter, value: number): void {
  if (value < 0x80) return w.write(value, 8);
  const extra = value < 0x800 ? 1 : value < 0x10000 ? 2 : value < 0x200000 ? 3 : value < 0x4000000 ? 4 : 5;
  const lead = (0xff00 >> (extra + 1)) & 0xff;
  w.write(lead | Math.floor(value / 2 ** (6 * extra)), 8);
  for (let i = extra - 1; i >= 0; i--) w.write(0x80 | (Math.floor(value / 2 ** (6 * i)) & 0x3f), 8);
}

const STANDARD_RATE_CODES: Readonly<Record<number, number>> = {
  88200: 1, 176400: 2, 192000: 3, 8000: 4, 16000: 5, 22050: 6, 24000: 7, 32000: 8, 44100: 9, 48000: 10, 96000: 11,
};

/**
 * The frame header's sample-rate code. Stating the rate in every frame (rather than code 0,
 * "see STREAMINFO") keeps frames decodable by decoders that see frames without the metadata.
 */
function sampleRateCode(rateHz: number): number {
  const standard = STANDARD_RATE_CODES[rateHz];
  if (standard !== undefined) return standard;
  if (rateHz % 1000 === 0 && rateHz / 1000 <= 255) return 12;
  if (rateHz <= 65535) return 13;
  if (rateHz % 10 === 0 && rateHz / 10 <= 65535) return 14;
  return 0;
}

function quantize(samples: Float32Array, bitDepth: number): Int32Array {
  const scale = 2 ** (bitDepth - 1);
  const out = new Int32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round((samples[i] as number) * scale);
    out[i] = v >= scale ? scale - 1 : v < -scale ? -scale : v;
  }
  return out;
}

/** Sum of absolute second differences: a cheap stand-in for a channel's coded size. */
function roughCost(x: Int32Array): number {
  let cost = 0;
  for (let i = 2; i < x.length; i++) cost += Math.abs((x[i] as number) - 2 * (x[i - 1] as number) + (x[i - 2] as number));
  return cost;
}

/** Picks the cheapest stereo decorrelation for one block: returns channel assignment and subframe inputs. */
function decorrelate(left: Int32Array, right: Int32Array, bitDepth: number): { assignment: number; inputs: [Int32Array, number][] } {
  const side = new Int32Array(left.length);
  const mid = new Int32Array(left.length);
  for (let i = 0; i < left.length; i++) {
    side[i] = (left[i] as number) - (right[i] as number);
    mid[i] = ((left[i] as number) + (right[i] as number)) >> 1;
  }
  const [l, r, s, m] = [roughCost(left), roughCost(right), roughCost(side), roughCost(mid)];
  const options: [number, number, [Int32Array, number][]][] = [
    [l + r, 1, [[left, bitDepth], [right, bitDepth]]],
    [l + s, LEFT_SIDE, [[left, bitDepth], [side, bitDepth + 1]]],
    [s + r, RIGHT_SIDE, [[side, bitDepth + 1], [right, bitDepth]]],
    [m + s, MID_SIDE, [[mid, bitDepth], [side, bitDepth + 1]]],
  ];
  options.sort((a, b) => a[0] - b[0]);
  const best = options[0] as [number, number, [Int32Array, number][]];
  return { assignment: best[1], inputs: best[2] };
}

function writeStreamInfo(w: BitWriter, audio: RawAudio, bitDepth: number, totalSamples: number, md5: Uint8Array): void {
  w.write(0x664c6143, 32); // 'fLaC'
  w.write(1, 1); // last metadata block
  w.write(0, 7); // STREAMINFO
  w.write(34, 24);
  w.write(BLOCK_SIZE, 16);
  w.write(BLOCK_SIZE, 16);
  w.write(0, 24); // min/max frame size unknown
  w.write(0, 24);
  w.write(audio.sampleRate, 20);
  w.write(audio.channels.length - 1, 3);
  w.write(bitDepth - 1, 5);
  w.write(totalSamples, 36);
  for (const byte of md5) w.write(byte, 8);
}

/** MD5 of the interleaved little-endian samples, as STREAMINFO defines it. */
function signatureOf(channels: Int32Array[], bitDepth: number): Uint8Array {
  const hash = createHash('md5');
  const bytesPerSample = bitDepth / 8;
  const length = channels[0]?.length ?? 0;
  const chunkFrames = 16384;
  const buffer = Buffer.alloc(chunkFrames * channels.length * bytesPerSample);
  for (let start = 0; start < length; start += chunkFrames) {
    const end = Math.min(length, start + chunkFrames);
    let p = 0;
    for (let i = start; i < end; i++) {
      for (const ch of channels) {
        buffer.writeIntLE(ch[i] as number, p, bytesPerSample);
        p += bytesPerSample;
      }
    }
    hash.update(buffer.subarray(0, p));
  }
  return new Uint8Array(hash.digest());
}

/**
 * Encodes RawAudio as native FLAC (16- or 24-bit, fixed 4096-sample blocks, fixed-predictor
 * subframes with partitioned Rice coding, stereo decorrelation, MD5 signature). Lossless
 * for the quantised samples: decoding gives back round(x·2^(bits-1)) exactly.
 */
export function encodeFlac(audio: RawAudio, options: EncodeOptions): Uint8Array {
  const bitDepth = options.flacBitDepth;
  if (bitDepth !== 16 && bitDepth !== 24) {
    throw new AutoVoiceError('usage.invalid_argument', `flacBitDepth must be 16 or 24 (got ${String(bitDepth)}).`);
  }
  if (audio.channels.length > 8) {
    throw new AutoVoiceError('audio.unsupported_encoding', `FLAC holds at most 8 channels; the audio has ${audio.channels.length}. Remix it first.`);
  }
  if (audio.sampleRate > 655350) {
    throw new AutoVoiceError('audio.unsupported_encoding', `FLAC holds sample rates up to 655350 Hz (got ${audio.sampleRate}).`);
  }
  const channels = audio.channels.map((c) => quantize(c, bitDepth));
  const total = channels[0]?.length ?? 0;
  const w = new BitWriter(Math.max(1 << 16, total * channels.length * (bitDepth / 8)));
  writeStreamInfo(w, audio, bitDepth, total, signatureOf(channels, bitDepth));

  const rateCode = sampleRateCode(audio.sampleRate);
  for (let start = 0, frame = 0; start < total; start += BLOCK_SIZE, frame++) {
    const n = Math.min(BLOCK_SIZE, total - start);
    const blocks = channels.map((c) => c.subarray(start, start + n));
    const { assignment, inputs } =
      blocks.length === 2
        ? decorrelate(blocks[0] as Int32Array, blocks[1] as Int32Array, bitDepth)
        : { assignment: blocks.length - 1, inputs: blocks.map((b): [Int32Array, number] => [b, bitDepth]) };
    const frameStart = w.byteLength;
    w.write(0xfff8, 16); // sync code, fixed block size
    const sizeCode = n === BLOCK_SIZE ? 12 : n <= 256 ? 6 : 7;
    w.write(sizeCode, 4);
    w.write(rateCode, 4);
    w.write(assignment, 4);
    w.write(bitDepth === 16 ? 4 : 6, 3);
    w.write(0, 1);
    writeFrameNumber(w, frame);
    if (sizeCode === 6) w.write(n - 1, 8);
    else if (sizeCode === 7) w.write(n - 1, 16);
    if (rateCode === 12) w.write(audio.sampleRate / 1000, 8);
    else if (rateCode === 13) w.write(audio.sampleRate, 16);
    else if (rateCode === 14) w.write(audio.sampleRate / 10, 16);
    w.write(crc8(w.bytes(frameStart)), 8);
    for (const [samples, bits] of inputs) encodeFlacSubframe(w, samples, bits);
    w.alignToByte();
    w.write(crc16(w.bytes(frameStart)), 16);
  }
  return w.bytes().slice();
}
