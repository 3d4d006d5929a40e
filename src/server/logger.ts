import { pino, type Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';

/** Paths never logged: credentials and anything that could carry audio or secrets. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'apiKey',
  'key',
  'bytes',
];

/** Removes credentials from a URL's query string (`api_key=` is accepted for browser WebSockets). */
export function redactUrl(url: string): string {
  return url.replace(/([?&]api_key=)[^&#]*/gi, '$1[redacted]');
}

/** Request lines: method, URL without secrets, client address — never headers or bodies. */
const serializers = {
  req(request: { method?: string; url?: string; ip?: string; hostname?: string; socket?: { remotePort?: number } }) {
    return { method: request.method, url: redactUrl(request.url ?? ''), host: request.hostname, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
  },
};

/**
 * The service logger: JSON lines (pino) to stdout and, when configured, to a rotating file
 * (pino-roll, daily and by size). Request lines carry `reqId`; job lines add `jobId`.
 */
export function createLogger(config: AppConfig): Logger {
  const base = { level: config.log.level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' }, serializers };
  if (config.log.file === undefined) return pino(base);
  const transport = pino.transport({
    targets: [
      { target: 'pino/file', level: config.log.level, options: { destination: 1 } },
      { target: 'pino-roll', level: config.log.level, options: { file: config.log.file, frequency: 'daily', size: `${Math.ceil(config.log.fileMaxBytes / 1024 / 1024)}m`, mkdir: true, limit: { count: 7 } } },
    ],
  });
  return pino(base, transport);
}
