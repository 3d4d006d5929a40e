import { statfs } from 'node:fs/promises';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobService } from '../../jobs/job-service.js';
import type { GpuDevice, GpuProbe } from './gpu-probe.js';

/** The Prometheus metrics of one server instance (own registry, so tests can build many servers). */
export interface ServiceMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly wsConnections: Gauge;
}

/**
 * Creates every `autovoice_` metric: HTTP counts and durations, jobs by type and final state,
 * queue depth, active conversions, stage durations, audio seconds, real-time factor, WebSocket
 * connections, GPU memory/utilisation (only when a GPU exists), process and event-loop metrics.
 */
export function createServiceMetrics(jobs: JobService, gpu: GpuProbe, dataDir?: string): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'autovoice_' });
  const httpRequests = new Counter({ name: 'autovoice_http_requests_total', help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const httpDuration = new Histogram({
    name: 'autovoice_http_request_duration_seconds',
    help: 'HTTP request duration in seconds.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const jobsFinished = new Counter({ name: 'autovoice_jobs_total', help: 'Jobs that reached a final state, by type and state.', labelNames: ['type', 'state'], registers: [registry] });
  new Gauge({ name: 'autovoice_queue_depth', help: 'Jobs waiting in the queue.', registers: [registry], collect() { this.set(jobs.queueDepth); } });
  new Gauge({ name: 'autovoice_active_conversions', help: 'Jobs running now.', registers: [registry], collect() { this.set(jobs.runningCount); } });
  const stageDuration = new Histogram({
    name: 'autovoice_stage_duration_seconds',
    help: 'Processing time per pipeline stage in seconds.',
    labelNames: ['pipeline', 'stage'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const audioSeconds = new Counter({ name: 'autovoice_audio_seconds_processed_total', help: 'Seconds of audio processed by successful jobs.', labelNames: ['type'], registers: [registry] });
  const rtf = new Histogram({
    name: 'autovoice_real_time_factor',
    help: 'Processing seconds per audio second of successful jobs.',
    labelNames: ['type'],
    buckets: [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const wsConnections = new Gauge({ name: 'autovoice_websocket_connections', help: 'Open WebSocket connections.', registers: [registry] });
  if (dataDir !== undefined) {
    // Free and total bytes of the file system holding the data directory (the disk alert's input).
    const diskGauge = (name: string, help: string, value: (s: { bavail: number; blocks: number; bsize: number }) => number): void => {
      new Gauge({
        name,
        help,
        registers: [registry],
        async collect() {
          try {
            this.set(value(await statfs(dataDir)));
          } catch {
            // Data directory missing or unreadable: no sample (readiness reports the storage fault).
          }
        },
      });
    };
    diskGauge('autovoice_disk_free_bytes', 'Bytes available to AutoVoice on the data directory file system.', (s) => s.bavail * s.bsize);
    diskGauge('autovoice_disk_total_bytes', 'Size in bytes of the data directory file system.', (s) => s.blocks * s.bsize);
  }
  const gpuLabels = ['gpu', 'name'] as const;
  // Each GPU gauge reads the (cached) nvidia-smi probe when scraped; no GPU → no samples.
  const gpuGauge = (name: string, help: string, value: (d: GpuDevice) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: gpuLabels,
      registers: [registry],
      async collect() {
        (await gpu()).forEach((d, i) => this.set({ gpu: String(i), name: d.name }, value(d)));
      },
    });
  };
  gpuGauge('autovoice_gpu_memory_used_bytes', 'GPU memory in use (only when a GPU exists).', (d) => d.memoryUsedMiB * 1024 * 1024);
  gpuGauge('autovoice_gpu_memory_total_bytes', 'GPU memory in total (only when a GPU exists).', (d) => d.memoryTotalMiB * 1024 * 1024);
  gpuGauge('autovoice_gpu_utilization_ratio', 'GPU utilisation 0..1 (only when a GPU exists).', (d) => d.utilizationPercent / 100);

  jobs.on('finished', (job) => {
    jobsFinished.inc({ type: job.type, state: job.state });
    if (job.state === 'succeeded' && job.audioSeconds !== null && job.audioSeconds > 0) {
      audioSeconds.inc({ type: job.type }, job.audioSeconds);
      if (job.processingSeconds !== null) rtf.observe({ type: job.type }, job.processingSeconds / job.audioSeconds);
    }
  });
  jobs.on('stage', (type, stage, seconds) => stageDuration.observe({ pipeline: type, stage }, seconds));
  return { registry, httpRequests, httpDuration, wsConnections };
}
