import type { RawAudio } from '../audio/raw-audio.js';

/** The lead-vocal melody found in a mixture: F0 per frame, frames `hopSeconds` apart (frame i at i·hopSeconds). */
export interface MixtureMelody {
  /** F0 in Hz per frame, 0 where no lead vocal was found. */
  readonly f0Hz: Float32Array;
  /** Best pitch guess for every frame, including frames judged unvoiced (MIREX convention), Hz. */
  readonly pitchGuessHz: Float32Array;
  readonly hopSeconds: number;
}

/** Result of a vocal separation: the stems sum to the input mixture (sample by sample). */
export interface SeparatedStems {
  readonly vocals: RawAudio;
  readonly accompaniment: RawAudio;
  /** The lead-vocal melody, when the engine tracks one (the DSP engine does). */
  readonly melody?: MixtureMelody;
}

/** Options every separation engine accepts. */
export interface SeparationEngineOptions {
  /** Model file for engines that need one (ONNX). */
  readonly modelPath?: string;
  /** Engine progress in [0, 1]. */
  readonly onFraction?: (fraction: number) => void;
  readonly signal?: AbortSignal;
  /** Engine-specific tuning (see each engine's options type). */
  readonly engineOptions?: Readonly<Record<string, unknown>>;
}

/** A vocal separation engine, registered by id in the separation registry. */
export interface SeparationEngine {
  readonly id: string;
  /** One line for `--help` and docs. */
  readonly description: string;
  separate(audio: RawAudio, options: SeparationEngineOptions): Promise<SeparatedStems>;
}
