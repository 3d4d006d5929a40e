import { ERROR_CODES, EXIT_CODE_BY_KIND, HTTP_STATUS_BY_KIND, type ErrorCode, type ErrorKind } from './error-codes.js';

/** Extra, JSON-serialisable facts about an error (limits, offending values, suggestions). */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * The single error class of AutoVoice. Every failure the product reports has a stable `code`
 * from the registry, a human `message` that says what would work, and optional `details`.
 * Services and the engine throw it; the HTTP layer and the CLI map it (see httpStatusOf /
 * exitCodeOf) — nothing else decides statuses.
 */
export class AutoVoiceError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AutoVoiceError';
    this.code = code;
    this.details = details;
  }

  /** The kind of error, which decides HTTP status and exit code. */
  get kind(): ErrorKind {
    return ERROR_CODES[this.code].kind;
  }

  /** JSON body part for APIs and `--json` CLI output. */
  toJSON(): { code: ErrorCode; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** True when `value` is an AutoVoiceError (optionally with the given code). */
export function isAutoVoiceError(value: unknown, code?: ErrorCode): value is AutoVoiceError {
  return value instanceof AutoVoiceError && (code === undefined || value.code === code);
}

/** Wraps anything thrown into an AutoVoiceError; unknown failures become `internal.error`. */
export function toAutoVoiceError(error: unknown): AutoVoiceError {
  if (error instanceof AutoVoiceError) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return new AutoVoiceError('operation.cancelled', 'The operation was cancelled.', undefined, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AutoVoiceError('internal.error', `Unexpected error: ${message}`, undefined, { cause: error });
}

/** HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS_BY_KIND[ERROR_CODES[code].kind];
}

/** CLI exit code for an error code (0 is success and never returned here). */
export function exitCodeOf(code: ErrorCode): number {
  return EXIT_CODE_BY_KIND[ERROR_CODES[code].kind];
}

/** Throws `operation.cancelled` when the signal has been aborted. Call between stages/chunks. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AutoVoiceError('operation.cancelled', 'The operation was cancelled.');
  }
}
