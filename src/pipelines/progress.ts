/** A progress report from a pipeline: the named stage running and the overall fraction done. */
export interface ProgressEvent {
  /** Stage name, as declared in the pipeline's stage list (e.g. `decode`, `analyze`). */
  readonly stage: string;
  /** Overall completion in [0, 1]. */
  readonly fraction: number;
}

/** Receives progress; must be cheap and must not throw. */
export type ProgressCallback = (event: ProgressEvent) => void;

/** Options every pipeline accepts besides its own. */
export interface PipelineRunOptions {
  readonly onProgress?: ProgressCallback;
  readonly signal?: AbortSignal;
}
