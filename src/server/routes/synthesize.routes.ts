import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AutoVoiceError, toAutoVoiceError } from '../../errors/index.js';
import type { SynthesizeJobPayload } from '../../jobs/job-types.js';
import { COMMON_ERRORS, errorResponses } from '../schemas/common.schema.js';
import { JobAccepted } from '../schemas/job.schema.js';
import { SynthesizeBody } from '../schemas/work.schema.js';
import { AUDIO_MIME } from '../services/audio-reply.js';
import { assertFeatureAvailable } from '../services/feature-check.js';
import { withIdempotency } from '../services/idempotency.js';
import { toJobView } from '../services/job-view.js';
import type { RouteOptions } from '../route-options.js';
import type { ServerDeps } from '../server-deps.js';
import { voiceAccess } from './voices.routes.js';

/** Voice ids and names accepted over the network: no path separators, no model files. */
const TTS_VOICE_ID_PATTERN = /^(?!.*\.\.)(?!.*\.onnx$)[\p{L}\p{N}][\p{L}\p{N} :+._-]{0,127}$/u;

/** Request fields of a synthesis (HTTP body or WebSocket message). */
export interface SynthesisRequest {
  readonly text: string;
  readonly voice?: string;
  readonly engine?: string;
  readonly language?: string;
  readonly rate?: number;
  readonly pitch?: number;
  readonly format?: 'wav' | 'mp3' | 'flac';
  readonly stream?: boolean;
}

/**
 * Validates the text and turns `voice` into either a visible voice profile (cloned voice) or a
 * TTS voice id. Shared by POST /synthesize and the WebSocket `tts` message.
 */
export async function buildSynthesisPayload(request: FastifyRequest, deps: ServerDeps, body: SynthesisRequest, textMaxChars: number): Promise<SynthesizeJobPayload> {
  const text = body.text.normalize('NFC');
  if (text.trim().length === 0) throw new AutoVoiceError('tts.text_empty', 'The text is empty; send at least one word.');
  if (text.length > textMaxChars) throw new AutoVoiceError('tts.text_too_long', `The text has ${text.length} characters; the limit is ${textMaxChars}. Split it into several requests.`, { length: text.length, limit: textMaxChars });
  if (body.voice !== undefined && !TTS_VOICE_ID_PATTERN.test(body.voice)) {
    // Engines accept model paths from the CLI; over HTTP a voice is only ever an id or a name.
    throw new AutoVoiceError('usage.invalid_argument', `"${body.voice.slice(0, 64)}" is not a voice id or name; see GET /api/v1/voices and GET /api/v1/tts/voices.`, { voice: body.voice.slice(0, 64) });
  }
  let voiceProfileId: string | undefined;
  if (body.voice !== undefined && (await deps.voices.has(body.voice, voiceAccess(request)))) {
    voiceProfileId = (await deps.voices.get(body.voice, voiceAccess(request))).id;
  }
  return {
    text,
    format: body.format ?? 'wav',
    ...(voiceProfileId !== undefined ? { voiceProfileId } : body.voice === undefined ? {} : { voice: body.voice }),
    ...(body.engine === undefined ? {} : { engine: body.engine }),
    ...(body.language === undefined ? {} : { language: body.language }),
    ...(body.rate === undefined ? {} : { rate: body.rate }),
    ...(body.pitch === undefined ? {} : { pitch: body.pitch }),
  };
}

/** POST /synthesize: short text answers with audio at once (or streamed); long text becomes a job. */
export const synthesizeRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, config }) => {
  app.post(
    '/synthesize',
    {
      schema: {
        tags: ['work'],
        summary: `Text to speech. Text up to ${config.limits.syncTextMaxChars} characters (or stream=true) answers 200 with audio; longer text answers 202 with a job.`,
        body: SynthesizeBody,
        response: {
          200: Type.String({ format: 'binary', description: 'Audio (audio/wav, audio/mpeg or audio/flac); with stream=true a chunked WAV.' }),
          202: JobAccepted,
          ...errorResponses(...COMMON_ERRORS, 404, 413, 422, 503),
        },
      },
    },
    async (request, reply) => {
      assertFeatureAvailable(deps, 'synthesize', 'Text to speech');
      const payload = await buildSynthesisPayload(request, deps, request.body, config.limits.textMaxChars);
      const stream = request.body.stream === true;
      if (stream) {
        await streamSynthesis(request, reply as FastifyReply, deps, payload);
        return;
      }
      if (payload.text.length <= config.limits.syncTextMaxChars) {
        const abort = abortWhenClientLeaves(reply as FastifyReply);
        const t0 = performance.now();
        const outcome = await deps.jobs.runNow('synthesize', payload, { signal: abort.signal });
        const main = outcome.outputs.main;
        if (main === undefined) throw new AutoVoiceError('internal.error', 'Synthesis produced no audio.');
        const bytes = await deps.blobs.readBytes(main.blobId);
        void deps.blobs.delete(main.blobId);
        await (reply as FastifyReply)
          .type(AUDIO_MIME[main.format] ?? 'application/octet-stream')
          .header('x-audio-duration-seconds', String(main.durationSeconds ?? 0))
          .header('x-processing-seconds', ((performance.now() - t0) / 1000).toFixed(3))
          .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        return;
      }
      await withIdempotency(request, reply as FastifyReply, deps.idempotency, async () => {
        const job = deps.jobs.enqueue('synthesize', payload, { ownerKeyId: request.auth.keyId, requestId: request.id });
        return { status: 202, body: { job: toJobView(job) } };
      });
    },
  );
};

/**
 * Aborts when the client goes away before the answer is complete. The response's 'close' is the
 * signal: the request's own 'close' fires once its body has been read, before any synthesis.
 */
function abortWhenClientLeaves(reply: FastifyReply): AbortController {
  const abort = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  return abort;
}

/** Streams WAV bytes as the worker produces them (first sentence first); a failure after the first chunk ends the stream early. */
async function streamSynthesis(request: FastifyRequest, reply: FastifyReply, deps: ServerDeps, payload: SynthesizeJobPayload): Promise<void> {
  const abort = abortWhenClientLeaves(reply);
  const out = new PassThrough();
  let firstChunk: () => void = () => undefined;
  const gotFirstChunk = new Promise<void>((resolve) => (firstChunk = resolve));
  const run = deps.jobs.runNow('synthesize', { ...payload, format: 'wav', stream: true }, {
    signal: abort.signal,
    onChunk: (bytes) => {
      out.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      firstChunk();
    },
  });
  // Errors before any audio still get the JSON error body; later ones can only cut the stream.
  await Promise.race([gotFirstChunk, run]);
  run.then(
    (outcome) => {
      out.end();
      for (const output of Object.values(outcome.outputs)) void deps.blobs.delete(output.blobId);
    },
    (error: unknown) => {
      request.log.warn({ code: toAutoVoiceError(error).code }, 'streamed synthesis failed after the first chunk');
      out.destroy();
    },
  );
  await reply.type('audio/wav').header('x-content-streamed', 'true').send(out);
}
