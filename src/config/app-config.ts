/** Authentication mode: `required` rejects requests without a valid API key; `off` lets everyone in as admin. */
export type AuthMode = 'required' | 'off';

/** Log levels accepted by the logger (pino). */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The effective configuration of the service, validated once at start-up (see loadConfig).
 * Sizes are bytes, durations carry their unit in the name.
 */
export interface AppConfig {
  readonly nodeEnv: string;
  /** Root of everything written at run time: database, blobs, voices. */
  readonly dataDir: string;
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Largest JSON body in bytes. */
    readonly bodyLimitBytes: number;
    /** Origins allowed by CORS; empty = no cross-origin access. `*` allows any. */
    readonly corsOrigins: readonly string[];
    readonly trustProxy: boolean;
  };
  readonly auth: {
    readonly mode: AuthMode;
    /** Optional admin key accepted in addition to stored keys (a secret; masked when printed). */
    readonly bootstrapAdminKey: string | undefined;
  };
  readonly limits: {
    readonly uploadMaxBytes: number;
    readonly uploadMaxFiles: number;
    /** A multipart body that sends no bytes for this long is answered 400 and its connection closed (ms). */
    readonly uploadIdleTimeoutMs: number;
    readonly audioMaxSeconds: number;
    readonly textMaxChars: number;
    /** Text up to this many characters is synthesised synchronously; longer text becomes a job. */
    readonly syncTextMaxChars: number;
    /** Requests per minute per API key (or per IP when unauthenticated). */
    readonly rateLimitPerMinute: number;
    readonly wsMaxConnectionsPerClient: number;
    readonly wsMaxSubscriptions: number;
    /** A WebSocket whose unsent data exceeds this many bytes is closed (slow consumer). */
    readonly wsMaxBufferedBytes: number;
    readonly wsHeartbeatMs: number;
  };
  readonly jobs: {
    /** Worker threads running jobs in parallel. */
    readonly workers: number;
    /**
     * Further worker threads that queued jobs never take: requests answered while the client
     * waits (short synthesis, voice creation, transcoding) run there when the job workers are busy.
     */
    readonly interactiveWorkers: number;
    /** Queued jobs accepted before job-creating requests answer 429 queue.full. */
    readonly maxQueued: number;
    /** Attempts (first run + retries after a crash/restart) before a job fails. */
    readonly maxAttempts: number;
    /** Time uploads and results are kept after a job finishes. */
    readonly resultTtlSeconds: number;
    readonly cleanupIntervalSeconds: number;
    /** On SIGTERM, running jobs get this long to finish before they are re-queued. */
    readonly shutdownGraceMs: number;
    /** After cancel, a worker that has not stopped within this time is terminated. */
    readonly cancelGraceMs: number;
    /** Create the stock voice profiles (from the embedded TTS voices) in the background at start. */
    readonly stockVoices: boolean;
  };
  readonly onnx: {
    /** Where ONNX models run: `auto` uses CUDA when onnxruntime's CUDA provider is installed and a GPU answers, else the CPU. */
    readonly executionProvider: 'auto' | 'cpu' | 'cuda';
  };
  readonly log: {
    readonly level: LogLevel;
    /** Optional log file (rotated daily and by size); stdout always receives logs. */
    readonly file: string | undefined;
    readonly fileMaxBytes: number;
  };
}

/** Keys of AppConfig whose values are secrets and are masked when printed. */
export const SECRET_CONFIG_PATHS: readonly string[] = ['auth.bootstrapAdminKey'];
