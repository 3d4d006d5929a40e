import { crc32 } from 'node:zlib';
import { AutoVoiceError } from '../errors/index.js';
import { profileArraysProblem, profileFileProblem } from './profile-schema.js';
import { VOICE_PROFILE_FORMAT_VERSION, type VoiceProfile } from './voice-profile.js';

/**
 * The single-file voice profile format (`.avp`), version 1 — see docs/voice-profile-format.md.
 *
 *   offset 0   8 bytes  magic "AVPROFIL"
 *   offset 8   u32 LE   format version
 *   offset 12  u32 LE   JSON byte length J (padded with spaces to a multiple of 8)
 *   offset 16  J bytes  UTF-8 JSON: { format, formatVersion, profile, arrays, binary }
 *   offset 16+J         binary section: the Float32 arrays, little-endian, back to back
 *
 * In `profile`, every Float32Array is replaced by `{ "$array": i }`, where `arrays[i]` gives its
 * `{ path, offset, length }` (offset in bytes from the start of the binary section, length in
 * elements). `binary` holds `{ byteLength, crc32 }` of the binary section. Arrays are copied as
 * raw bytes, so decode(encode(p)) is bit-exact (NaN payloads included).
 */

/** The 8-byte magic at the start of every profile file. */
export const VOICE_PROFILE_MAGIC = 'AVPROFIL';
/** The conventional file extension of an exported profile. */
export const VOICE_PROFILE_FILE_EXTENSION = '.avp';
const HEADER_BYTES = 16;
const FORMAT_NAME = 'autovoice-voice-profile';

interface ArrayEntry {
  readonly path: string;
  readonly offset: number;
  readonly length: number;
}

interface ProfileFileJson {
  readonly format: string;
  readonly formatVersion: number;
  readonly profile: unknown;
  readonly arrays: readonly ArrayEntry[];
  readonly binary: { readonly byteLength: number; readonly crc32: number };
}

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Raw little-endian bytes of a Float32Array (a copy; byte-swapped on big-endian hosts). */
function float32ToLeBytes(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes32(bytes);
  return bytes;
}

function leBytesToFloat32(bytes: Uint8Array): Float32Array {
  const copy = bytes.slice();
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes32(copy);
  return new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

function swapBytes32(bytes: Uint8Array): void {
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const a = bytes[i] as number;
    const b = bytes[i + 1] as number;
    bytes[i] = bytes[i + 3] as number;
    bytes[i + 1] = bytes[i + 2] as number;
    bytes[i + 2] = b;
    bytes[i + 3] = a;
  }
}

/** Replaces every Float32Array in `value` by a reference, collecting the arrays. */
function extractArrays(value: unknown, path: string, found: { path: string; data: Float32Array }[]): unknown {
  if (value instanceof Float32Array) {
    found.push({ path, data: value });
    return { $array: found.length - 1 };
  }
  if (ArrayBuffer.isView(value)) {
    throw new AutoVoiceError(
      'internal.error',
      `Profile field ${path} is a typed array other than Float32Array; the format stores Float32 only.`,
    );
  }
  if (Array.isArray(value)) return value.map((v, i) => extractArrays(v, `${path}[${i}]`, found));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = extractArrays(v, path === '' ? k : `${path}.${k}`, found);
    }
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    // JSON has no Infinity/NaN; encode them as strings that decode back (e.g. -Infinity LUFS).
    return { $number: String(value) };
  }
  return value;
}

function restoreArrays(value: unknown, arrays: readonly Float32Array[]): unknown {
  if (Array.isArray(value)) return value.map((v) => restoreArrays(v, arrays));
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$array === 'number' && Object.keys(record).length === 1) {
      const arr = arrays[record.$array];
      if (arr === undefined) throw invalid(`array reference ${record.$array} is out of range`);
      return arr;
    }
    if (typeof record.$number === 'string' && Object.keys(record).length === 1) {
      return Number(record.$number);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) out[k] = restoreArrays(v, arrays);
    return out;
  }
  return value;
}

function invalid(reason: string): AutoVoiceError {
  return new AutoVoiceError(
    'voice.invalid_profile',
    `Not a valid AutoVoice profile file (${reason}); export it again with "autovoice profile export".`,
    {
      reason,
    },
  );
}

/** Serialises a profile to the single-file format (bytes). */
export function encodeVoiceProfile(profile: VoiceProfile): Uint8Array {
  const found: { path: string; data: Float32Array }[] = [];
  const profileJson = extractArrays(profile, '', found);
  const arrays: ArrayEntry[] = [];
  let offset = 0;
  for (const a of found) {
    arrays.push({ path: a.path, offset, length: a.data.length });
    offset += a.data.byteLength;
  }
  const binary = new Uint8Array(offset);
  for (let i = 0; i < found.length; i++) {
    binary.set(float32ToLeBytes((found[i] as { data: Float32Array }).data), (arrays[i] as ArrayEntry).offset);
  }
  const doc: ProfileFileJson = {
    format: FORMAT_NAME,
    formatVersion: VOICE_PROFILE_FORMAT_VERSION,
    profile: profileJson,
    arrays,
    binary: { byteLength: binary.byteLength, crc32: crc32(binary) },
  };
  let json = new TextEncoder().encode(JSON.stringify(doc));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(HEADER_BYTES + json.byteLength + binary.byteLength);
  out.set(new TextEncoder().encode(VOICE_PROFILE_MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, VOICE_PROFILE_FORMAT_VERSION, true);
  view.setUint32(12, json.byteLength, true);
  out.set(json, HEADER_BYTES);
  out.set(binary, HEADER_BYTES + json.byteLength);
  return out;
}

/** Bytes needed to read the JSON part of a file whose first 16 bytes are `header`. */
export function voiceProfileHeaderLength(header: Uint8Array): number {
  if (header.byteLength < HEADER_BYTES) throw invalid('file shorter than its 16-byte header');
  const magic = new TextDecoder().decode(header.subarray(0, 8));
  if (magic !== VOICE_PROFILE_MAGIC) throw invalid('wrong magic bytes');
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  return HEADER_BYTES + view.getUint32(12, true);
}

function parseJsonPart(bytes: Uint8Array): ProfileFileJson {
  const jsonEnd = voiceProfileHeaderLength(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version < 1 || version > VOICE_PROFILE_FORMAT_VERSION) {
    throw new AutoVoiceError(
      'voice.invalid_profile',
      `Profile format version ${version} is not supported (this AutoVoice reads 1..${VOICE_PROFILE_FORMAT_VERSION}); upgrade AutoVoice.`,
      {
        formatVersion: version,
      },
    );
  }
  if (bytes.byteLength < jsonEnd) throw invalid('truncated JSON metadata');
  let doc: ProfileFileJson;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER_BYTES, jsonEnd))) as ProfileFileJson;
  } catch {
    throw invalid('metadata is not valid JSON');
  }
  if (doc === null || typeof doc !== 'object' || doc.format !== FORMAT_NAME)
    throw invalid('metadata lacks its format name');
  const problem = profileFileProblem(doc);
  if (problem !== undefined) throw invalid(problem);
  return doc;
}

/**
 * Reads only the metadata of a profile file (no arrays; they stay `{ $array: i }` references).
 * `bytes` needs to hold at least voiceProfileHeaderLength(bytes) bytes. For listings.
 */
export function decodeVoiceProfileMetadata(bytes: Uint8Array): Record<string, unknown> {
  return parseJsonPart(bytes).profile as Record<string, unknown>;
}

/** Parses a profile file (bytes) back into a profile; throws `voice.invalid_profile` when damaged. */
export function decodeVoiceProfile(bytes: Uint8Array): VoiceProfile {
  const doc = parseJsonPart(bytes);
  const binStart = voiceProfileHeaderLength(bytes);
  const binary = bytes.subarray(binStart);
  if (binary.byteLength !== doc.binary.byteLength)
    throw invalid(`binary section holds ${binary.byteLength} bytes, expected ${doc.binary.byteLength}`);
  if (crc32(binary) !== doc.binary.crc32) throw invalid('binary section checksum mismatch');
  const arrays = doc.arrays.map((entry) => {
    const end = entry.offset + entry.length * 4;
    if (
      !Number.isInteger(entry.offset) ||
      entry.offset < 0 ||
      entry.offset % 4 !== 0 ||
      end > binary.byteLength
    ) {
      throw invalid(`array ${entry.path} lies outside the binary section`);
    }
    return leBytesToFloat32(binary.subarray(entry.offset, end));
  });
  const profile = restoreArrays(doc.profile, arrays) as VoiceProfile;
  validateDecodedProfile(profile);
  return profile;
}

function validateDecodedProfile(p: VoiceProfile): void {
  const problem = profileArraysProblem(p);
  if (problem !== undefined) throw invalid(problem);
}
