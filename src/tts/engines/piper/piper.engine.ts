import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { monoAudio, type RawAudio } from '../../../audio/raw-audio.js';
import { AutoVoiceError, throwIfAborted } from '../../../errors/index.js';
import { loadOnnxModel, type OnnxModel, type OnnxTensorValue } from '../../../models/onnx-session.adapter.js';
import type { EngineSynthesisRequest, TtsEngine, TtsVoice } from '../../tts-engine.js';
import { loadEspeakNg } from '../espeak-ng/espeak-ng.module.js';
import { piperPhonemesToIds } from './piper-phoneme-ids.js';
import { parsePiperVoiceConfig, type PiperVoiceConfig } from './piper-voice-config.js';

/**
 * Piper voices a user brings: a VITS model exported to ONNX (`NAME.onnx`) plus its config
 * (`NAME.onnx.json`). Text is phonemised to IPA with espeak-ng (the voice's `espeak.voice`),
 * clause by clause with the clause punctuation kept, mapped to ids with the config's
 * `phoneme_id_map`, and run with inputs `input` int64 [1, n], `input_lengths` int64 [1],
 * `scales` float32 [3] = [noise_scale, length_scale, noise_w] and, for multi-speaker voices,
 * `sid` int64 [1]. The first output holds the samples (shape [1, 1, samples] or similar).
 */

/** Options of `createPiperEngine`. */
export interface PiperEngineOptions {
  /** Folders scanned for `NAME.onnx` + `NAME.onnx.json` pairs (listed as `piper:NAME`). */
  readonly voiceDirs: readonly string[];
  /** How many loaded models to keep (least recently used are released). */
  readonly maxLoadedModels: number;
}

/** Defaults: no voice folders, four models kept loaded. */
export const defaultPiperEngineOptions: PiperEngineOptions = { voiceDirs: [], maxLoadedModels: 4 };

interface LoadedVoice {
  readonly config: PiperVoiceConfig;
  readonly model: OnnxModel;
  /** Runs in flight; an evicted model is released only when this drops to 0. */
  inFlight: number;
  evicted: boolean;
}

const CLAUSE = /([^,;:.!?¡¿…]*)([,;:.!?¡¿…]*)/gu;

function findVoiceFiles(dirs: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.onnx') || !existsSync(join(dir, `${file}.json`))) continue;
      const name = basename(file, '.onnx');
      if (!found.has(name)) found.set(name, resolve(dir, file));
    }
  }
  return found;
}

/** Phonemises text the way Piper does: IPA per clause, clause punctuation kept, clauses joined by a space. */
export async function piperPhonemize(
  text: string,
  espeakVoice: string,
  phonemeIdMap: ReadonlyMap<string, readonly number[]>,
): Promise<string> {
  const espeak = await loadEspeakNg();
  const parts: string[] = [];
  for (const m of text.matchAll(CLAUSE)) {
    const words = (m[1] ?? '').trim();
    const punctuation = [...(m[2] ?? '')].find((c) => phonemeIdMap.has(c)) ?? '';
    if (words.length === 0 && punctuation === '') continue;
    const ipa = words.length > 0 ? (await espeak.textToIpa(words, espeakVoice)).join(' ') : '';
    parts.push(`${ipa}${punctuation}`);
  }
  return parts.join(' ').trim();
}

class PiperEngine implements TtsEngine {
  readonly id = 'piper' as const;
  private readonly loaded = new Map<string, Promise<LoadedVoice>>();

  constructor(private readonly options: PiperEngineOptions) {}

  async listVoices(): Promise<TtsVoice[]> {
    const voices: TtsVoice[] = [];
    for (const [name, path] of findVoiceFiles(this.options.voiceDirs)) {
      try {
        const config = parsePiperVoiceConfig(await readFile(`${path}.json`, 'utf8'), `${path}.json`);
        voices.push({
          engine: 'piper',
          id: `piper:${name}`,
          name: `Piper ${name}`,
          language: config.language,
          sampleRate: config.sampleRate,
        });
      } catch {
        // A broken config is reported when the voice is used; listing shows the usable ones.
      }
    }
    return voices;
  }

  async resolveVoice(voice: string | undefined): Promise<string> {
    if (voice === undefined) {
      throw new AutoVoiceError(
        'tts.unknown_voice',
        'The piper engine needs a voice: a NAME from a Piper voice folder or the path of a .onnx model (with its .onnx.json beside it).',
        { engine: 'piper' },
      );
    }
    const bare = voice.replace(/^piper:/, '');
    if (bare.endsWith('.onnx')) {
      const path = resolve(bare);
      if (!existsSync(path))
        throw new AutoVoiceError('model.not_found', `No Piper model at ${path}.`, { path });
      if (!existsSync(`${path}.json`))
        throw new AutoVoiceError(
          'model.not_found',
          `The Piper model ${path} has no config beside it; expected ${path}.json.`,
          { path: `${path}.json` },
        );
      return path;
    }
    const path = findVoiceFiles(this.options.voiceDirs).get(bare);
    if (path === undefined)
      throw new AutoVoiceError(
        'tts.unknown_voice',
        `No Piper voice "${bare}" in ${this.options.voiceDirs.join(', ') || '(no Piper folders configured)'}; give a .onnx path instead.`,
        { engine: 'piper', voice },
      );
    return path;
  }

  async synthesize(text: string, request: EngineSynthesisRequest): Promise<RawAudio> {
    throwIfAborted(request.signal);
    if (request.pitchSemitones !== 0) {
      throw new AutoVoiceError(
        'usage.invalid_argument',
        'Piper voices have no pitch control; leave pitch at 0 (rate works).',
        { engine: 'piper', pitch: request.pitchSemitones },
      );
    }
    const loaded = await this.load(request.voice);
    loaded.inFlight++;
    try {
      return await this.run(text, request, loaded);
    } finally {
      loaded.inFlight--;
      if (loaded.evicted && loaded.inFlight === 0) void loaded.model.release().catch(() => undefined);
    }
  }

  private async run(
    text: string,
    request: EngineSynthesisRequest,
    { config, model }: LoadedVoice,
  ): Promise<RawAudio> {
    const phonemes = await piperPhonemize(text, config.espeakVoice, config.phonemeIdMap);
    const { ids } = piperPhonemesToIds(phonemes, config.phonemeIdMap);
    const feeds: Record<string, OnnxTensorValue> = {
      input: { type: 'int64', data: BigInt64Array.from(ids, (id) => BigInt(id)), dims: [1, ids.length] },
      input_lengths: { type: 'int64', data: BigInt64Array.of(BigInt(ids.length)), dims: [1] },
      scales: {
        type: 'float32',
        data: Float32Array.of(
          request.noiseScale ?? config.noiseScale,
          config.lengthScale / request.rateFactor,
          request.noiseW ?? config.noiseW,
        ),
        dims: [3],
      },
    };
    if (model.inputNames.includes('sid')) {
      feeds.sid = {
        type: 'int64',
        data: BigInt64Array.of(BigInt(this.speakerId(config, request.speaker))),
        dims: [1],
      };
    }
    throwIfAborted(request.signal);
    const outputs = await model.run(feeds);
    const output = outputs[model.outputNames[0] ?? ''];
    if (output === undefined || !(output.data instanceof Float32Array)) {
      throw new AutoVoiceError(
        'model.invalid',
        `The Piper model ${request.voice} returned no float32 audio output.`,
        { path: request.voice, outputNames: model.outputNames },
      );
    }
    const samples = Float32Array.from(output.data, (s) =>
      Math.max(-1, Math.min(1, Number.isFinite(s) ? s : 0)),
    );
    return monoAudio(samples, config.sampleRate);
  }

  private speakerId(config: PiperVoiceConfig, speaker: string | number | undefined): number {
    if (speaker === undefined) return 0;
    const id =
      typeof speaker === 'number'
        ? speaker
        : (config.speakerIdMap.get(speaker) ?? (/^\d+$/.test(speaker) ? Number(speaker) : -1));
    if (!Number.isInteger(id) || id < 0 || id >= config.numSpeakers) {
      throw new AutoVoiceError(
        'tts.unknown_voice',
        `The Piper voice has no speaker "${speaker}"; it has ${config.numSpeakers} speaker(s)${config.speakerIdMap.size > 0 ? `: ${[...config.speakerIdMap.keys()].slice(0, 20).join(', ')}` : ''}.`,
        { speaker },
      );
    }
    return id;
  }

  private load(path: string): Promise<LoadedVoice> {
    let voice = this.loaded.get(path);
    if (voice !== undefined) {
      // Refresh LRU order.
      this.loaded.delete(path);
      this.loaded.set(path, voice);
      return voice;
    }
    voice = (async () => {
      const config = parsePiperVoiceConfig(await readFile(`${path}.json`, 'utf8'), `${path}.json`);
      const required =
        config.numSpeakers > 1
          ? ['input', 'input_lengths', 'scales', 'sid']
          : ['input', 'input_lengths', 'scales'];
      const model = await loadOnnxModel(path, { requiredInputs: required });
      return { config, model, inFlight: 0, evicted: false };
    })();
    voice.catch(() => this.loaded.delete(path));
    this.loaded.set(path, voice);
    while (this.loaded.size > this.options.maxLoadedModels) {
      const [oldestPath, oldest] = this.loaded.entries().next().value as [string, Promise<LoadedVoice>];
      this.loaded.delete(oldestPath);
      void oldest
        .then((v) => {
          v.evicted = true;
          if (v.inFlight === 0) return v.model.release();
          return undefined;
        })
        .catch(() => undefined);
    }
    return voice;
  }
}

/** Creates the Piper engine (models are loaded per voice on first use). */
export function createPiperEngine(options: Partial<PiperEngineOptions> = {}): TtsEngine {
  return new PiperEngine({ ...defaultPiperEngineOptions, ...options });
}
