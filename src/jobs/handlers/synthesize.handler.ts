import type { RawAudio } from '../../audio/index.js';
import { audioDurationSeconds, mixToMono } from '../../audio/index.js';
import { synthesizeWithVoice, synthesizeWithVoiceStream, type SynthesizeWithVoiceOptions } from '../../pipelines/synthesize.pipeline.js';
import { VoiceProfileRepository } from '../../storage/voice-profile.repository.js';
import { concatAudio } from '../../tts/index.js';
import type { JobHandler } from '../job-handler.js';
import type { JobContext } from '../job-context.js';
import type { SynthesizeJobPayload } from '../job-types.js';
import { pipelineRunOptions, storeAudioOutput } from './handler-io.js';
import { pcm16Bytes, wavStreamHeader } from './wav-stream.js';

/** Stock TTS voices and cloned voices (TTS + conversion) are part of the build. */
export const available = true;

async function pipelineOptions(payload: SynthesizeJobPayload, ctx: JobContext): Promise<SynthesizeWithVoiceOptions> {
  const voice = payload.voiceProfileId !== undefined ? await new VoiceProfileRepository(ctx.dataDir).get(payload.voiceProfileId) : payload.voice;
  return {
    ...(voice === undefined ? {} : { voice }),
    ...(payload.engine === undefined ? {} : { engine: payload.engine }),
    ...(payload.language === undefined ? {} : { language: payload.language }),
    ...(payload.rate === undefined ? {} : { rate: payload.rate }),
    ...(payload.pitch === undefined ? {} : { pitch: payload.pitch }),
    maxTextChars: ctx.limits.textMaxChars,
    ...pipelineRunOptions(ctx, 0.95),
  };
}

/**
 * Text to speech in a stock or cloned voice. With `stream`, each sentence goes out as WAV bytes
 * as soon as it exists (a streamed WAV header first), so audio starts after the first sentence;
 * otherwise the utterance is encoded and stored as the `main` output, with conversion metrics
 * for cloned voices.
 */
export const handler: JobHandler<'synthesize'> = async (payload, ctx) => {
  ctx.progress('synthesize', 0);
  const options = await pipelineOptions(payload, ctx);
  if (payload.stream !== true) {
    const result = await synthesizeWithVoice(payload.text, options);
    ctx.progress('encode', 0.95);
    const main = await storeAudioOutput(ctx, result.audio, payload.format);
    return { outputs: { main }, metrics: { voice: result.voice, ...(result.metrics === undefined ? {} : { conversion: result.metrics }) }, audioSeconds: audioDurationSeconds(result.audio) };
  }
  const chunks: RawAudio[] = [];
  for await (const chunk of synthesizeWithVoiceStream(payload.text, options)) {
    if (chunks.length === 0) ctx.emitChunk(wavStreamHeader(chunk.sampleRate));
    chunks.push(chunk);
    ctx.emitChunk(pcm16Bytes(chunk.channels.length === 1 ? (chunk.channels[0] ?? new Float32Array(0)) : mixToMono(chunk)));
  }
  return { outputs: {} as Record<string, never>, audioSeconds: audioDurationSeconds(concatAudio(chunks)) };
};
