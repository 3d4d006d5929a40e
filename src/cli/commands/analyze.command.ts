import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { mixToMono, readAudioFile } from '../../audio/index.js';
import { assertEngineSampleRate } from '../../pipelines/engine-sample-rate.js';
import { estimateF0, f0FrameTimesSeconds, hzToNoteName, type F0Track } from '../../dsp/pitch/index.js';
import { AutoVoiceError } from '../../errors/index.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import { checkOutputFile } from '../output-paths.js';
import type { CliCommand } from './index.js';

interface F0CommandOptions {
  out?: string;
  hopMs: string;
  minHz: string;
  maxHz: string;
  medianFrames: string;
  json?: boolean;
}

/** Summary of an F0 analysis, as printed (and as `--json` prints it). */
export interface F0Summary {
  readonly file: string;
  readonly out: string | null;
  readonly sampleRate: number;
  readonly framePeriodMs: number;
  readonly frames: number;
  readonly voicedFrames: number;
  readonly medianF0Hz: number | null;
  readonly medianNote: string | null;
  readonly lowestF0Hz: number | null;
  readonly highestF0Hz: number | null;
}

function parseNumber(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new AutoVoiceError('usage.invalid_argument', `${name} must be a positive number, got '${text}' (e.g. ${name} 5).`, {
      option: name,
      value: text,
    });
  }
  return value;
}

/** The track as CSV: header `time,f0,voiced`; time = frame centre (s), f0 in Hz (0 = unvoiced). */
export function f0TrackToCsv(track: F0Track): string {
  const times = f0FrameTimesSeconds(track);
  const lines = ['time,f0,voiced'];
  for (let i = 0; i < times.length; i++) {
    lines.push(`${(times[i] as number).toFixed(4)},${(track.f0Hz[i] as number).toFixed(2)},${track.voiced[i] as number}`);
  }
  return `${lines.join('\n')}\n`;
}

function summarize(file: string, out: string | null, track: F0Track): F0Summary {
  const voicedHz = Array.from(track.f0Hz).filter((f) => f > 0);
  voicedHz.sort((a, b) => a - b);
  const median = voicedHz.length > 0 ? (voicedHz[Math.floor(voicedHz.length / 2)] as number) : null;
  return {
    file,
    out,
    sampleRate: track.sampleRate,
    framePeriodMs: track.framePeriodMs,
    frames: track.f0Hz.length,
    voicedFrames: voicedHz.length,
    medianF0Hz: median === null ? null : Number(median.toFixed(2)),
    medianNote: median === null ? null : hzToNoteName(median),
    lowestF0Hz: voicedHz.length > 0 ? Number((voicedHz[0] as number).toFixed(2)) : null,
    highestF0Hz: voicedHz.length > 0 ? Number((voicedHz[voicedHz.length - 1] as number).toFixed(2)) : null,
  };
}

/**
 * `autovoice analyze f0 IN [--out f0.csv] [--hop-ms 5] [--min-hz 50] [--max-hz 1200] [--median-frames 5] [--json]`:
 * F0 contour of an audio file (channels mixed to mono). With --out the CSV (`time,f0,voiced`) goes
 * to that file and a summary is printed; without it the CSV goes to stdout. --json prints the
 * summary as JSON instead.
 */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    const analyze = program.command('analyze').description('Analyse audio (pitch contour).');
    analyze
      .command('f0')
      .description('Estimate the F0 (pitch) contour and write it as CSV: time,f0,voiced (f0 = 0 when unvoiced).')
      .argument('<input>', 'audio file (WAV, MP3, FLAC, Ogg, M4A)')
      .option('--out <file>', 'write the CSV here (default: stdout)')
      .option('--hop-ms <ms>', 'hop between frames, ms', '5')
      .option('--min-hz <hz>', 'lowest F0 searched, Hz', '50')
      .option('--max-hz <hz>', 'highest F0 searched, Hz', '1200')
      .option('--median-frames <n>', 'running median over each voiced run, frames (odd; 1 = the raw frame readings)', '5')
      .option('--json', 'print a machine-readable summary')
      .action(async (input: string, opts: F0CommandOptions) => {
        const framePeriodMs = parseNumber('--hop-ms', opts.hopMs);
        const f0FloorHz = parseNumber('--min-hz', opts.minHz);
        const f0CeilHz = parseNumber('--max-hz', opts.maxHz);
        const medianFilterFrames = parseNumber('--median-frames', opts.medianFrames);
        const outPath = opts.out === undefined ? null : resolve(ctx.cwd, opts.out);
        if (outPath !== null) await checkOutputFile('--out', outPath);
        const { audio } = await readAudioFile(resolve(ctx.cwd, input));
        // The tracker's lag grid is too coarse below the engine's rate (a 150 Hz voice at 2 kHz reads 83 Hz).
        assertEngineSampleRate(audio.sampleRate, 'The audio to analyse');
        const track = estimateF0(mixToMono(audio), audio.sampleRate, { framePeriodMs, f0FloorHz, f0CeilHz, medianFilterFrames });
        const csv = f0TrackToCsv(track);
        if (outPath !== null) await writeFile(outPath, csv);
        const summary = summarize(input, outPath, track);
        if (opts.json) {
          printJson(ctx, outPath === null ? { ...summary, csv } : summary);
        } else if (outPath === null) {
          ctx.stdout.write(csv);
        } else {
          printLine(
            ctx,
            `${input}: ${summary.frames} frames of ${framePeriodMs} ms, ${summary.voicedFrames} voiced` +
              (summary.medianF0Hz === null ? '' : `, median ${summary.medianF0Hz} Hz (${summary.medianNote})`) +
              ` -> ${outPath}`,
          );
        }
      });
  },
};
