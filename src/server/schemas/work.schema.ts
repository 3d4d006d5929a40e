import { Type } from 'typebox';
import { AudioFormat, PitchOption, UploadedFile } from './common.schema.js';

/** Multipart form of POST /convert. */
export const ConvertBody = Type.Object({
  file: UploadedFile,
  voice: Type.String({ minLength: 1, maxLength: 128, description: 'Target voice profile id or name.' }),
  mode: Type.Optional(Type.Union([Type.Literal('speech'), Type.Literal('singing'), Type.Literal('keep')], { default: 'speech' })),
  pitch: Type.Optional(PitchOption),
  format: Type.Optional(AudioFormat),
});

/** Multipart form of POST /convert/song. */
export const SongBody = Type.Object({
  file: UploadedFile,
  voice: Type.String({ minLength: 1, maxLength: 128 }),
  pitch: Type.Optional(PitchOption),
  vocalGainDb: Type.Optional(Type.Number({ minimum: -24, maximum: 24, default: 0 })),
  accompanimentGainDb: Type.Optional(Type.Number({ minimum: -24, maximum: 24, default: 0 })),
  separationEngine: Type.Optional(Type.Literal('dsp', { description: 'Vocal separation engine (the embedded DSP separator; ONNX models are a CLI option for now).' })),
  format: Type.Optional(AudioFormat),
});

/** Multipart form of POST /transform (voice edits; every field left out keeps that property). */
export const TransformBody = Type.Object({
  file: UploadedFile,
  semitones: Type.Optional(Type.Number({ minimum: -24, maximum: 24, default: 0, description: 'Pitch shift in semitones; formants kept.' })),
  formantFactor: Type.Optional(Type.Number({ minimum: 0.5, maximum: 2, default: 1, description: 'Formant frequency factor (1.1 = smaller, brighter voice).' })),
  tiltDbPerOctave: Type.Optional(Type.Number({ minimum: -12, maximum: 12, default: 0, description: 'Spectral tilt around 1 kHz, dB per octave (positive = brighter).' })),
  breathiness: Type.Optional(Type.Number({ minimum: 0, maximum: 4, default: 1, description: 'Factor on the aperiodic part (2 = breathier, 0 = purely periodic).' })),
  stretch: Type.Optional(Type.Number({ minimum: 0.25, maximum: 4, default: 1, description: 'Duration factor (1.25 = 25 % slower); pitch kept.' })),
  refine: Type.Optional(Type.Boolean({ default: false, description: 'Refine the analysis first (slower, most faithful; applied only when pitch and tempo are kept).' })),
  format: Type.Optional(AudioFormat),
});

/** JSON body of POST /synthesize. */
export const SynthesizeBody = Type.Object(
  {
    text: Type.String({ minLength: 1, description: 'Text (UTF-8) or SSML (<speak>…</speak>).' }),
    voice: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'A voice profile id/name or a TTS voice id; engine default when absent.' })),
    engine: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    language: Type.Optional(Type.String({ minLength: 2, maxLength: 16 })),
    rate: Type.Optional(Type.Number({ minimum: 0.25, maximum: 4, description: 'Speaking rate factor (1 = normal).' })),
    pitch: Type.Optional(Type.Number({ minimum: -24, maximum: 24, description: 'Pitch shift in semitones.' })),
    format: Type.Optional(AudioFormat),
    stream: Type.Optional(Type.Boolean({ description: 'Stream audio (chunked WAV) as sentences are synthesised.' })),
  },
  { additionalProperties: false },
);

/** A TTS voice. */
export const TtsVoice = Type.Object({
  engine: Type.String(),
  id: Type.String(),
  name: Type.String(),
  language: Type.String(),
  sampleRate: Type.Integer(),
  gender: Type.Optional(Type.String()),
});

/** Multipart form of POST /batch. */
export const BatchBody = Type.Object({
  files: Type.Array(UploadedFile, { minItems: 1 }),
  voice: Type.String({ minLength: 1, maxLength: 128 }),
  mode: Type.Optional(Type.Union([Type.Literal('speech'), Type.Literal('singing'), Type.Literal('keep')], { default: 'speech' })),
  pitch: Type.Optional(PitchOption),
  format: Type.Optional(AudioFormat),
});

/** GET /batch/{id} response. */
export const BatchView = Type.Object({
  id: Type.String(),
  jobType: Type.String(),
  createdAt: Type.String(),
  state: Type.Union(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'partial'].map((s) => Type.Literal(s))),
  progress: Type.Number(),
  counts: Type.Record(Type.String(), Type.Integer()),
  items: Type.Array(Type.Ref('Job')),
  resultUrl: Type.String({ description: 'Zip of every succeeded item’s result.' }),
});
