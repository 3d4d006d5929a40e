import { throwIfAborted } from '../errors/index.js';
import type { PipelineRunOptions } from './progress.js';

/** A pipeline stage declared as data: its name (reused in progress events) and its share of the work. */
export interface PipelineStage<Name extends string = string> {
  readonly name: Name;
  /** Relative cost (any positive unit); fractions are weights / total. */
  readonly weight: number;
}

/** Reports progress through declared stages and checks cancellation at every report. */
export interface StageReporter<Name extends string> {
  /** Enters `stage` (fraction at its start); throws `operation.cancelled` when aborted. */
  enter(stage: Name): void;
  /** Progress inside `stage`, `within` in [0, 1]; throws `operation.cancelled` when aborted. */
  update(stage: Name, within: number): void;
  /** Reports the end of the last stage (fraction 1). */
  finish(): void;
}

/** Builds a StageReporter over `stages` for the caller's onProgress / signal. */
export function createStageReporter<Name extends string>(
  stages: readonly PipelineStage<Name>[],
  options: PipelineRunOptions = {},
): StageReporter<Name> {
  const total = stages.reduce((s, st) => s + st.weight, 0) || 1;
  const start = new Map<Name, number>();
  let acc = 0;
  for (const st of stages) {
    start.set(st.name, acc / total);
    acc += st.weight;
  }
  const weightOf = (name: Name): number => (stages.find((s) => s.name === name)?.weight ?? 0) / total;
  let last = 0;
  const emit = (stage: Name, fraction: number): void => {
    throwIfAborted(options.signal);
    // Progress never goes backwards, whatever order a caller reports in.
    last = Math.max(last, Math.min(1, fraction));
    options.onProgress?.({ stage, fraction: last });
  };
  return {
    enter: (stage) => emit(stage, start.get(stage) ?? last),
    update: (stage, within) =>
      emit(stage, (start.get(stage) ?? last) + weightOf(stage) * Math.min(1, Math.max(0, within))),
    finish: () => {
      const lastStage = stages[stages.length - 1];
      if (lastStage !== undefined) emit(lastStage.name, 1);
    },
  };
}
