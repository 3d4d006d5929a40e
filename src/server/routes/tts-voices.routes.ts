import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AutoVoiceError } from '../../errors/index.js';
import { COMMON_ERRORS, errorResponses } from '../schemas/common.schema.js';
import { TtsVoice } from '../schemas/work.schema.js';
import type { RouteOptions } from '../route-options.js';

/** GET /tts/voices: the voices of the TTS engines (language, sample rate). */
export const ttsVoicesRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.get(
    '/tts/voices',
    {
      schema: {
        tags: ['tts'],
        summary: 'TTS engine voices with language and sample rate.',
        querystring: Type.Object({ engine: Type.Optional(Type.String({ maxLength: 32 })), language: Type.Optional(Type.String({ maxLength: 16 })) }),
        response: { 200: Type.Object({ items: Type.Array(TtsVoice) }), ...errorResponses(...COMMON_ERRORS, 503) },
      },
    },
    async (request) => {
      if (deps.listTtsVoices === undefined) throw new AutoVoiceError('feature.unavailable', 'Text to speech is not available in this build yet.', { feature: 'synthesize' });
      const { engine, language } = request.query;
      const voices = (await deps.listTtsVoices()).filter((v) => (engine === undefined || v.engine === engine) && (language === undefined || v.language.toLowerCase().startsWith(language.toLowerCase())));
      return { items: voices };
    },
  );
};
