import type { Command } from 'commander';
import { measureLoudness, readAudioFile, type AudioFileInfo, type LoudnessMeasurement } from '../../audio/index.js';
import { AutoVoiceError, toAutoVoiceError } from '../../errors/index.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import type { CliCommand } from './index.js';

/** What `info` reports for one readable file. -Infinity (silence) becomes null in JSON. */
export interface FileReport extends AudioFileInfo, LoudnessMeasurement {
  readonly file: string;
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds - minutes * 60;
  return `${seconds.toFixed(3)} s (${minutes}:${rest.toFixed(3).padStart(6, '0')})`;
}

function formatDb(value: number, unit: string): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} ${unit}` : `-inf ${unit}`;
}

function describeReport(r: FileReport): string[] {
  return [
    r.file,
    `  format:       ${r.container} (${r.codec})`,
    `  duration:     ${formatDuration(r.durationSeconds)}`,
    `  sample rate:  ${r.sampleRate} Hz`,
    `  channels:     ${r.channels}`,
    `  bit depth:    ${r.bitDepth === undefined ? 'n/a (lossy)' : String(r.bitDepth)}`,
    `  loudness:     ${formatDb(r.integratedLufs, 'LUFS')} integrated, range ${r.loudnessRangeLu.toFixed(1)} LU`,
    `  peaks:        ${formatDb(r.truePeakDbtp, 'dBTP')} true, ${formatDb(r.samplePeakDbfs, 'dBFS')} sample`,
  ];
}

/** JSON-safe copy: non-finite numbers (silence) become null. */
function toJson(r: FileReport): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? null : v]));
}

async function inspect(file: string): Promise<FileReport> {
  const { audio, info } = await readAudioFile(file);
  return { file, ...info, ...measureLoudness(audio) };
}

/**
 * `autovoice info FILE... [--json]`: format, codec, duration, sample rate, channels, bit depth,
 * integrated loudness (BS.1770-4), loudness range and peaks of each file. Unreadable files are
 * reported and the exit code follows the first failure (3 for unusable audio).
 */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('info')
      .description('Show format, codec, duration, sample rate, channels, loudness and true peak of audio files.')
      .argument('<files...>', 'audio files (WAV, MP3, FLAC, Ogg Vorbis/Opus, M4A/AAC; the content decides, not the name)')
      .option('--json', 'print machine-readable JSON (an array, one entry per file)')
      .action(async (files: string[], opts: { json?: boolean }) => {
        const reports: (FileReport | { file: string; error: AutoVoiceError })[] = [];
        for (const file of files) {
          try {
            reports.push(await inspect(file));
          } catch (error) {
            reports.push({ file, error: toAutoVoiceError(error) });
          }
        }
        if (opts.json) {
          printJson(
            ctx,
            reports.map((r) => ('error' in r ? { file: r.file, error: r.error.toJSON() } : toJson(r))),
          );
        } else {
          for (const r of reports) if (!('error' in r)) for (const line of describeReport(r)) printLine(ctx, line);
        }
        const failures = reports.filter((r): r is { file: string; error: AutoVoiceError } => 'error' in r);
        // The first failure is thrown (main prints it and picks the exit code); the others are printed here.
        for (const f of failures.slice(1)) {
          if (!opts.json) ctx.stderr.write(`autovoice: error [${f.error.code}]: ${f.file}: ${f.error.message}\n`);
        }
        const first = failures[0];
        if (first) {
          throw new AutoVoiceError(first.error.code, `${first.file}: ${first.error.message}`, first.error.details, { cause: first.error });
        }
      });
  },
};
