/**
 * The one registry of AutoVoice error codes. Every error the product raises carries one of
 * these stable string codes; the HTTP status and CLI exit code for each are derived here and
 * nowhere else. Codes are part of the public API (docs/errors.md lists them): never rename one.
 *
 * `kind` decides the mapping:
 * - `usage`      bad arguments or options from the caller        → HTTP 400, exit 2
 * - `input`      the audio/text given cannot be used             → HTTP 422, exit 3
 * - `format`     unsupported media type                          → HTTP 415, exit 3
 * - `too_large`  over a configured size/duration/count limit     → HTTP 413, exit 3
 * - `not_found`  a named thing does not exist                    → HTTP 404, exit 1
 * - `conflict`   state conflict (duplicate name, job not cancellable) → HTTP 409, exit 1
 * - `auth`       missing/invalid credentials                     → HTTP 401, exit 1
 * - `forbidden`  authenticated but not allowed                   → HTTP 403, exit 1
 * - `rate_limit` too many requests / queue full                  → HTTP 429, exit 1
 * - `unavailable` service not ready / shutting down              → HTTP 503, exit 1
 * - `cancelled`  the caller cancelled the operation              → HTTP 499-like (409), exit 1
 * - `internal`   a fault of ours                                 → HTTP 500, exit 1
 */
export type ErrorKind =
  | 'usage'
  | 'input'
  | 'format'
  | 'too_large'
  | 'not_found'
  | 'conflict'
  | 'auth'
  | 'forbidden'
  | 'rate_limit'
  | 'unavailable'
  | 'cancelled'
  | 'internal';

/** Code → kind and a one-line description (the description is documentation, not the message). */
export const ERROR_CODES = {
  // ── generic ────────────────────────────────────────────────────────────────
  'usage.invalid_argument': { kind: 'usage', description: 'An argument or option has an invalid value.' },
  'usage.missing_argument': { kind: 'usage', description: 'A required argument or option is missing.' },
  'operation.cancelled': { kind: 'cancelled', description: 'The operation was cancelled by the caller.' },
  'internal.error': { kind: 'internal', description: 'An unexpected internal error.' },

  // ── audio (src/audio) ──────────────────────────────────────────────────────
  'audio.empty': { kind: 'input', description: 'The input holds no bytes.' },
  'audio.unsupported_format': { kind: 'format', description: 'The container or codec is not one AutoVoice decodes.' },
  'audio.corrupt': { kind: 'input', description: 'The data is damaged or truncated and cannot be decoded.' },
  'audio.invalid_header': { kind: 'input', description: 'The header declares impossible values (sample rate, channels, bit depth).' },
  'audio.no_samples': { kind: 'input', description: 'The file decodes to zero samples.' },
  'audio.silent': { kind: 'input', description: 'The audio is digital silence where sound is required.' },
  'audio.invalid_samples': { kind: 'input', description: 'The audio holds NaN or infinite sample values, or values far beyond full scale (over ±1000, +60 dBFS).' },
  'audio.unsupported_sample_rate': { kind: 'input', description: 'The sample rate of the audio is below what the voice engine works with (8000 Hz).' },
  'audio.too_large': { kind: 'too_large', description: 'The input exceeds the configured maximum size in bytes.' },
  'audio.too_long': { kind: 'too_large', description: 'The audio exceeds the configured maximum duration.' },
  'audio.decode_timeout': { kind: 'input', description: 'Decoding exceeded its time budget.' },
  'audio.unsupported_encoding': { kind: 'usage', description: 'The requested output encoding is not supported.' },

  // ── dsp (src/dsp) ──────────────────────────────────────────────────────────
  'dsp.invalid_option': { kind: 'usage', description: 'An analysis/synthesis option is out of range.' },
  'dsp.input_too_short': { kind: 'input', description: 'The signal is shorter than the analysis needs.' },

  // ── voice (src/voice) ──────────────────────────────────────────────────────
  'voice.too_short': { kind: 'input', description: 'Too little voiced audio to build a profile (about 5 s of voiced speech or singing is needed).' },
  'voice.clipped': { kind: 'input', description: 'The recording is heavily clipped.' },
  'voice.no_voice': { kind: 'input', description: 'No voice found: the audio is noise, music or silence.' },
  'voice.not_found': { kind: 'not_found', description: 'No voice profile with that id or name.' },
  'voice.name_taken': { kind: 'conflict', description: 'A voice profile with that name already exists.' },
  'voice.invalid_profile': { kind: 'input', description: 'A profile file is damaged or of an unknown version.' },

  // ── tts (src/tts) ──────────────────────────────────────────────────────────
  'tts.text_empty': { kind: 'usage', description: 'The text to speak is empty.' },
  'tts.text_too_long': { kind: 'too_large', description: 'The text exceeds the maximum length.' },
  'tts.unknown_engine': { kind: 'not_found', description: 'No TTS engine with that id.' },
  'tts.unknown_voice': { kind: 'not_found', description: 'No TTS voice with that id in the engine.' },
  'tts.invalid_ssml': { kind: 'usage', description: 'The SSML markup is malformed or uses unsupported elements.' },
  'tts.engine_failed': { kind: 'internal', description: 'The TTS engine failed to synthesise.' },

  // ── models (src/models) ────────────────────────────────────────────────────
  'model.not_found': { kind: 'not_found', description: 'The model file does not exist.' },
  'model.invalid': { kind: 'input', description: 'The model file cannot be loaded or has unexpected inputs/outputs.' },

  // ── separation (src/separation) ────────────────────────────────────────────
  'separation.unknown_engine': { kind: 'usage', description: 'No separation engine with that id.' },

  // ── quality (src/quality) ──────────────────────────────────────────────────
  'quality.invalid_input': { kind: 'usage', description: 'A metric was given inputs it cannot compare (mismatched lengths or grids, empty or non-finite data).' },

  // ── service (src/server, src/jobs, src/storage) ────────────────────────────
  'request.invalid': { kind: 'usage', description: 'The request failed schema validation.' },
  'request.unsupported_media_type': { kind: 'format', description: 'The request body has an unsupported content type.' },
  'request.too_large': { kind: 'too_large', description: 'The request body, upload or file count exceeds a limit.' },
  'route.not_found': { kind: 'not_found', description: 'No such route.' },
  'auth.required': { kind: 'auth', description: 'An API key is required.' },
  'auth.invalid_key': { kind: 'auth', description: 'The API key is unknown or revoked.' },
  'auth.forbidden': { kind: 'forbidden', description: 'The key may not perform this action.' },
  'rate.limited': { kind: 'rate_limit', description: 'Too many requests; retry after the time given.' },
  'queue.full': { kind: 'rate_limit', description: 'The job queue is full; retry later.' },
  'job.not_found': { kind: 'not_found', description: 'No job with that id.' },
  'job.not_finished': { kind: 'conflict', description: 'The job has no result yet.' },
  'job.not_cancellable': { kind: 'conflict', description: 'The job already finished.' },
  'job.attempts_exhausted': { kind: 'internal', description: 'The job was interrupted too many times and gave up.' },
  'job.result_expired': { kind: 'not_found', description: 'The job result expired and was removed.' },
  'batch.not_found': { kind: 'not_found', description: 'No batch with that id.' },
  'idempotency.conflict': { kind: 'conflict', description: 'The Idempotency-Key was used with a different request.' },
  'service.unavailable': { kind: 'unavailable', description: 'The service is not ready or is shutting down.' },
  'config.invalid': { kind: 'usage', description: 'A configuration value is invalid.' },
  'feature.unavailable': { kind: 'unavailable', description: 'The pipeline behind this endpoint is not installed in this build.' },
  'api_key.not_found': { kind: 'not_found', description: 'No API key with that id.' },
  'job.worker_crashed': { kind: 'internal', description: 'The worker running the job stopped unexpectedly.' },
} as const satisfies Record<string, { kind: ErrorKind; description: string }>;

/** A stable AutoVoice error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** HTTP status for each error kind (the Fastify error handler uses this and only this). */
export const HTTP_STATUS_BY_KIND: Record<ErrorKind, number> = {
  usage: 400,
  input: 422,
  format: 415,
  too_large: 413,
  not_found: 404,
  conflict: 409,
  auth: 401,
  forbidden: 403,
  rate_limit: 429,
  unavailable: 503,
  cancelled: 409,
  internal: 500,
};

/** CLI exit code for each error kind: 2 bad usage, 3 unusable input, 1 otherwise. */
export const EXIT_CODE_BY_KIND: Record<ErrorKind, number> = {
  usage: 2,
  input: 3,
  format: 3,
  too_large: 3,
  not_found: 1,
  conflict: 1,
  auth: 1,
  forbidden: 1,
  rate_limit: 1,
  unavailable: 1,
  cancelled: 1,
  internal: 1,
};
