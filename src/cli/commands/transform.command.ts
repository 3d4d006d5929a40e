import { resolve } from 'node:path';
import type { Command } from 'commander';
import { readAudioFile, writeAudioFile } from '../../audio/index.js';
import { transformVoice, type VoiceEdit } from '../../pipelines/transform-voice.pipeline.js';
import { parseNumberOption, printJson, printLine, type CliContext } from '../cli-context.js';
import { checkAudioOutputFile } from '../output-paths.js';
import type { CliCommand } from './index.js';

interface TransformCommandOptions {
  out: string;
  semitones?: string;
  formant?: string;
  tilt?: string;
  breathiness?: string;
  stretch?: string;
  refine?: boolean;
  json?: boolean;
}

/** The number an option holds, or undefined when it was not given. */
function optionalNumber(flag: string, text: string | undefined, example: string): number | undefined {
  return text === undefined ? undefined : parseNumberOption(flag, text, example);
}

function signed(x: number, digits: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
}

/**
 * `autovoice transform IN --out OUT [--semitones N] [--formant F] [--tilt DB] [--breathiness X]
 * [--stretch X] [--refine] [--json]`: pitch shift with formants kept, formant shift, spectral
 * tilt, breathiness and time stretch of a voice, in one rendering.
 */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('transform')
      .description(
        'Edit a voice: pitch (formants kept), formants, tilt, breathiness, tempo (pitch kept), in one pass.',
      )
      .argument('<input>', 'audio file with a voice (mixed to mono)')
      .requiredOption('--out <file>', 'output file (.wav, .flac or .mp3)')
      .option('--semitones <n>', 'pitch shift in semitones, -24..24, formants kept (e.g. 4 or -3.5)')
      .option('--formant <factor>', 'formant factor 0.5..2 (1.1 = smaller, brighter; 0.9 = larger, darker)')
      .option('--tilt <dB>', 'spectral tilt in dB per octave around 1 kHz, -12..12 (positive = brighter)')
      .option('--breathiness <factor>', 'factor on the aperiodic part, 0..4 (2 = breathier, 0.5 = cleaner)')
      .option('--stretch <factor>', 'duration factor 0.25..4 (1.25 = 25% slower), pitch kept')
      .option(
        '--refine',
        'refine the analysis first (slower, most faithful; only when pitch and tempo are kept)',
      )
      .option('--json', 'print machine-readable JSON')
      .action(async (input: string, opts: TransformCommandOptions) => {
        const requested: Partial<Record<keyof VoiceEdit, number | undefined>> = {
          semitones: optionalNumber('--semitones', opts.semitones, '4 or -3.5'),
          formantFactor: optionalNumber('--formant', opts.formant, '1.1'),
          tiltDbPerOctave: optionalNumber('--tilt', opts.tilt, '-2'),
          breathiness: optionalNumber('--breathiness', opts.breathiness, '1.5'),
          stretch: optionalNumber('--stretch', opts.stretch, '1.25'),
        };
        const edit = Object.fromEntries(
          Object.entries(requested).filter(([, v]) => v !== undefined),
        ) as Partial<VoiceEdit>;
        const out = resolve(ctx.cwd, opts.out);
        await checkAudioOutputFile('--out', out);
        const { audio } = await readAudioFile(resolve(ctx.cwd, input));
        const result = await transformVoice(audio, edit, { refine: opts.refine === true });
        await writeAudioFile(out, result.audio);
        const doc = {
          input,
          output: out,
          edit: result.edit,
          refined: result.refined,
          durationSeconds: (result.audio.channels[0]?.length ?? 0) / result.audio.sampleRate,
          inputMedianF0Hz: result.inputMedianF0Hz,
          outputMedianF0Hz: result.outputMedianF0Hz,
          realisedSemitones: result.realisedSemitones,
        };
        if (opts.json) {
          printJson(ctx, doc);
          return;
        }
        const e = result.edit;
        printLine(
          ctx,
          `transformed ${input} → ${out} (${signed(e.semitones, 1)} st, formants ×${e.formantFactor}, tilt ${signed(e.tiltDbPerOctave, 1)} dB/oct, breathiness ×${e.breathiness}, duration ×${e.stretch}${result.refined ? ', refined' : ''})`,
        );
        if (result.realisedSemitones !== null)
          printLine(
            ctx,
            `  median F0 ${result.inputMedianF0Hz?.toFixed(1)} → ${result.outputMedianF0Hz?.toFixed(1)} Hz (${signed(result.realisedSemitones, 2)} st realised)`,
          );
        if (opts.refine === true && !result.refined)
          printLine(
            ctx,
            "  --refine skipped: it needs the recording's pitch and tempo (no --semitones or --stretch)",
          );
      });
  },
};
