import { randomUUID } from 'node:crypto';
import { STATUS_CODES, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AutoVoiceError, httpStatusOf, toAutoVoiceError, type ErrorCode } from '../../errors/index.js';

/** Maps Fastify's and its plugins' own errors onto AutoVoice codes (by status and code). */
function fromFastifyError(error: FastifyError): AutoVoiceError | undefined {
  if (error.validation !== undefined) {
    const where = error.validationContext ?? 'request';
    return new AutoVoiceError('request.invalid', `Invalid ${where}: ${error.message}.`, { issues: error.validation.map((v) => ({ path: `${where}${v.instancePath}`, message: v.message ?? '' })) });
  }
  // The router refuses an over-long path segment before any schema sees it (its message would echo the whole URL).
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return new AutoVoiceError('request.invalid', 'A path parameter is too long; ids are at most 128 characters.');
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

/**
 * The single place where errors become HTTP responses: `{ error: { code, message, details }, requestId }`.
 * Also the server's `frameworkErrors` option, for what Fastify refuses before routing (bad URL, over-long parameter).
 */
export function replyWithError(thrown: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const error = thrown instanceof AutoVoiceError ? thrown : (fromFastifyError(thrown as FastifyError) ?? toAutoVoiceError(thrown));
  const status = httpStatusOf(error.code);
  // Not ready or shutting down is the service saying "later", not a fault: no error-level alert.
  if (error.code === 'service.unavailable') request.log.warn({ code: error.code, status }, `request deferred: ${error.message}`);
  else if (status >= 500) request.log.error({ err: thrown, code: error.code }, 'request failed');
  else request.log.info({ code: error.code, status }, `request rejected: ${error.message}`);
  const body = { error: { code: error.code, message: status >= 500 && error.code === 'internal.error' ? 'An internal error occurred; the request id identifies it in the logs.' : error.message, details: error.details ?? {} }, requestId: request.id };
  if (error.code === 'rate.limited' || error.code === 'queue.full' || error.code === 'service.unavailable') {
    if (!reply.hasHeader('retry-after')) reply.header('retry-after', String(error.details?.retryAfterSeconds ?? 5));
  }
  // Set here too: replies to frameworkErrors skip the app's onSend hooks.
  void reply.status(status).header('x-request-id', request.id).type('application/json; charset=utf-8').send(body);
}

/**
 * The server's `clientErrorHandler`: requests Node's HTTP parser refuses (headers too large,
 * malformed, headers not received in time) never become Fastify requests, so the documented body
 * is written to the socket here, with a fresh request id, and the connection closed.
 */
export function replyToClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const failure =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AutoVoiceError('request.too_large', `The request headers are too large; send fewer or shorter headers (at most ${maxHeaderSize} bytes in all).`)
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AutoVoiceError('request.invalid', 'The request was not received in time.')
        : new AutoVoiceError('request.invalid', 'The request is not valid HTTP.');
  const status = httpStatusOf(failure.code);
  const requestId = randomUUID();
  this.log.info({ code: failure.code, status, reqId: requestId, reason: error.code }, `request rejected: ${failure.message}`);
  const body = JSON.stringify({ error: { code: failure.code, message: failure.message, details: {} }, requestId });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-ID: ${requestId}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(replyWithError);

  app.setNotFoundHandler((request, reply) => {
    const error = new AutoVoiceError('route.not_found', `No route ${request.method} ${request.url.split('?')[0]}; see /docs for the API.`);
    void reply.status(404).send({ error: { code: error.code, message: error.message, details: {} }, requestId: request.id });
  });
}

export default fp(errorHandlerPlugin, { name: 'autovoice-errors' });
