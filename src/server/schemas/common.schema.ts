import { Type, type TSchema } from 'typebox';

/** The one error body of the API. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code (see docs/api.md).' }),
      message: Type.String({ description: 'What went wrong and what would work.' }),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
    requestId: Type.String(),
  },
  { $id: 'ErrorBody', title: 'Error' },
);

/** Error responses by status, all with ErrorBody. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of statuses) out[status] = Type.Ref('ErrorBody');
  return out;
}

/** Statuses every authenticated route can answer. */
export const COMMON_ERRORS = [400, 401, 403, 429, 500];

/** `{id}` path parameter. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** Output audio format. */
export const AudioFormat = Type.Union([Type.Literal('wav'), Type.Literal('mp3'), Type.Literal('flac')], { description: 'Output encoding (wav when omitted; for results: the stored format).' });

/** One uploaded file in a multipart form (documentation: the server stores it and passes an id). */
export const UploadedFile = Type.String({ format: 'binary', description: 'An audio file (WAV, MP3, FLAC, Ogg, M4A).' });

/** Pitch option: `auto` or semitones such as `-3`, `+12`, `2.5`. */
export const PitchOption = Type.String({ pattern: '^(auto|[+-]?[0-9]{1,2}(\\.[0-9]+)?)$', default: 'auto', description: 'auto, or a shift in semitones (-24..24).' });

/** Parses PitchOption. */
export function parsePitch(value: string | undefined): 'auto' | number {
  return value === undefined || value === 'auto' ? 'auto' : Number(value);
}

/** Pagination query. The offset is bounded so that it stays an exact integer all the way to SQLite. */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 })),
};
