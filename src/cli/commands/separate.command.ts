import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { audioDurationSeconds, readAudioFile, writeAudioFile } from '../../audio/index.js';
import { separateVocals } from '../../separation/index.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import { prepareOutputFolder } from '../output-paths.js';
import type { CliCommand } from './index.js';

/** `autovoice separate IN --out-dir DIR [--engine dsp|onnx --model FILE] [--json]`: vocals.wav + accompaniment.wav. */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('separate')
      .description('Split a song into vocals.wav and accompaniment.wav (the two stems sum to the input).')
      .argument('<input>', 'audio file (WAV, MP3, FLAC, Ogg, M4A; stereo or mono)')
      .requiredOption('--out-dir <dir>', 'folder for vocals.wav and accompaniment.wav (created if missing)')
      .option(
        '--engine <engine>',
        'dsp (embedded, no model) or onnx (an MDX-Net/UVR model given with --model)',
        'dsp',
      )
      .option('--model <file>', 'ONNX separation model for --engine onnx')
      .option('--json', 'print machine-readable JSON')
      .action(
        async (input: string, opts: { outDir: string; engine: string; model?: string; json?: boolean }) => {
          const started = performance.now();
          const dir = resolve(ctx.cwd, opts.outDir);
          await prepareOutputFolder('--out-dir', dir);
          const { audio } = await readAudioFile(resolve(ctx.cwd, input));
          const stems = await separateVocals(audio, {
            engine: opts.engine,
            modelPath: opts.model === undefined ? undefined : resolve(ctx.cwd, opts.model),
          });
          const vocals = join(dir, 'vocals.wav');
          const accompaniment = join(dir, 'accompaniment.wav');
          await writeAudioFile(vocals, stems.vocals, 'wav-f32');
          await writeAudioFile(accompaniment, stems.accompaniment, 'wav-f32');
          const doc = {
            input,
            engine: opts.engine,
            durationSeconds: audioDurationSeconds(audio),
            sampleRate: audio.sampleRate,
            channels: audio.channels.length,
            vocals,
            accompaniment,
            elapsedSeconds: (performance.now() - started) / 1000,
          };
          if (opts.json) {
            printJson(ctx, doc);
            return;
          }
          printLine(
            ctx,
            `separated ${input} (${doc.durationSeconds.toFixed(1)} s, ${doc.channels} ch) with ${opts.engine} in ${doc.elapsedSeconds.toFixed(1)} s`,
          );
          printLine(ctx, `  vocals:        ${vocals}`);
          printLine(ctx, `  accompaniment: ${accompaniment}`);
        },
      );
  },
};
