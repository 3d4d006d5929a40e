import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNvidiaSmiProbe, parseNvidiaSmiCsv } from './gpu-probe.js';

test('parses nvidia-smi CSV lines', () => {
  const devices = parseNvidiaSmiCsv('NVIDIA H100 80GB HBM3, 81559, 1234, 7\nbad line\nNVIDIA A10, 23028, 0, 0\n');
  assert.deepEqual(devices, [
    { name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, memoryUsedMiB: 1234, utilizationPercent: 7 },
    { name: 'NVIDIA A10', memoryTotalMiB: 23028, memoryUsedMiB: 0, utilizationPercent: 0 },
  ]);
});

test('parses the line a real H100 printed (captured on the device machine)', () => {
  // nvidia-smi --query-gpu=name,memory.total,memory.used,utilization.gpu --format=csv,noheader,nounits
  assert.deepEqual(parseNvidiaSmiCsv('NVIDIA H100 80GB HBM3, 81559, 0, 0\n'), [{ name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, memoryUsedMiB: 0, utilizationPercent: 0 }]);
});

test('a missing nvidia-smi means no GPU', async () => {
  assert.deepEqual(await createNvidiaSmiProbe(0, 'nvidia-smi-does-not-exist')(), []);
});
