import type { AudioOutputFormat } from './job-context.js';
import type { JobHandler } from './job-handler.js';

/** Payload of a speech/voice conversion job. `input` is an upload blob id. */
export interface ConvertJobPayload {
  readonly input: string;
  /** Voice profile id (resolved from id or name when the job is created). */
  readonly voice: string;
  readonly mode: 'speech' | 'singing' | 'keep';
  readonly pitch: 'auto' | number;
  readonly format: AudioOutputFormat;
}

/** Payload of a song conversion job (separate → convert vocals → remix). */
export interface SongJobPayload {
  readonly input: string;
  readonly voice: string;
  readonly pitch: 'auto' | number;
  readonly vocalGainDb: number;
  readonly accompanimentGainDb: number;
  readonly separationEngine: 'dsp' | 'onnx';
  readonly format: AudioOutputFormat;
}

/** Payload of a voice edit (pitch, formants, tilt, breathiness, tempo). `input` is an upload blob id. */
export interface TransformJobPayload {
  readonly input: string;
  readonly semitones: number;
  readonly formantFactor: number;
  readonly tiltDbPerOctave: number;
  readonly breathiness: number;
  readonly stretch: number;
  /** Refine the analysis first (applied only when pitch and tempo are kept). */
  readonly refine: boolean;
  readonly format: AudioOutputFormat;
}

/** Payload of a text-to-speech job: a TTS voice (`voice`), or a cloned voice profile (`voiceProfileId`), or the engine default. */
export interface SynthesizeJobPayload {
  readonly text: string;
  /** TTS engine voice id. */
  readonly voice?: string;
  /** Voice profile id (resolved and visibility-checked by the server) to convert the speech into. */
  readonly voiceProfileId?: string;
  readonly engine?: string;
  readonly language?: string;
  /** Speaking rate factor (1 = normal). */
  readonly rate?: number;
  /** Pitch shift in semitones. */
  readonly pitch?: number;
  readonly format: AudioOutputFormat;
  /** Stream encoded chunks while synthesising (synchronous requests only): a WAV header, then PCM chunks. */
  readonly stream?: boolean;
}

/** Payload of a voice profile creation (or re-analysis with added samples). */
export interface CreateProfileJobPayload {
  readonly inputs: readonly string[];
  readonly name: string;
  readonly ownerKeyId: string | null;
  /** When set, the samples are added to this existing profile and it is rebuilt. */
  readonly profileId?: string;
}

/** Payload of a format conversion of a stored result (download in another format). */
export interface TranscodeJobPayload {
  readonly input: string;
  readonly format: AudioOutputFormat;
}

/** Payload of the start-up task that creates the stock voice profiles (none: it reads the data dir). */
export type StockVoicesJobPayload = Record<string, never>;

/** Payload of the built-in test job: sleeps in steps with progress. Tests only — no route creates it. */
export interface TestSleepJobPayload {
  readonly steps: number;
  readonly stepMs: number;
  /** Fail at the end with this error code. */
  readonly failWith?: string;
  /** Ignore cancellation (to test forced termination). */
  readonly ignoreAbort?: boolean;
}

/** The typed job map: job name → payload type. Exactly one handler per name (JOB_HANDLER_MODULES). */
export interface JobPayloads {
  convert: ConvertJobPayload;
  song: SongJobPayload;
  transform: TransformJobPayload;
  synthesize: SynthesizeJobPayload;
  'create-profile': CreateProfileJobPayload;
  transcode: TranscodeJobPayload;
  'stock-voices': StockVoicesJobPayload;
  'test.sleep': TestSleepJobPayload;
}

/** A job name. */
export type JobType = keyof JobPayloads;

/** Job names that clients can see in listings (filters, OpenAPI enum). */
export const PUBLIC_JOB_TYPES = ['convert', 'song', 'transform', 'synthesize', 'create-profile'] as const;

/**
 * Where each job's handler lives (loaded by the worker threads, checked at their start-up).
 * The mapped type makes a missing or extra entry a compile error.
 */
export const JOB_HANDLER_MODULES: { readonly [K in JobType]: () => Promise<{ handler: JobHandler<K>; available: boolean }> } = {
  convert: () => import('./handlers/convert.handler.js'),
  song: () => import('./handlers/song.handler.js'),
  transform: () => import('./handlers/transform.handler.js'),
  synthesize: () => import('./handlers/synthesize.handler.js'),
  'create-profile': () => import('./handlers/create-profile.handler.js'),
  transcode: () => import('./handlers/transcode.handler.js'),
  'stock-voices': () => import('./handlers/stock-voices.handler.js'),
  'test.sleep': () => import('./handlers/test-sleep.handler.js'),
};

/** Every job name. */
export const JOB_TYPES = Object.keys(JOB_HANDLER_MODULES) as JobType[];

/** Type guard for job names read from the database or messages. */
export function isJobType(value: string): value is JobType {
  return Object.hasOwn(JOB_HANDLER_MODULES, value);
}
