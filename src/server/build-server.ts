import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { AutoVoiceError } from '../errors/index.js';
import { createServiceMetrics } from './metrics/service-metrics.js';
import authPlugin from './plugins/auth.plugin.js';
import errorHandlerPlugin, { replyToClientError, replyWithError } from './plugins/error-handler.plugin.js';
import metricsPlugin from './plugins/metrics.plugin.js';
import { requestIdFor } from './plugins/request-id.plugin.js';
import typedInputPlugin from './plugins/typed-input.plugin.js';
import uploadsPlugin from './plugins/uploads.plugin.js';
import { batchRoutes } from './routes/batch.routes.js';
import { convertRoutes } from './routes/convert.routes.js';
import { transformRoutes } from './routes/transform.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { jobsRoutes } from './routes/jobs.routes.js';
import { modelsRoutes } from './routes/models.routes.js';
import { synthesizeRoutes } from './routes/synthesize.routes.js';
import { ttsVoicesRoutes } from './routes/tts-voices.routes.js';
import { voicesRoutes } from './routes/voices.routes.js';
import { websocketRoutes } from './routes/websocket.routes.js';
import { ErrorBody } from './schemas/common.schema.js';
import { JobView } from './schemas/job.schema.js';
import { VoiceSummary } from './schemas/voice.schema.js';
import type { ServerDeps } from './server-deps.js';

/**
 * Builds the Fastify app (not listening): shared concerns first (request ids, errors, security
 * headers, CORS, auth, rate limits, metrics, uploads, OpenAPI), then one plugin per feature
 * under /api/v1 and health at the root.
 */
export async function buildServer(config: AppConfig, deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    genReqId: requestIdFor,
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    // Above every schema's maxLength, so an over-long id gets the schema's answer; beyond this the
    // router refuses it, and frameworkErrors gives that refusal the documented body too.
    routerOptions: { maxParamLength: 256 },
    frameworkErrors: replyWithError,
    clientErrorHandler: replyToClientError,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', formats: { binary: true } } },
  }) as unknown as FastifyInstance;

  // Only JSON and multipart bodies are accepted; anything else is 415.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(errorHandlerPlugin);
  app.addSchema(ErrorBody);
  app.addSchema(JobView);
  app.addSchema(VoiceSummary);

  await app.register(helmet, {
    // The Swagger UI at /docs needs inline styles/scripts of its own bundle.
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } },
  });
  await app.register(cors, {
    origin: (origin, callback) => {
      const allowed = config.server.corsOrigins;
      callback(null, origin === undefined || allowed.includes('*') || allowed.includes(origin));
    },
    exposedHeaders: ['x-request-id', 'retry-after', 'x-audio-duration-seconds', 'x-processing-seconds'],
  });
  await app.register(authPlugin, { mode: config.auth.mode, apiKeys: deps.apiKeys, bootstrapAdminKey: config.auth.bootstrapAdminKey });
  await app.register(rateLimit, {
    max: config.limits.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.auth?.keyId !== null && request.auth?.keyId !== undefined ? `key:${request.auth.keyId}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AutoVoiceError('rate.limited', `Rate limit of ${context.max} requests per minute reached; retry after ${seconds} s.`, { limit: context.max, retryAfterSeconds: seconds });
    },
  });
  await app.register(metricsPlugin, { metrics: createServiceMetrics(deps.jobs, deps.gpu, config.dataDir) });
  await app.register(uploadsPlugin, { blobs: deps.blobs, maxFileBytes: config.limits.uploadMaxBytes, maxFiles: config.limits.uploadMaxFiles, idleTimeoutMs: config.limits.uploadIdleTimeoutMs });
  await app.register(typedInputPlugin);
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // Shutting down: every client hears why and is closed "going away" (1001), instead of the
    // plugin's bare close (1005), which a client cannot tell from a network fault.
    preClose(this: FastifyInstance, done: () => void) {
      const notice = JSON.stringify({ v: 1, type: 'error', error: { code: 'service.unavailable', message: 'The server is shutting down; reconnect in a moment.' } });
      for (const client of this.websocketServer.clients) {
        client.send(notice);
        client.close(1001, 'server shutting down');
      }
      this.websocketServer.close();
      done();
    },
  });
  // A refused WebSocket upgrade (401, 429, …) leaves a raw socket the HTTP server no longer
  // tracks: close it, or a client could hold it open (and block shutdown) forever.
  app.addHook('onResponse', async (request, reply) => {
    if (request.headers.upgrade !== undefined && reply.statusCode >= 400) request.raw.socket.destroy();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'AutoVoice API', version: deps.version, description: 'Voice cloning, conversion, song conversion and text-to-speech. Errors: { error: { code, message, details }, requestId }. See docs/api.md.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key from "autovoice keys create" (also accepted as X-API-Key).' } } },
      security: [{ apiKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/v1/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  const routeOptions = { deps, config };
  await app.register(healthRoutes, routeOptions);
  await app.register(
    async (api) => {
      await api.register(voicesRoutes, routeOptions);
      await api.register(convertRoutes, routeOptions);
      await api.register(transformRoutes, routeOptions);
      await api.register(synthesizeRoutes, routeOptions);
      await api.register(ttsVoicesRoutes, routeOptions);
      await api.register(jobsRoutes, routeOptions);
      await api.register(batchRoutes, routeOptions);
      await api.register(modelsRoutes, routeOptions);
      await api.register(websocketRoutes, routeOptions);
    },
    { prefix: '/api/v1' },
  );
  return app;
}
