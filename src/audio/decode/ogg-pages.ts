import { AutoVoiceError } from '../../errors/index.js';
import type { DecodeBudget } from './decode-budget.js';

/** What the page headers of an Ogg file declare (RFC 3533), read without decoding a packet. */
export interface OggPageScan {
  /** Pages whose length and checksum hold. */
  readonly pages: number;
  /**
   * Bounds on the decoded length, in granule units (samples; 48 kHz for Opus), summed over
   * chained streams. `max` is each stream's last granule position: no decoder may return more.
   * `min` counts only what follows the first page that ends a packet (a stream may start at a
   * non-zero granule), so it is exact up to that page's own samples.
   */
  readonly declaredSamples: { readonly min: number; readonly max: number };
}

const CAPTURE = 0x4f676753; // 'OggS'
const HEADER_BYTES = 27;

/** CRC-32 as Ogg uses it: polynomial 0x04c11db7, no reflection, initial value and final xor 0. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, i) => {
  let r = i << 24;
  for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});

function pageCrc(bytes: Uint8Array, start: number, end: number): number {
  const step = (crc: number, b: number): number =>
    ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ b) & 0xff] as number)) >>> 0;
  let crc = 0;
  for (let i = start; i < start + 22; i++) crc = step(crc, bytes[i] as number);
  for (let i = 0; i < 4; i++) crc = step(crc, 0); // the checksum field counts as zeros
  for (let i = start + 26; i < end; i++) crc = step(crc, bytes[i] as number);
  return crc;
}

function corrupt(message: string, details: Record<string, unknown>): AutoVoiceError {
  return new AutoVoiceError('audio.corrupt', `Damaged Ogg file: ${message}.`, details);
}

/**
 * Walks every page from `offset`, checking capture pattern, length and CRC, and sums the
 * granule positions of each logical stream. Throws audio.corrupt for a page that fails its
 * checksum, bytes between pages, or a file that ends inside a page (truncated: like a WAV data
 * chunk or FLAC stream that is shorter than its header says). Bytes after the last page that
 * hold no further page (an appended tag, padding) are ignored, as players do.
 */
export function scanOggPages(bytes: Uint8Array, offset: number, budget: DecodeBudget): OggPageScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Granules per logical stream; a chained file may reuse a serial number, so a beginning-of-
  // stream page always opens a new one.
  const streams: { first: number; last: number }[] = [];
  const current = new Map<number, { first: number; last: number }>();
  let pages = 0;
  let p = offset;
  while (p + 4 <= bytes.length) {
    if (view.getUint32(p) !== CAPTURE) {
      const next = findCapture(bytes, p + 1);
      if (next < 0) break; // trailing bytes that hold no page
      throw corrupt(`${next - p} bytes of garbage between pages at byte ${p}`, { byteOffset: p });
    }
    if (p + HEADER_BYTES > bytes.length || p + HEADER_BYTES + (bytes[p + 26] as number) > bytes.length) {
      throw corrupt(`truncated: the file ends inside the page header at byte ${p}`, { byteOffset: p });
    }
    const segments = bytes[p + 26] as number;
    let bodyBytes = 0;
    for (let i = 0; i < segments; i++) bodyBytes += bytes[p + HEADER_BYTES + i] as number;
    const end = p + HEADER_BYTES + segments + bodyBytes;
    if (end > bytes.length) {
      throw corrupt(
        `truncated: the page at byte ${p} declares ${end - p} bytes but only ${bytes.length - p} follow`,
        {
          byteOffset: p,
          declaredBytes: end - p,
          availableBytes: bytes.length - p,
        },
      );
    }
    if (pageCrc(bytes, p, end) !== view.getUint32(p + 22, true)) {
      throw corrupt(`the page at byte ${p} fails its checksum`, { byteOffset: p, page: pages });
    }
    // Granule -1 marks a page on which no packet ends; header pages carry 0.
    const granule = Number(view.getBigInt64(p + 6, true));
    const serial = view.getUint32(p + 14, true);
    let stream = current.get(serial);
    if (stream === undefined || ((bytes[p + 5] as number) & 2) !== 0) {
      stream = { first: -1, last: 0 };
      streams.push(stream);
      current.set(serial, stream);
    }
    if (granule > 0) {
      if (stream.first < 0) stream.first = granule;
      stream.last = Math.max(stream.last, granule);
    }
    pages++;
    p = end;
    if ((pages & 255) === 0) budget.checkTime();
  }
  let min = 0;
  let max = 0;
  for (const s of streams) {
    max += s.last;
    if (s.first >= 0) min += s.last - s.first;
  }
  return { pages, declaredSamples: { min, max } };
}

function findCapture(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= bytes.length; i++) {
    if (bytes[i] === 0x4f && bytes[i + 1] === 0x67 && bytes[i + 2] === 0x67 && bytes[i + 3] === 0x53)
      return i;
  }
  return -1;
}
