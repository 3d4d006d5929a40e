// GPU check for a machine with an NVIDIA GPU: runs the server's nvidia-smi probe and the GPU
// gauges of /metrics exactly as the service does, prints what it found, and exits 1 when no GPU
// is reported or the figures are implausible. Bundled and run on a GPU host:
//   npx esbuild scripts/gpu-check.ts --bundle --platform=node --format=esm --outfile=.gpu/gpu-check.mjs
//   node .gpu/gpu-check.mjs
import { EventEmitter } from 'node:events';
import { createNvidiaSmiProbe } from '../src/server/metrics/gpu-probe.js';
import { createServiceMetrics } from '../src/server/metrics/service-metrics.js';
import type { JobService } from '../src/jobs/job-service.js';

const probe = createNvidiaSmiProbe(0);
const devices = await probe();
console.log(JSON.stringify({ gpu: { available: devices.length > 0, device_count: devices.length, devices } }, null, 2));

// The metrics only read queue counters and subscribe to job events from the job service.
const jobs = Object.assign(new EventEmitter(), { queueDepth: 0, runningCount: 0 }) as unknown as JobService;
const metrics = createServiceMetrics(jobs, probe);
const exposition = (await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('autovoice_gpu_'));
console.log(exposition.join('\n'));

const problems: string[] = [];
if (devices.length === 0) problems.push('no GPU reported');
for (const d of devices) {
  if (!(d.memoryTotalMiB > 0)) problems.push(`${d.name}: memory total ${d.memoryTotalMiB}`);
  if (!(d.memoryUsedMiB >= 0 && d.memoryUsedMiB <= d.memoryTotalMiB)) problems.push(`${d.name}: memory used ${d.memoryUsedMiB}`);
}
if (exposition.filter((l) => l.startsWith('autovoice_gpu_memory_total_bytes')).length !== devices.length) {
  problems.push('one autovoice_gpu_memory_total_bytes sample per GPU expected');
}
if (problems.length > 0) {
  console.error(`GPU check FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`GPU check passed: ${devices.length} device(s)`);
