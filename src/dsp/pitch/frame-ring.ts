import { createCandidateTable, type PitchCandidateTable } from './pitch-candidates.js';
import { createViterbiColumn, type ViterbiColumn } from './pitch-tracker.js';

/**
 * The streaming tracker's per-frame state (candidates, Viterbi columns, back pointers) for a
 * bounded range of frames, slot = frame mod capacity; grows when a decision spans more.
 */
export class FrameRing {
  table: PitchCandidateTable;
  back: Uint8Array;
  private columns: ViterbiColumn[];
  private capacity: number;
  private readonly maxCandidates: number;
  /** Frames [low, high) hold data that must survive a resize. */
  private low = 0;
  private high = 0;

  constructor(capacity: number, maxCandidates: number) {
    this.maxCandidates = maxCandidates;
    this.capacity = capacity;
    this.table = createCandidateTable(capacity, maxCandidates);
    this.back = new Uint8Array(capacity * (maxCandidates + 1));
    this.columns = Array.from({ length: capacity }, () => createViterbiColumn(maxCandidates));
  }

  /** Values held (see StreamingF0Tracker.storageSize). */
  get storageSize(): number {
    const K = this.maxCandidates;
    // Per frame: lag, strength, penalty (K each), count, level; back pointers (K + 1); column costs (K + 1), log lags (K).
    return this.capacity * (3 * K + 2 + (K + 1) + (2 * K + 1));
  }

  slot(frame: number): number {
    return frame % this.capacity;
  }

  column(frame: number): ViterbiColumn {
    return this.columns[this.slot(frame)] as ViterbiColumn;
  }

  /** Makes frames [low, high) addressable at once, keeping what frames from `low` on hold. */
  reserve(low: number, high: number): void {
    const keepLow = Math.max(low, this.low) - 1; // the column before `low` is a predecessor
    if (high - Math.max(0, keepLow) > this.capacity) {
      let capacity = this.capacity;
      while (high - Math.max(0, keepLow) > capacity) capacity *= 2;
      const K = this.maxCandidates;
      const S = K + 1;
      const table = createCandidateTable(capacity, K);
      const back = new Uint8Array(capacity * S);
      const columns = Array.from({ length: capacity }, () => createViterbiColumn(K));
      for (let f = Math.max(0, keepLow, this.high - this.capacity); f < this.high; f++) {
        const from = this.slot(f);
        const to = f % capacity;
        table.count[to] = this.table.count[from] as number;
        table.level[to] = this.table.level[from] as number;
        for (let k = 0; k < K; k++) {
          table.lag[to * K + k] = this.table.lag[from * K + k] as number;
          table.strength[to * K + k] = this.table.strength[from * K + k] as number;
          table.penalty[to * K + k] = this.table.penalty[from * K + k] as number;
        }
        back.set(this.back.subarray(from * S, from * S + S), to * S);
        const c = columns[to] as ViterbiColumn;
        const old = this.columns[from] as ViterbiColumn;
        c.cost.set(old.cost);
        c.logLag.set(old.logLag);
        c.n = old.n;
      }
      this.table = table;
      this.back = back;
      this.columns = columns;
      this.capacity = capacity;
    }
    this.low = Math.max(this.low, low);
    this.high = Math.max(this.high, high);
  }
}
