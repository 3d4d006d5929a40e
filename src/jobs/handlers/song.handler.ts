import { audioDurationSeconds } from '../../audio/index.js';
import { convertSong } from '../../pipelines/convert-song.pipeline.js';
import { VoiceProfileRepository } from '../../storage/voice-profile.repository.js';
import type { JobHandler } from '../job-handler.js';
import { pipelineRunOptions, readInputAudio, storeAudioOutput } from './handler-io.js';

/** The SONG pipeline is part of the build. */
export const available = true;

/**
 * Song conversion: separate → convert the vocals in singing mode → remix. Outputs (variants):
 * `mix` (the default download), `vocals` (converted), `original_vocals`, `accompaniment`.
 */
export const handler: JobHandler<'song'> = async (payload, ctx) => {
  const profile = await new VoiceProfileRepository(ctx.dataDir).get(payload.voice);
  ctx.progress('decode', 0);
  const decoded = await readInputAudio(ctx, payload.input);
  const result = await convertSong(decoded.audio, profile, {
    pitch: payload.pitch,
    vocalGainDb: payload.vocalGainDb,
    accompanimentGainDb: payload.accompanimentGainDb,
    separationEngine: payload.separationEngine,
    ...pipelineRunOptions(ctx, 0.9),
  });
  ctx.progress('encode', 0.9);
  const outputs = {
    mix: await storeAudioOutput(ctx, result.mix, payload.format),
    vocals: await storeAudioOutput(ctx, result.convertedVocals, payload.format),
    original_vocals: await storeAudioOutput(ctx, result.originalVocals, payload.format),
    accompaniment: await storeAudioOutput(ctx, result.accompaniment, payload.format),
  };
  return { outputs, metrics: result.metrics as unknown as Record<string, unknown>, audioSeconds: audioDurationSeconds(decoded.audio) };
};
