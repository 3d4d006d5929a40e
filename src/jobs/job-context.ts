import type { BlobStore } from '../storage/blob-store.js';

/** Output encodings clients may ask for. */
export type AudioOutputFormat = 'wav' | 'mp3' | 'flac';

/** Output formats as a list (schemas, validation). */
export const AUDIO_OUTPUT_FORMATS: readonly AudioOutputFormat[] = ['wav', 'mp3', 'flac'];

/** Limits a handler enforces on its inputs. */
export interface JobLimits {
  readonly audioMaxSeconds: number;
  readonly uploadMaxBytes: number;
  readonly textMaxChars: number;
}

/** What a handler gets besides its payload. */
export interface JobContext {
  /** Aborted on cancel or shutdown; pass it to the pipeline. */
  readonly signal: AbortSignal;
  readonly dataDir: string;
  readonly blobs: BlobStore;
  readonly limits: JobLimits;
  /** Reports the current stage and overall fraction (0..1). */
  progress(stage: string, fraction: number): void;
  /** Sends a chunk of encoded output to a streaming caller (ignored for queued jobs). */
  emitChunk(bytes: Uint8Array): void;
  /** Structured log line, tagged with the job and its request id by the main thread. */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}
