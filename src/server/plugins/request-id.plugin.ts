import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify `genReqId`: the client's `X-Request-ID` when it is a safe token (letters, digits,
 * `._:-`, at most 128 chars), else a fresh UUID. The id is echoed in the response header and
 * appears as `reqId` on every log line of the request and its job.
 */
export function requestIdFor(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && REQUEST_ID_PATTERN.test(value) ? value : randomUUID();
}
