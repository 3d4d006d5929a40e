/**
 * The table of configuration fields: where each lives in AppConfig, which environment variables
 * set it, how it is parsed and its default. loadConfig walks this table once; nothing else
 * reads the environment.
 */

/** How a raw value (env string or file JSON value) becomes a typed one; returns an error text on failure. */
export type FieldParser = (raw: unknown) => { value: unknown } | { error: string };

/** One configuration field. `defaultValue` may depend on the env (e.g. auth on in production). */
export interface ConfigField {
  readonly path: string;
  readonly env: readonly string[];
  readonly parse: FieldParser;
  readonly defaultValue: (env: NodeJS.ProcessEnv) => unknown;
  readonly help: string;
}

/** Integer in [min, max]. */
export function intField(min: number, max: number): FieldParser {
  return (raw) => {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (!Number.isInteger(n) || n < min || n > max) return { error: `expected an integer from ${min} to ${max}` };
    return { value: n };
  };
}

/** Number of megabytes (may be fractional) in (0, maxMb], stored as bytes. */
export function megabytesField(maxMb: number): FieldParser {
  return (raw) => {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (!Number.isFinite(n) || n <= 0 || n > maxMb) return { error: `expected a size in MB above 0 and at most ${maxMb}` };
    return { value: Math.round(n * 1024 * 1024) };
  };
}

/** One of the listed strings. */
export function enumField(values: readonly string[]): FieldParser {
  return (raw) => {
    const s = String(raw).trim().toLowerCase();
    return values.includes(s) ? { value: s } : { error: `expected one of ${values.join(', ')}` };
  };
}

/** true/false, 1/0, yes/no. */
export const boolField: FieldParser = (raw) => {
  if (typeof raw === 'boolean') return { value: raw };
  const s = String(raw).trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return { value: true };
  if (['0', 'false', 'no', 'off'].includes(s)) return { value: false };
  return { error: 'expected true or false' };
};

/** Non-empty string. */
export const stringField: FieldParser = (raw) => {
  const s = String(raw).trim();
  return s.length > 0 ? { value: s } : { error: 'expected a non-empty string' };
};

/** Comma-separated list (or a JSON array in the file). */
export const listField: FieldParser = (raw) => {
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return { value: items.map((s) => s.trim()).filter((s) => s.length > 0) };
};

/** API keys must be long enough to resist guessing. */
const secretField: FieldParser = (raw) => {
  const s = String(raw).trim();
  return s.length >= 24 ? { value: s } : { error: 'expected at least 24 characters' };
};

const isProduction = (env: NodeJS.ProcessEnv): boolean => env.NODE_ENV === 'production';

/** Every configuration field, in the order `config print` shows them. */
export const CONFIG_FIELDS: readonly ConfigField[] = [
  { path: 'dataDir', env: ['AUTOVOICE_DATA_DIR'], parse: stringField, defaultValue: () => './data', help: 'Data directory (database, uploads, results, voices).' },
  { path: 'server.host', env: ['AUTOVOICE_HOST'], parse: stringField, defaultValue: () => '127.0.0.1', help: 'Bind address; 0.0.0.0 to listen on every interface (e.g. in a container).' },
  { path: 'server.port', env: ['AUTOVOICE_PORT', 'PORT'], parse: intField(0, 65535), defaultValue: () => 5000, help: 'TCP port (0 = any free port).' },
  { path: 'server.bodyLimitBytes', env: ['AUTOVOICE_BODY_LIMIT_MB'], parse: megabytesField(100), defaultValue: () => 1024 * 1024, help: 'Largest JSON body.' },
  { path: 'server.corsOrigins', env: ['AUTOVOICE_CORS_ORIGINS'], parse: listField, defaultValue: () => [], help: 'Comma-separated CORS allowlist.' },
  { path: 'server.trustProxy', env: ['AUTOVOICE_TRUST_PROXY'], parse: boolField, defaultValue: () => false, help: 'Trust X-Forwarded-For (behind a reverse proxy).' },
  { path: 'auth.mode', env: ['AUTOVOICE_AUTH'], parse: enumField(['required', 'off']), defaultValue: (env) => (isProduction(env) ? 'required' : 'off'), help: 'API key authentication (required in production by default).' },
  { path: 'auth.bootstrapAdminKey', env: ['AUTOVOICE_ADMIN_KEY'], parse: secretField, defaultValue: () => undefined, help: 'An admin key accepted without being stored (secret).' },
  { path: 'limits.uploadMaxBytes', env: ['AUTOVOICE_MAX_UPLOAD_MB'], parse: megabytesField(2048), defaultValue: () => 100 * 1024 * 1024, help: 'Largest uploaded file.' },
  { path: 'limits.uploadIdleTimeoutMs', env: ['AUTOVOICE_UPLOAD_IDLE_TIMEOUT_MS'], parse: intField(100, 3_600_000), defaultValue: () => 30_000, help: 'An upload that sends nothing this long is answered 400 and closed.' },
  { path: 'limits.uploadMaxFiles', env: ['AUTOVOICE_MAX_FILES'], parse: intField(1, 1000), defaultValue: () => 20, help: 'Most files per request.' },
  { path: 'limits.audioMaxSeconds', env: ['AUTOVOICE_MAX_AUDIO_SECONDS'], parse: intField(1, 24 * 3600), defaultValue: () => 900, help: 'Longest input audio.' },
  { path: 'limits.textMaxChars', env: ['AUTOVOICE_MAX_TEXT_CHARS'], parse: intField(1, 1_000_000), defaultValue: () => 20_000, help: 'Longest text to synthesise.' },
  { path: 'limits.syncTextMaxChars', env: ['AUTOVOICE_SYNC_TEXT_MAX_CHARS'], parse: intField(0, 1_000_000), defaultValue: () => 500, help: 'Text up to this length is synthesised synchronously.' },
  { path: 'limits.rateLimitPerMinute', env: ['AUTOVOICE_RATE_LIMIT_PER_MINUTE'], parse: intField(1, 10_000_000), defaultValue: () => 600, help: 'Requests per minute per key / per IP.' },
  { path: 'limits.wsMaxConnectionsPerClient', env: ['AUTOVOICE_WS_MAX_CONNECTIONS'], parse: intField(1, 10_000), defaultValue: () => 10, help: 'WebSocket connections per key / per IP.' },
  { path: 'limits.wsMaxSubscriptions', env: ['AUTOVOICE_WS_MAX_SUBSCRIPTIONS'], parse: intField(1, 100_000), defaultValue: () => 100, help: 'Subscriptions per WebSocket connection.' },
  { path: 'limits.wsMaxBufferedBytes', env: ['AUTOVOICE_WS_MAX_BUFFERED_MB'], parse: megabytesField(1024), defaultValue: () => 4 * 1024 * 1024, help: 'Unsent bytes after which a slow WebSocket client is dropped.' },
  { path: 'limits.wsHeartbeatMs', env: ['AUTOVOICE_WS_HEARTBEAT_MS'], parse: intField(100, 600_000), defaultValue: () => 30_000, help: 'WebSocket ping interval; a client that misses one pong is dropped.' },
  { path: 'jobs.workers', env: ['AUTOVOICE_WORKERS'], parse: intField(1, 256), defaultValue: () => 2, help: 'Worker threads running jobs.' },
  { path: 'jobs.interactiveWorkers', env: ['AUTOVOICE_INTERACTIVE_WORKERS'], parse: intField(0, 64), defaultValue: () => 1, help: 'Extra worker threads kept for requests answered at once (short synthesis, voice creation), so queued jobs never hold them up; 0 = share the job workers.' },
  { path: 'jobs.maxQueued', env: ['AUTOVOICE_MAX_QUEUED'], parse: intField(1, 1_000_000), defaultValue: () => 1000, help: 'Queued jobs before new ones get 429 queue.full.' },
  { path: 'jobs.maxAttempts', env: ['AUTOVOICE_JOB_MAX_ATTEMPTS'], parse: intField(1, 100), defaultValue: () => 3, help: 'Runs of an interrupted job before it fails.' },
  { path: 'jobs.resultTtlSeconds', env: ['AUTOVOICE_RESULT_TTL_SECONDS'], parse: intField(1, 365 * 24 * 3600), defaultValue: () => 24 * 3600, help: 'How long uploads and results are kept.' },
  { path: 'jobs.cleanupIntervalSeconds', env: ['AUTOVOICE_CLEANUP_INTERVAL_SECONDS'], parse: intField(1, 24 * 3600), defaultValue: () => 300, help: 'How often expired data is removed.' },
  { path: 'jobs.shutdownGraceMs', env: ['AUTOVOICE_SHUTDOWN_GRACE_MS'], parse: intField(0, 3_600_000), defaultValue: () => 30_000, help: 'On SIGTERM, time running jobs get to finish before re-queueing.' },
  { path: 'jobs.cancelGraceMs', env: ['AUTOVOICE_CANCEL_GRACE_MS'], parse: intField(10, 60_000), defaultValue: () => 500, help: 'After cancel, time before a busy worker is terminated.' },
  { path: 'jobs.stockVoices', env: ['AUTOVOICE_STOCK_VOICES'], parse: boolField, defaultValue: () => true, help: 'Create the stock voices at first start.' },
  { path: 'onnx.executionProvider', env: ['AUTOVOICE_EXECUTION_PROVIDER'], parse: enumField(['auto', 'cpu', 'cuda']), defaultValue: () => 'auto', help: 'Where ONNX models (Piper, MDX-Net) run: auto (CUDA when installed and a GPU answers), cpu or cuda (falls back to CPU with a warning).' },
  { path: 'log.level', env: ['AUTOVOICE_LOG_LEVEL', 'LOG_LEVEL'], parse: enumField(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), defaultValue: () => 'info', help: 'Log level.' },
  { path: 'log.file', env: ['AUTOVOICE_LOG_FILE'], parse: stringField, defaultValue: () => undefined, help: 'Also write logs to this file (rotated).' },
  { path: 'log.fileMaxBytes', env: ['AUTOVOICE_LOG_FILE_MAX_MB'], parse: megabytesField(10_240), defaultValue: () => 50 * 1024 * 1024, help: 'Rotate the log file at this size.' },
];
