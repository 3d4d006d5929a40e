import type { WebSocket } from 'ws';
import type { JobService } from '../../jobs/job-service.js';
import type { JobRecord } from '../../storage/job-record.js';
import { WS_PROTOCOL_VERSION } from '../schemas/ws.schema.js';
import { toJobView } from './job-view.js';

/** Per-connection limits (from AppConfig.limits). */
export interface WsLimits {
  readonly maxBufferedBytes: number;
  readonly maxSubscriptions: number;
}

/** One client connection and what it follows. */
export class WsConnection {
  readonly subscriptions = new Set<string>();
  alive = true;
  ttsBusy = false;

  constructor(
    readonly socket: WebSocket,
    private readonly limits: WsLimits,
  ) {}

  /**
   * Sends a JSON message unless the client is too slow: `droppable` messages (progress) are
   * skipped once half the buffer limit is queued; over the limit the connection is closed
   * (1008), so a stalled client can never make server memory grow without bound.
   */
  send(message: Record<string, unknown>, droppable = false): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const buffered = this.socket.bufferedAmount;
    if (buffered > this.limits.maxBufferedBytes) {
      this.socket.close(1008, 'client too slow: send buffer limit exceeded');
      return;
    }
    if (droppable && buffered > this.limits.maxBufferedBytes / 2) return;
    this.socket.send(JSON.stringify({ v: WS_PROTOCOL_VERSION, ...message }));
  }

  /** Sends a binary frame (TTS audio) under the same buffer limit. */
  sendBinary(bytes: Uint8Array): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.socket.close(1008, 'client too slow: send buffer limit exceeded');
      return;
    }
    this.socket.send(bytes, { binary: true });
  }
}

/** The final message for a finished job: succeeded (results, metrics), failed (code, message) or cancelled. */
export function finalJobMessage(job: JobRecord): Record<string, unknown> {
  const view = toJobView(job);
  if (job.state === 'succeeded') return { type: 'succeeded', jobId: job.id, batchId: job.batchId, results: view.results, metrics: view.metrics, realTimeFactor: view.realTimeFactor };
  if (job.state === 'cancelled') return { type: 'cancelled', jobId: job.id, batchId: job.batchId };
  return { type: 'failed', jobId: job.id, batchId: job.batchId, error: view.error };
}

/** Fans job events out to the connections subscribed to the job or its batch. */
export class WsHub {
  private readonly byTopic = new Map<string, Set<WsConnection>>();

  constructor(jobs: JobService) {
    jobs.on('progress', (job, stage, fraction) => this.publish(job.id, job.batchId, { type: 'progress', jobId: job.id, batchId: job.batchId, stage, fraction }, true));
    jobs.on('started', (job) => this.publish(job.id, job.batchId, { type: 'started', jobId: job.id, batchId: job.batchId, attempt: job.attempts }, false));
    jobs.on('finished', (job) => this.publish(job.id, job.batchId, finalJobMessage(job), false));
  }

  /** Adds a subscription; false when the connection is at its subscription limit. */
  subscribe(connection: WsConnection, topic: string, maxSubscriptions: number): boolean {
    if (!connection.subscriptions.has(topic) && connection.subscriptions.size >= maxSubscriptions) return false;
    connection.subscriptions.add(topic);
    let set = this.byTopic.get(topic);
    if (set === undefined) this.byTopic.set(topic, (set = new Set()));
    set.add(connection);
    return true;
  }

  /** Removes one subscription. */
  unsubscribe(connection: WsConnection, topic: string): void {
    connection.subscriptions.delete(topic);
    const set = this.byTopic.get(topic);
    set?.delete(connection);
    if (set?.size === 0) this.byTopic.delete(topic);
  }

  /** Removes every subscription of a closed connection. */
  drop(connection: WsConnection): void {
    for (const topic of [...connection.subscriptions]) this.unsubscribe(connection, topic);
  }

  private publish(jobId: string, batchId: string | null, message: Record<string, unknown>, droppable: boolean): void {
    const targets = new Set<WsConnection>(this.byTopic.get(`job:${jobId}`) ?? []);
    if (batchId !== null) for (const c of this.byTopic.get(`batch:${batchId}`) ?? []) targets.add(c);
    for (const connection of targets) connection.send(message, droppable);
  }
}
