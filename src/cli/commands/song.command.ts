import { resolve } from 'node:path';
import type { Command } from 'commander';
import { convertSongFile } from '../../pipelines/convert-song.pipeline.js';
import { parseNumberOption, printJson, printLine, type CliContext } from '../cli-context.js';
import { checkAudioOutputFile, prepareOutputFolder } from '../output-paths.js';
import type { CliCommand } from './index.js';
import { openVoiceRepository } from './profile.command.js';

/**
 * `autovoice song IN --voice ID|NAME --out OUT [--stems DIR] [--pitch auto|±N] [--vocal-gain dB]
 * [--accompaniment-gain dB] [--engine dsp|onnx --model FILE] [--json]`.
 */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('song')
      .description(
        'Convert a whole song into a voice: separate the vocal, convert it (melody kept), remix with the accompaniment.',
      )
      .argument('<input>', 'song file (WAV, MP3, FLAC, Ogg, M4A; stereo or mono)')
      .requiredOption('--voice <voice>', 'target profile id or name (see "autovoice profile list")')
      .requiredOption('--out <file>', 'output mix (.wav, .flac or .mp3)')
      .option(
        '--stems <dir>',
        'also write mix.wav, converted-vocals.wav, original-vocals.wav, accompaniment.wav here',
      )
      .option(
        '--pitch <pitch>',
        'auto (octaves to fit the voice) or ±N semitones applied to vocals and accompaniment',
        'auto',
      )
      .option('--vocal-gain <dB>', 'gain of the converted vocal in the mix', '0')
      .option('--accompaniment-gain <dB>', 'gain of the accompaniment in the mix', '0')
      .option('--engine <engine>', 'separation engine: dsp (embedded) or onnx (with --model)', 'dsp')
      .option('--model <file>', 'ONNX separation model for --engine onnx')
      .option('--json', 'print machine-readable JSON')
      .action(
        async (
          input: string,
          opts: {
            voice: string;
            out: string;
            stems?: string;
            pitch: string;
            vocalGain: string;
            accompanimentGain: string;
            engine: string;
            model?: string;
            json?: boolean;
          },
        ) => {
          const vocalGainDb = parseNumberOption('--vocal-gain', opts.vocalGain, '-3 (dB)');
          const accompanimentGainDb = parseNumberOption('--accompaniment-gain', opts.accompanimentGain, '+2 (dB)');
          const out = resolve(ctx.cwd, opts.out);
          const stemsDir = opts.stems === undefined ? undefined : resolve(ctx.cwd, opts.stems);
          await checkAudioOutputFile('--out', out);
          if (stemsDir !== undefined) await prepareOutputFolder('--stems', stemsDir);
          const profile = await openVoiceRepository(ctx).get(opts.voice);
          const started = performance.now();
          const result = await convertSongFile(resolve(ctx.cwd, input), out, profile, {
            pitch: opts.pitch,
            vocalGainDb,
            accompanimentGainDb,
            separationEngine: opts.engine,
            separationModelPath: opts.model === undefined ? undefined : resolve(ctx.cwd, opts.model),
            stemsDir,
          });
          const elapsedSeconds = (performance.now() - started) / 1000;
          const { vocal, ...song } = result.metrics;
          const doc = {
            input,
            output: result.output,
            stems: result.stems ?? null,
            voice: { id: profile.id, name: profile.name },
            durationSeconds: result.durationSeconds,
            elapsedSeconds,
            metrics: { ...song, vocal: vocal ?? null },
          };
          if (opts.json) {
            printJson(
              ctx,
              JSON.parse(
                JSON.stringify(doc, (_k, v: unknown) =>
                  typeof v === 'number' && !Number.isFinite(v) ? null : v,
                ),
              ),
            );
            return;
          }
          printLine(
            ctx,
            `converted ${input} → ${result.output} in voice ${profile.name} (${elapsedSeconds.toFixed(1)} s)`,
          );
          printLine(
            ctx,
            `  vocal transposition: ${song.vocalSemitones >= 0 ? '+' : ''}${song.vocalSemitones} st, accompaniment ${song.accompanimentSemitones >= 0 ? '+' : ''}${song.accompanimentSemitones} st`,
          );
          printLine(
            ctx,
            `  loudness: ${song.mixLufs.toFixed(1)} LUFS (original ${song.originalLufs.toFixed(1)}), true peak ${song.mixTruePeakDbtp.toFixed(1)} dBTP`,
          );
          if (result.stems !== undefined)
            printLine(ctx, `  stems: ${Object.values(result.stems).join(', ')}`);
        },
      );
  },
};
