import { execFile } from 'node:child_process';

/** One GPU as nvidia-smi reports it. Memory in MiB, utilisation in percent. */
export interface GpuDevice {
  readonly name: string;
  readonly memoryTotalMiB: number;
  readonly memoryUsedMiB: number;
  readonly utilizationPercent: number;
}

/** Reads the GPUs present; an empty list on a CPU-only machine. */
export type GpuProbe = () => Promise<readonly GpuDevice[]>;

/** The nvidia-smi query the probe runs (CSV, no header, no units). */
export const NVIDIA_SMI_ARGS = ['--query-gpu=name,memory.total,memory.used,utilization.gpu', '--format=csv,noheader,nounits'];

/** Parses `name, total, used, util` lines; lines that do not parse are skipped. */
export function parseNvidiaSmiCsv(text: string): GpuDevice[] {
  const devices: GpuDevice[] = [];
  for (const line of text.split('\n')) {
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length < 4) continue;
    const [name, total, used, util] = parts as [string, string, string, string];
    const numbers = [Number(total), Number(used), Number(util)];
    if (name === '' || numbers.some((n) => !Number.isFinite(n))) continue;
    devices.push({ name, memoryTotalMiB: numbers[0] as number, memoryUsedMiB: numbers[1] as number, utilizationPercent: numbers[2] as number });
  }
  return devices;
}

/**
 * A probe that runs nvidia-smi (when installed) with a short timeout and caches the answer
 * for `cacheMs`. Any failure (no binary, no driver) means "no GPU".
 */
export function createNvidiaSmiProbe(cacheMs = 5000, command = 'nvidia-smi'): GpuProbe {
  let cached: { at: number; devices: readonly GpuDevice[] } | undefined;
  return () => {
    if (cached !== undefined && Date.now() - cached.at < cacheMs) return Promise.resolve(cached.devices);
    return new Promise((resolve) => {
      execFile(command, NVIDIA_SMI_ARGS, { timeout: 2000 }, (error, stdout) => {
        const devices = error === null ? parseNvidiaSmiCsv(stdout) : [];
        cached = { at: Date.now(), devices };
        resolve(devices);
      });
    });
  };
}
