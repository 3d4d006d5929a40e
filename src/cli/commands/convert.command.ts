import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readAudioFile, writeAudioFile } from '../../audio/index.js';
import { AutoVoiceError } from '../../errors/index.js';
import { convertVoice } from '../../pipelines/convert-voice.pipeline.js';
import type { PitchMode } from '../../voice/pitch-mapping.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import { checkAudioOutputFile } from '../output-paths.js';
import type { CliCommand } from './index.js';
import { openVoiceRepository } from './profile.command.js';

const MODES: readonly PitchMode[] = ['speech', 'singing', 'keep'];

function formatMetric(value: unknown): string {
  if (typeof value === 'number')
    return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : String(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `autovoice convert IN --voice ID|NAME --out OUT [--mode] [--pitch] [--json]`: speech or singing into a voice profile. */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('convert')
      .description(
        "Convert speech or singing into a voice profile (same words, melody and timing; the profile's timbre).",
      )
      .argument('<input>', 'audio file to convert')
      .requiredOption('--voice <voice>', 'target profile id or name (see "autovoice profile list")')
      .requiredOption('--out <file>', 'output file (.wav, .flac or .mp3)')
      .option(
        '--mode <mode>',
        "speech (map pitch into the voice's range), singing (keep the melody), keep",
        'speech',
      )
      .option('--pitch <pitch>', 'auto, or a transposition in semitones, e.g. +12 or -5', 'auto')
      .option('--json', 'print machine-readable JSON')
      .action(
        async (
          input: string,
          opts: { voice: string; out: string; mode: string; pitch: string; json?: boolean },
        ) => {
          if (!MODES.includes(opts.mode as PitchMode)) {
            throw new AutoVoiceError(
              'usage.invalid_argument',
              `--mode must be one of ${MODES.join(', ')}; got "${opts.mode}".`,
              { mode: opts.mode },
            );
          }
          const out = resolve(ctx.cwd, opts.out);
          await checkAudioOutputFile('--out', out);
          const profile = await openVoiceRepository(ctx).get(opts.voice);
          const { audio } = await readAudioFile(resolve(ctx.cwd, input));
          const result = await convertVoice(audio, profile, {
            mode: opts.mode as PitchMode,
            pitch: opts.pitch,
          });
          await writeAudioFile(out, result.audio);
          const doc = {
            input,
            output: out,
            voice: { id: profile.id, name: profile.name },
            plan: result.plan,
            metrics: result.metrics,
          };
          if (opts.json) {
            printJson(ctx, doc);
            return;
          }
          printLine(
            ctx,
            `converted ${input} → ${out} in voice ${profile.name} (${result.plan.mode}, ${result.plan.semitones >= 0 ? '+' : ''}${result.plan.semitones.toFixed(1)} st)`,
          );
          for (const [key, value] of Object.entries(result.metrics ?? {}))
            printLine(ctx, `  ${key}: ${formatMetric(value)}`);
        },
      );
  },
};
