import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { SPEAKER_EMBEDDING_LENGTH } from '../quality/speaker-embedding.js';
import { F0_HISTOGRAM_BIN_COUNT, type VoiceProfile } from './voice-profile.js';

/**
 * The shape a profile file's JSON must have before anything reads it. The CRC only proves the
 * binary section is intact; the metadata is plain JSON anyone can edit, and one stored profile
 * missing a field used to make every listing and conversion fail. So imports, listings and
 * loads check it here, and a bad file is `voice.invalid_profile` (refused on import, left out of
 * listings) instead of a crash later. Unknown fields are allowed (the format's compatibility rule).
 */

/** A Float32Array, replaced in the JSON by a reference into the file's array table. */
const ArrayRef = Type.Object({ $array: Type.Integer({ minimum: 0 }) }, { additionalProperties: false });
/** A number; `{ "$number": "-Infinity" }` for values JSON cannot hold (loudness of silence). */
const NumberValue = Type.Union([Type.Number(), Type.Object({ $number: Type.String() })]);
const Count = Type.Integer({ minimum: 0 });

const PitchRange = Type.Object({
  lowHz: NumberValue,
  highHz: NumberValue,
  medianHz: NumberValue,
  lowNote: Type.String(),
  highNote: Type.String(),
});

const ProfileJson = Type.Object({
  formatVersion: Type.Integer({ minimum: 1 }),
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  ownerKeyId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  origin: Type.Union([Type.Literal('recordings'), Type.Literal('stock'), Type.Literal('imported')]),
  pitch: Type.Object({
    voicedFrames: Count,
    meanLogF0: NumberValue,
    stdLogF0: NumberValue,
    medianHz: NumberValue,
    lowHz: NumberValue,
    highHz: NumberValue,
    lowNote: Type.String(),
    medianNote: Type.String(),
    highNote: Type.String(),
    logF0Histogram: ArrayRef,
  }),
  timbre: Type.Object({
    axisHz: ArrayRef,
    maxObservedHz: NumberValue,
    meanVoicedLogEnvelope: ArrayRef,
    stdVoicedLogEnvelope: ArrayRef,
    meanUnvoicedLogEnvelope: ArrayRef,
    meanVoicedAperiodicity: ArrayRef,
    codebook: ArrayRef,
    codebookF0Hz: ArrayRef,
    codebookFrames: Count,
    voicedFrames: Count,
    unvoicedFrames: Count,
    vtlnWarpFactor: NumberValue,
  }),
  loudness: Type.Object({ integratedLufs: NumberValue, samplePeakDbfs: NumberValue }),
  embedding: ArrayRef,
  sources: Type.Array(
    Type.Object({
      durationSeconds: NumberValue,
      voicedSeconds: NumberValue,
      sampleRate: NumberValue,
      label: Type.Optional(Type.String()),
    }),
  ),
  report: Type.Object({
    totalSeconds: NumberValue,
    voicedSeconds: NumberValue,
    pitchRange: PitchRange,
    estimatedSnrDb: NumberValue,
    clippedFraction: NumberValue,
    warnings: Type.Array(Type.String()),
    nearestProfile: Type.Optional(
      Type.Object({ id: Type.String(), name: Type.String(), similarity: NumberValue }),
    ),
  }),
});

const ProfileFileJson = Type.Object({
  format: Type.String(),
  formatVersion: Type.Integer({ minimum: 1 }),
  profile: ProfileJson,
  arrays: Type.Array(Type.Object({ path: Type.String(), offset: Count, length: Count })),
  binary: Type.Object({ byteLength: Count, crc32: Count }),
});

/**
 * The first way a profile file's JSON part (the profile with its arrays as references, the
 * array table, the binary section's size and checksum) departs from the format, or undefined.
 */
export function profileFileProblem(json: unknown): string | undefined {
  return firstProblem(ProfileFileJson, json);
}

/**
 * The first inconsistency between a decoded profile's arrays and its counts, or undefined: every
 * per-axis array as long as the axis, the codebook `codebookFrames` × axis, the histogram and the
 * embedding as long as the code that reads them expects.
 */
export function profileArraysProblem(profile: VoiceProfile): string | undefined {
  const { timbre: t, pitch } = profile;
  const points = t.axisHz.length;
  if (points === 0) return 'timbre.axisHz is empty';
  for (const [name, values] of [
    ['meanVoicedLogEnvelope', t.meanVoicedLogEnvelope],
    ['stdVoicedLogEnvelope', t.stdVoicedLogEnvelope],
    ['meanUnvoicedLogEnvelope', t.meanUnvoicedLogEnvelope],
    ['meanVoicedAperiodicity', t.meanVoicedAperiodicity],
  ] as const) {
    if (values.length !== points)
      return `timbre.${name} has ${values.length} values for ${points} axis points`;
  }
  if (t.codebook.length !== t.codebookFrames * points) return 'codebook size does not match its frame count';
  if (t.codebookF0Hz.length !== t.codebookFrames)
    return 'codebookF0Hz does not match the codebook frame count';
  if (pitch.logF0Histogram.length !== F0_HISTOGRAM_BIN_COUNT)
    return `pitch.logF0Histogram has ${pitch.logF0Histogram.length} bins, expected ${F0_HISTOGRAM_BIN_COUNT}`;
  if (profile.embedding.length !== SPEAKER_EMBEDDING_LENGTH)
    return `embedding has ${profile.embedding.length} values, expected ${SPEAKER_EMBEDDING_LENGTH}`;
  return undefined;
}

function firstProblem(schema: TSchema, value: unknown): string | undefined {
  if (Value.Check(schema, value)) return undefined;
  const first = [...Value.Errors(schema, value)][0];
  if (first === undefined) return 'metadata does not match the format';
  const where = first.instancePath === '' ? 'metadata' : first.instancePath.slice(1).replaceAll('/', '.');
  return `${where} ${first.message}`;
}
