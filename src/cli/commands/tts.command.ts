import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { audioDurationSeconds, writeAudioFile } from '../../audio/index.js';
import { loadConfig } from '../../config/index.js';
import { AutoVoiceError } from '../../errors/index.js';
import { synthesizeWithVoice } from '../../pipelines/synthesize.pipeline.js';
import { createTtsRegistry, listTtsVoices, type TtsEngineRegistry } from '../../tts/index.js';
import type { VoiceProfile } from '../../voice/voice-profile.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import { checkAudioOutputFile, readTextArgumentFile } from '../output-paths.js';
import type { CliCommand } from './index.js';
import { openVoiceRepository } from './profile.command.js';

interface TtsCliOptions {
  voice?: string;
  engine?: string;
  model?: string;
  language?: string;
  rate?: string;
  pitch?: string;
  speaker?: string;
  ssml?: boolean;
  textFile?: string;
  out?: string;
  listVoices?: boolean;
  json?: boolean;
}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replace(/st$/, ''));
  if (!Number.isFinite(n))
    throw new AutoVoiceError('usage.invalid_argument', `--${name} must be a number; got "${value}".`, {
      [name]: value,
    });
  return n;
}

/** Piper voices live in `<dataDir>/piper` (NAME.onnx + NAME.onnx.json). */
function registryFor(ctx: CliContext): TtsEngineRegistry {
  const dataDir = loadConfig(ctx.env, { cwd: ctx.cwd }).dataDir;
  return createTtsRegistry({ piperVoiceDirs: [join(dataDir, 'piper')] });
}

/** A --voice that is not an engine voice id (`engine:…`, a .onnx path) may name a voice profile. */
async function findProfile(ctx: CliContext, voice: string | undefined): Promise<VoiceProfile | undefined> {
  if (voice === undefined || /^(espeak|flite|piper):/.test(voice) || voice.endsWith('.onnx'))
    return undefined;
  const repository = openVoiceRepository(ctx);
  return (await repository.has(voice)) ? repository.get(voice) : undefined;
}

async function listVoices(ctx: CliContext, opts: TtsCliOptions): Promise<void> {
  const voices = await listTtsVoices({
    registry: registryFor(ctx),
    ...(opts.engine ? { engines: [opts.engine] } : {}),
    ...(opts.language ? { language: opts.language } : {}),
  });
  if (opts.json) {
    printJson(ctx, { voices });
    return;
  }
  for (const v of voices)
    printLine(
      ctx,
      `${v.id.padEnd(28)} ${v.language.padEnd(16)} ${String(v.sampleRate).padStart(6)} Hz  ${(v.gender ?? '').padEnd(6)} ${v.name}`,
    );
  printLine(ctx, `${voices.length} voices (cloned voice profiles: autovoice profile list)`);
}

/**
 * `autovoice tts "TEXT" [--voice ID|NAME] [--engine espeak|flite|piper] [--model FILE.onnx] --out OUT`
 * and `autovoice tts --list-voices [--json]`.
 */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('tts')
      .description(
        'Speak text in a stock TTS voice, a Piper voice or a cloned voice profile; or list TTS voices.',
      )
      .argument('[text]', 'text (or SSML starting with <speak>) to speak')
      .option(
        '--voice <voice>',
        'TTS voice id (espeak:en-us, flite:slt, piper:NAME) or a voice profile id/name',
      )
      .option('--engine <engine>', 'espeak | flite | piper (default: from the voice, else espeak)')
      .option('--model <file>', 'Piper voice model (.onnx with its .onnx.json beside it)')
      .option('--language <tag>', 'language for the default voice and text normalisation, e.g. de')
      .option('--rate <factor>', 'speaking rate factor, 0.25..4 (1 = normal)')
      .option('--pitch <semitones>', 'pitch shift in semitones, -24..24')
      .option('--speaker <speaker>', 'speaker name or index of a multi-speaker Piper voice')
      .option('--ssml', 'treat the text as SSML (auto-detected when it starts with <speak>)')
      .option('--text-file <file>', 'read the text from a UTF-8 file instead of the argument')
      .option('--out <file>', 'output file (.wav, .flac or .mp3)')
      .option('--list-voices', 'list the TTS voices (with --engine / --language filters)')
      .option('--json', 'print machine-readable JSON')
      .action(async (textArgument: string | undefined, opts: TtsCliOptions) => {
        if (opts.listVoices) {
          await listVoices(ctx, opts);
          return;
        }
        const text =
          opts.textFile !== undefined
            ? await readTextArgumentFile('--text-file', resolve(ctx.cwd, opts.textFile))
            : textArgument;
        if (text === undefined)
          throw new AutoVoiceError(
            'usage.missing_argument',
            'Give the text to speak (autovoice tts "Hello" --out hello.wav), or --text-file, or --list-voices.',
          );
        if (opts.out === undefined)
          throw new AutoVoiceError('usage.missing_argument', 'Give --out FILE (.wav, .flac or .mp3).');
        if (opts.model !== undefined && opts.voice !== undefined)
          throw new AutoVoiceError('usage.invalid_argument', 'Give either --model or --voice, not both.');
        const out = resolve(ctx.cwd, opts.out);
        await checkAudioOutputFile('--out', out);
        const profile = await findProfile(ctx, opts.voice);
        const voice = profile ?? (opts.model !== undefined ? resolve(ctx.cwd, opts.model) : opts.voice);
        const started = performance.now();
        const result = await synthesizeWithVoice(text, {
          voice,
          registry: registryFor(ctx),
          ...(opts.engine !== undefined
            ? { engine: opts.engine }
            : opts.model !== undefined
              ? { engine: 'piper' }
              : {}),
          ...(opts.language !== undefined ? { language: opts.language } : {}),
          ...(opts.rate !== undefined ? { rate: numberOption('rate', opts.rate) } : {}),
          ...(opts.pitch !== undefined ? { pitch: numberOption('pitch', opts.pitch) } : {}),
          ...(opts.speaker !== undefined ? { speaker: opts.speaker } : {}),
          ...(opts.ssml ? { ssml: true } : {}),
        });
        const seconds = (performance.now() - started) / 1000;
        await writeAudioFile(out, result.audio);
        const duration = audioDurationSeconds(result.audio);
        const doc = {
          output: out,
          voice: result.voice,
          sampleRate: result.audio.sampleRate,
          durationSeconds: duration,
          synthesisSeconds: seconds,
          realTimeFactor: seconds / Math.max(duration, 1e-9),
          metrics: result.metrics,
        };
        if (opts.json) {
          printJson(ctx, doc);
          return;
        }
        const who =
          result.voice.kind === 'profile'
            ? `voice profile ${result.voice.name} (base ${result.voice.baseVoice})`
            : result.voice.id;
        printLine(
          ctx,
          `spoke ${duration.toFixed(2)} s in ${who} → ${out} (${seconds.toFixed(2)} s, RTF ${(seconds / Math.max(duration, 1e-9)).toFixed(3)})`,
        );
      });
  },
};
