import { AutoVoiceError } from '../../../errors/index.js';

/**
 * The parts of a Piper voice's `.onnx.json` AutoVoice uses (the file Piper's training exports
 * next to the model). Unknown fields are ignored; missing required ones are `model.invalid`.
 */
export interface PiperVoiceConfig {
  /** Output sample rate (Hz), `audio.sample_rate`. */
  readonly sampleRate: number;
  /** espeak-ng voice used to phonemise, `espeak.voice` (e.g. `en-us`). */
  readonly espeakVoice: string;
  /** Language tag for listing (`language.code` or the espeak voice). */
  readonly language: string;
  /** Phoneme (one Unicode code point) → ids, `phoneme_id_map`. */
  readonly phonemeIdMap: ReadonlyMap<string, readonly number[]>;
  /** Speaker count; > 1 means the model takes a `sid` input. */
  readonly numSpeakers: number;
  /** Speaker name → id, `speaker_id_map`. */
  readonly speakerIdMap: ReadonlyMap<string, number>;
  /** Default inference scales (`inference`). */
  readonly noiseScale: number;
  readonly lengthScale: number;
  readonly noiseW: number;
}

/** Piper's special symbols: pad (after every phoneme), beginning and end of sentence. */
export const PIPER_PAD = '_';
export const PIPER_BOS = '^';
export const PIPER_EOS = '$';

function fail(path: string, why: string): AutoVoiceError {
  return new AutoVoiceError(
    'model.invalid',
    `The Piper voice config ${path} is not usable: ${why}. It must be the .onnx.json exported with the voice.`,
    { path },
  );
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Parses and validates the JSON text of a Piper voice config (`path` is for messages). */
export function parsePiperVoiceConfig(json: string, path: string): PiperVoiceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw fail(path, `invalid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const root = record(raw);
  if (root === undefined) throw fail(path, 'not a JSON object');
  const sampleRate = record(root.audio)?.sample_rate;
  if (
    typeof sampleRate !== 'number' ||
    !Number.isInteger(sampleRate) ||
    sampleRate < 8000 ||
    sampleRate > 96000
  ) {
    throw fail(path, 'audio.sample_rate is missing or outside 8000..96000');
  }
  const phonemeType = root.phoneme_type;
  if (phonemeType !== undefined && phonemeType !== 'espeak')
    throw fail(path, `phoneme_type "${String(phonemeType)}" is not supported (only "espeak")`);
  const espeakVoice = record(root.espeak)?.voice;
  if (typeof espeakVoice !== 'string' || espeakVoice.length === 0)
    throw fail(path, 'espeak.voice is missing');
  const rawMap = record(root.phoneme_id_map);
  if (rawMap === undefined) throw fail(path, 'phoneme_id_map is missing');
  const phonemeIdMap = new Map<string, number[]>();
  for (const [phoneme, ids] of Object.entries(rawMap)) {
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id) && id >= 0))
      throw fail(path, `phoneme_id_map["${phoneme}"] is not a list of ids`);
    phonemeIdMap.set(phoneme, ids as number[]);
  }
  for (const symbol of [PIPER_PAD, PIPER_BOS, PIPER_EOS]) {
    if (!phonemeIdMap.has(symbol)) throw fail(path, `phoneme_id_map lacks the "${symbol}" symbol`);
  }
  const speakerIdMap = new Map<string, number>();
  for (const [name, id] of Object.entries(record(root.speaker_id_map) ?? {})) {
    if (Number.isInteger(id)) speakerIdMap.set(name, id as number);
  }
  const numSpeakers =
    typeof root.num_speakers === 'number' && root.num_speakers >= 1
      ? Math.floor(root.num_speakers)
      : Math.max(1, speakerIdMap.size);
  const inference = record(root.inference) ?? {};
  const languageCode = record(root.language)?.code;
  return {
    sampleRate,
    espeakVoice,
    language: (typeof languageCode === 'string' ? languageCode : espeakVoice).toLowerCase().replace('_', '-'),
    phonemeIdMap,
    numSpeakers,
    speakerIdMap,
    noiseScale: positive(inference.noise_scale, 0.667),
    lengthScale: positive(inference.length_scale, 1),
    noiseW: positive(inference.noise_w, 0.8),
  };
}
