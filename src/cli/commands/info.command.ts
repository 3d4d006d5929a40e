import type { Command } from 'commander';
import { readAudioFile, type AudioFileInfo } from '../../audio/index.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import type { CliCommand } from './index.js';

function describe(path: string, info: AudioFileInfo): string[] {
  return [
    `${path}`,
    `  format:      ${info.container} (${info.codec})`,
    `  duration:    ${info.durationSeconds.toFixed(3)} s`,
    `  sample rate: ${info.sampleRate} Hz`,
    `  channels:    ${info.channels}`,
  ];
}

/** `autovoice info FILE... [--json]`: what each audio file is (format, codec, duration, rate, channels). */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    program
      .command('info')
      .description('Show format, codec, duration, sample rate and channels of audio files.')
      .argument('<files...>', 'audio files (WAV, MP3, FLAC, Ogg Vorbis/Opus, M4A/AAC)')
      .option('--json', 'print machine-readable JSON')
      .action(async (files: string[], opts: { json?: boolean }) => {
        const results = [];
        for (const file of files) results.push({ file, ...(await readAudioFile(file)).info });
        if (opts.json) printJson(ctx, results);
        else for (const r of results) for (const line of describe(r.file, r)) printLine(ctx, line);
      });
  },
};
