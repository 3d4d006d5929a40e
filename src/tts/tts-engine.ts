import type { RawAudio } from '../audio/raw-audio.js';

/** Ids of the TTS engines AutoVoice registers. */
export type TtsEngineId = 'espeak' | 'flite' | 'piper';

/** One voice an engine offers. `id` is global: `<engine>:<engine voice id>` (e.g. `flite:slt`). */
export interface TtsVoice {
  readonly engine: TtsEngineId;
  readonly id: string;
  readonly name: string;
  /** BCP-47-like language tag, lower case (e.g. `en-us`, `de`). */
  readonly language: string;
  /** Native output sample rate (Hz). */
  readonly sampleRate: number;
  readonly gender?: 'female' | 'male';
}

/** What an engine needs to speak one chunk of plain text (one sentence or clause). */
export interface EngineSynthesisRequest {
  /** The engine's own voice id (the part after `<engine>:`), already validated by `resolveVoice`. */
  readonly voice: string;
  /** Speaking-rate multiplier: 1 = the voice's normal rate, 2 = twice as fast. */
  readonly rateFactor: number;
  /** Pitch shift in semitones relative to the voice's normal pitch. */
  readonly pitchSemitones: number;
  /** Speaker of a multi-speaker model (Piper): name from its speaker map, or index. */
  readonly speaker?: string | number;
  /** Piper noise controls; the voice config's values when absent. */
  readonly noiseScale?: number;
  readonly noiseW?: number;
  readonly signal?: AbortSignal;
}

/**
 * A speech engine behind one interface. Engines are registered by id and loaded on first use;
 * each is responsible for its own re-entrancy (wasm instances are serialised or pooled inside).
 */
export interface TtsEngine {
  readonly id: TtsEngineId;
  /** Voices this engine offers right now. */
  listVoices(): Promise<TtsVoice[]>;
  /**
   * Maps a voice id (bare engine id or language tag) to the engine's voice id, or throws
   * `tts.unknown_voice`. `undefined` picks the engine's default voice (for `language` if given).
   */
  resolveVoice(voice: string | undefined, language?: string): Promise<string>;
  /** Speaks one chunk of plain text (already sanitised; no markup). Returns mono audio. */
  synthesize(text: string, request: EngineSynthesisRequest): Promise<RawAudio>;
}
