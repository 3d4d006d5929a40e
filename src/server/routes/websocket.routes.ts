import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Value } from 'typebox/value';
import { AutoVoiceError, toAutoVoiceError } from '../../errors/index.js';
import { canSee } from '../plugins/auth.plugin.js';
import { WsClientMessage, type WsClientMessageData } from '../schemas/ws.schema.js';
import { toJobView } from '../services/job-view.js';
import { WsConnection, WsHub, finalJobMessage } from '../services/ws-hub.js';
import type { RouteOptions } from '../route-options.js';
import { visibleJob } from './jobs.routes.js';
import { buildSynthesisPayload } from './synthesize.routes.js';

/**
 * WebSocket at /api/v1/ws: versioned JSON messages (see docs/api.md). Clients subscribe to jobs
 * or batches and receive progress / succeeded / failed / cancelled; `tts` streams speech as
 * binary frames between `tts.start` and `tts.end`. Heartbeat pings drop dead clients; a send
 * buffer limit drops slow ones; connections per client and subscriptions per connection are capped.
 */
export const websocketRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps, config }) => {
  const hub = new WsHub(deps.jobs);
  const perClient = new Map<string, number>();
  const limits = { maxBufferedBytes: config.limits.wsMaxBufferedBytes, maxSubscriptions: config.limits.wsMaxSubscriptions };

  app.get('/ws', { websocket: true, schema: { tags: ['websocket'], summary: 'WebSocket for job events and streaming TTS (upgrade request; messages in docs/api.md).' } }, (socket, request) => {
    const clientKey = request.auth.keyId ?? `ip:${request.ip}`;
    const open = perClient.get(clientKey) ?? 0;
    if (open >= config.limits.wsMaxConnectionsPerClient) {
      socket.send(JSON.stringify({ v: 1, type: 'error', error: { code: 'rate.limited', message: `At most ${config.limits.wsMaxConnectionsPerClient} WebSocket connections per client.` } }));
      socket.close(1008, 'too many connections');
      return;
    }
    perClient.set(clientKey, open + 1);
    app.metrics.wsConnections.inc();
    const connection = new WsConnection(socket, limits);
    const heartbeat = setInterval(() => {
      if (!connection.alive) {
        socket.terminate();
        return;
      }
      connection.alive = false;
      socket.ping();
    }, config.limits.wsHeartbeatMs);
    socket.on('pong', () => (connection.alive = true));
    socket.on('close', () => {
      clearInterval(heartbeat);
      hub.drop(connection);
      const left = (perClient.get(clientKey) ?? 1) - 1;
      if (left <= 0) perClient.delete(clientKey);
      else perClient.set(clientKey, left);
      app.metrics.wsConnections.dec();
    });
    connection.send({ type: 'hello', protocol: 1, requestId: request.id });

    socket.on('message', (raw, isBinary) => {
      connection.alive = true;
      let message: WsClientMessageData;
      try {
        if (isBinary) throw new Error('binary frames are not accepted from clients');
        const parsed: unknown = JSON.parse(raw.toString());
        if (!Value.Check(WsClientMessage, parsed)) {
          const first = [...Value.Errors(WsClientMessage, parsed)][0];
          throw new Error(`not a valid v1 message${first === undefined ? '' : `: ${first.message}`}; send {"v":1,"type":"subscribe","jobId":"…"}`);
        }
        message = parsed;
      } catch (error) {
        connection.send({ type: 'error', error: { code: 'request.invalid', message: (error as Error).message } });
        return;
      }
      void handleMessage(request, connection, message).catch((error: unknown) => {
        const avError = toAutoVoiceError(error);
        connection.send({ type: 'error', ...('id' in message ? { id: message.id } : {}), error: { code: avError.code, message: avError.message } });
      });
    });
  });

  async function handleMessage(request: FastifyRequest, connection: WsConnection, message: WsClientMessageData): Promise<void> {
    switch (message.type) {
      case 'ping':
        connection.send({ type: 'pong' });
        return;
      case 'subscribe':
      case 'unsubscribe': {
        const topic = topicOf(request, message);
        if (message.type === 'unsubscribe') {
          hub.unsubscribe(connection, topic);
          connection.send({ type: 'unsubscribed', ...target(message) });
          return;
        }
        if (!hub.subscribe(connection, topic, limits.maxSubscriptions)) {
          throw new AutoVoiceError('request.too_large', `At most ${limits.maxSubscriptions} subscriptions per connection; unsubscribe first.`);
        }
        if (message.jobId !== undefined) {
          const job = visibleJob(request, deps, message.jobId);
          connection.send({ type: 'subscribed', jobId: job.id, job: toJobView(job) });
          if (job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled') connection.send(finalJobMessage(job));
        } else connection.send({ type: 'subscribed', batchId: message.batchId });
        return;
      }
      case 'tts':
        await streamTts(request, connection, message);
    }
  }

  function target(message: { jobId?: string; batchId?: string }): Record<string, string> {
    return message.jobId !== undefined ? { jobId: message.jobId } : { batchId: message.batchId ?? '' };
  }

  function topicOf(request: FastifyRequest, message: { jobId?: string; batchId?: string }): string {
    if ((message.jobId === undefined) === (message.batchId === undefined)) throw new AutoVoiceError('request.invalid', 'Give exactly one of jobId or batchId.');
    if (message.jobId !== undefined) {
      visibleJob(request, deps, message.jobId);
      return `job:${message.jobId}`;
    }
    const batch = deps.batches.get(message.batchId ?? '');
    if (batch === undefined || !canSee(request, batch.ownerKeyId)) throw new AutoVoiceError('batch.not_found', `No batch "${message.batchId ?? ''}".`);
    return `batch:${batch.id}`;
  }

  async function streamTts(request: FastifyRequest, connection: WsConnection, message: Extract<WsClientMessageData, { type: 'tts' }>): Promise<void> {
    if (deps.pool.available.synthesize !== true) throw new AutoVoiceError('feature.unavailable', 'Text to speech is not available in this build yet.');
    if (connection.ttsBusy) throw new AutoVoiceError('rate.limited', 'One tts request at a time per connection; wait for tts.end.');
    connection.ttsBusy = true;
    const abort = new AbortController();
    const onClose = (): void => abort.abort();
    connection.socket.once('close', onClose);
    try {
      const payload = await buildSynthesisPayload(request, deps, message, config.limits.textMaxChars);
      connection.send({ type: 'tts.start', id: message.id, format: 'wav' });
      const t0 = performance.now();
      let firstChunkMs: number | undefined;
      const outcome = await deps.jobs.runNow('synthesize', { ...payload, format: 'wav', stream: true }, {
        signal: abort.signal,
        onChunk: (bytes) => {
          firstChunkMs ??= performance.now() - t0;
          connection.sendBinary(bytes);
        },
      });
      for (const output of Object.values(outcome.outputs)) void deps.blobs.delete(output.blobId);
      connection.send({ type: 'tts.end', id: message.id, firstChunkMs: firstChunkMs ?? null, totalMs: performance.now() - t0 });
    } finally {
      connection.ttsBusy = false;
      connection.socket.off('close', onClose);
    }
  }
};
