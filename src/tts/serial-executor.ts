/**
 * Runs async tasks one at a time, in call order. Engines whose native state is shared (a wasm
 * instance with a current voice, rate and pitch) put every use of that state through one of
 * these, so concurrent requests can never interleave settings and synthesis.
 */
export class SerialExecutor {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects with its result once every earlier task has settled. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // Keep the chain alive whatever this task does; callers see its own outcome.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
