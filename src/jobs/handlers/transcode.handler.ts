import type { JobHandler } from '../job-handler.js';
import { readInputAudio, storeAudioOutput } from './handler-io.js';

/** Needs only src/audio. */
export const available = true;

/** Re-encodes a stored result in another format (download as mp3/flac of a wav result, …). */
export const handler: JobHandler<'transcode'> = async (payload, ctx) => {
  ctx.progress('decode', 0);
  const decoded = await readInputAudio(ctx, payload.input, true);
  ctx.progress('encode', 0.5);
  const output = await storeAudioOutput(ctx, decoded.audio, payload.format);
  return { outputs: { main: output }, audioSeconds: decoded.info.durationSeconds };
};
