/**
 * The recent part of an unbounded stream of values, addressed by absolute index: values are
 * appended at the end and dropped from the front once no reader needs them, so a stream of
 * any length holds only a bounded window. Streaming stages (decimators, running correlations,
 * level meters) keep their signals in one of these instead of re-deriving them per block.
 */
export class SlidingBuffer<A extends Float32Array | Float64Array> {
  /** Storage; `data[i - start]` is absolute value i for start <= i < end. */
  data: A;
  /** Absolute index of `data[0]`. */
  start = 0;
  /** One past the absolute index of the last value. */
  end = 0;
  private readonly allocate: (length: number) => A;

  constructor(allocate: (length: number) => A, initialCapacity = 1024) {
    this.allocate = allocate;
    this.data = allocate(Math.max(16, initialCapacity));
  }

  /** Value at absolute index i (start <= i < end; unchecked). */
  at(i: number): number {
    return this.data[i - this.start] as number;
  }

  /** Appends one value. */
  push(value: number): void {
    this.reserve(1);
    this.data[this.end - this.start] = value;
    this.end++;
  }

  /** Appends every value of `values`. */
  append(values: ArrayLike<number>): void {
    this.reserve(values.length);
    const offset = this.end - this.start;
    for (let i = 0; i < values.length; i++) this.data[offset + i] = values[i] as number;
    this.end += values.length;
  }

  /** Forgets values from absolute index `end` on (end >= start): undoes a provisional append. */
  truncate(end: number): void {
    this.end = Math.max(this.start, Math.min(this.end, end));
  }

  /**
   * Releases values before absolute index `index`. The move is amortised: storage is compacted
   * only once the released part is at least half of it, so `start` may stay below `index`.
   */
  discardBefore(index: number): void {
    const to = Math.min(index, this.end);
    if (to - this.start < this.data.length / 2) return;
    this.data.copyWithin(0, to - this.start, this.end - this.start);
    this.start = to;
  }

  /** Makes room for `count` more values, growing the storage when the window would not fit. */
  private reserve(count: number): void {
    const needed = this.end - this.start + count;
    if (needed <= this.data.length) return;
    const grown = this.allocate(Math.max(needed, 2 * this.data.length));
    grown.set(this.data.subarray(0, this.end - this.start) as never);
    this.data = grown;
  }
}
