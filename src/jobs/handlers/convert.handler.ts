import { convertVoice } from '../../pipelines/convert-voice.pipeline.js';
import { VoiceProfileRepository } from '../../storage/voice-profile.repository.js';
import type { JobHandler } from '../job-handler.js';
import { pipelineRunOptions, readInputAudio, storeAudioOutput } from './handler-io.js';

/** The VOICE pipeline is part of the build. */
export const available = true;

/** Converts an uploaded recording into a voice profile; output `main`, metrics from the pipeline. */
export const handler: JobHandler<'convert'> = async (payload, ctx) => {
  const profile = await new VoiceProfileRepository(ctx.dataDir).get(payload.voice);
  ctx.progress('decode', 0);
  const decoded = await readInputAudio(ctx, payload.input);
  const result = await convertVoice(decoded.audio, profile, {
    mode: payload.mode,
    pitch: payload.pitch,
    ...pipelineRunOptions(ctx, 0.95),
  });
  ctx.progress('encode', 0.95);
  const main = await storeAudioOutput(ctx, result.audio, payload.format);
  return {
    outputs: { main },
    metrics: { ...(result.metrics as unknown as Record<string, unknown> | undefined), plan: result.plan },
    audioSeconds: decoded.info.durationSeconds,
  };
};
