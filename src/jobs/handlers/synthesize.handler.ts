import type { RawAudio } from '../../audio/index.js';
import { audioDurationSeconds, mixToMono } from '../../audio/index.js';
import { concatAudio, synthesizeSpeechStream } from '../../tts/index.js';
import type { JobHandler } from '../job-handler.js';
import { storeAudioOutput } from './handler-io.js';
import { featureUnavailable } from './unavailable.js';
import { pcm16Bytes, wavStreamHeader } from './wav-stream.js';

/** Stock TTS voices are always available (embedded engines). */
export const available = true;

/**
 * Text to speech: synthesises sentence by sentence; with `stream`, each sentence goes out as
 * WAV bytes at once (time to first audio = first sentence), otherwise the whole utterance is
 * encoded and stored as the `main` output.
 */
export const handler: JobHandler<'synthesize'> = async (payload, ctx) => {
  if (payload.voiceProfileId !== undefined) throw featureUnavailable('Speech in a cloned voice');
  const chunks: RawAudio[] = [];
  let headerSent = false;
  ctx.progress('synthesize', 0);
  const stream = synthesizeSpeechStream(payload.text, {
    ...(payload.voice === undefined ? {} : { voice: payload.voice }),
    ...(payload.engine === undefined ? {} : { engine: payload.engine }),
    ...(payload.language === undefined ? {} : { language: payload.language }),
    ...(payload.rate === undefined ? {} : { rate: payload.rate }),
    ...(payload.pitch === undefined ? {} : { pitch: payload.pitch }),
    maxTextChars: ctx.limits.textMaxChars,
    signal: ctx.signal,
  });
  for await (const chunk of stream) {
    chunks.push(chunk);
    if (payload.stream === true) {
      if (!headerSent) ctx.emitChunk(wavStreamHeader(chunk.sampleRate));
      headerSent = true;
      ctx.emitChunk(pcm16Bytes(chunk.channels.length === 1 ? (chunk.channels[0] ?? new Float32Array(0)) : mixToMono(chunk)));
    }
    ctx.progress('synthesize', chunks.length / (chunks.length + 1));
  }
  const audio = concatAudio(chunks);
  const audioSeconds = audioDurationSeconds(audio);
  if (payload.stream === true) return { outputs: {} as Record<string, never>, audioSeconds };
  ctx.progress('encode', 0.95);
  return { outputs: { main: await storeAudioOutput(ctx, audio, payload.format) }, audioSeconds };
};
