import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { AutoVoiceError } from '../../errors/index.js';
import errorHandlerPlugin from './error-handler.plugin.js';

describe('error handler', () => {
  test('log levels follow what an operator must act on: faults error, "later" warn, refusals info', async () => {
    const lines: { level: number; code?: string }[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as { level: number; code?: string });
        done();
      },
    });
    const app = Fastify({ loggerInstance: pino({ level: 'info' }, sink) });
    await app.register(errorHandlerPlugin);
    app.get('/fault', () => {
      throw new Error('boom');
    });
    app.get('/later', () => {
      throw new AutoVoiceError('service.unavailable', 'The server is shutting down.');
    });
    app.get('/refused', () => {
      throw new AutoVoiceError('request.invalid', 'No.');
    });
    const statuses = [];
    for (const url of ['/fault', '/later', '/refused']) statuses.push((await app.inject({ url })).statusCode);
    await app.close();
    assert.deepEqual(statuses, [500, 503, 400]);
    const levelOf = (code: string): number | undefined => lines.find((l) => l.code === code)?.level;
    assert.equal(levelOf('internal.error'), 50);
    assert.equal(levelOf('service.unavailable'), 40);
    assert.equal(levelOf('request.invalid'), 30);
  });
});
