/** Samples of a source signal by absolute index (zeros outside it); see `signalSource`. */
export interface SourceSignal {
  /** Fills out[0..length) with samples start..start+length-1 (0 where there are none). */
  read(start: number, out: Float64Array, length: number): void;
}

/** A SourceSignal over a whole signal in memory. */
export function signalSource(signal: Float32Array): SourceSignal {
  return {
    read(start: number, out: Float64Array, length: number): void {
      for (let i = 0; i < length; i++) {
        const j = start + i;
        out[i] = j >= 0 && j < signal.length ? (signal[j] as number) : 0;
      }
    },
  };
}
