import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AutoVoiceError, httpStatusOf, toAutoVoiceError, type ErrorCode } from '../../errors/index.js';

/** Maps Fastify's and its plugins' own errors onto AutoVoice codes (by status and code). */
function fromFastifyError(error: FastifyError): AutoVoiceError | undefined {
  if (error.validation !== undefined) {
    const where = error.validationContext ?? 'request';
    return new AutoVoiceError('request.invalid', `Invalid ${where}: ${error.message}.`, { issues: error.validation.map((v) => ({ path: `${where}${v.instancePath}`, message: v.message ?? '' })) });
  }
  const byStatus: Partial<Record<number, ErrorCode>> = {
    400: 'request.invalid',
    404: 'route.not_found',
    406: 'request.invalid',
    413: 'request.too_large',
    415: 'request.unsupported_media_type',
    429: 'rate.limited',
  };
  const code = error.statusCode === undefined ? undefined : byStatus[error.statusCode];
  if (code === undefined) return undefined;
  const message = code === 'request.too_large' ? `${error.message}. Send a smaller body or fewer files (see GET /api/v1/openapi.json limits).` : error.message;
  return new AutoVoiceError(code, message);
}

/** The single place where errors become HTTP responses: `{ error: { code, message, details }, requestId }`. */
async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((thrown: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const error = thrown instanceof AutoVoiceError ? thrown : (fromFastifyError(thrown as FastifyError) ?? toAutoVoiceError(thrown));
    const status = httpStatusOf(error.code);
    if (status >= 500) request.log.error({ err: thrown, code: error.code }, 'request failed');
    else request.log.info({ code: error.code, status }, `request rejected: ${error.message}`);
    const body = { error: { code: error.code, message: status >= 500 && error.code === 'internal.error' ? 'An internal error occurred; the request id identifies it in the logs.' : error.message, details: error.details ?? {} }, requestId: request.id };
    if (error.code === 'rate.limited' || error.code === 'queue.full' || error.code === 'service.unavailable') {
      if (!reply.hasHeader('retry-after')) reply.header('retry-after', String(error.details?.retryAfterSeconds ?? 5));
    }
    void reply.status(status).type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new AutoVoiceError('route.not_found', `No route ${request.method} ${request.url.split('?')[0]}; see /docs for the API.`);
    void reply.status(404).send({ error: { code: error.code, message: error.message, details: {} }, requestId: request.id });
  });
}

export default fp(errorHandlerPlugin, { name: 'autovoice-errors' });
