import { SECRET_CONFIG_PATHS, type AppConfig } from './app-config.js';

/** A copy of the config with every secret replaced by `***` (or left undefined when unset), for printing and logs. */
export function maskConfig(config: AppConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const path of SECRET_CONFIG_PATHS) {
    const parts = path.split('.');
    let current: Record<string, unknown> | undefined = copy;
    for (const part of parts.slice(0, -1)) current = current?.[part] as Record<string, unknown> | undefined;
    const last = parts[parts.length - 1] as string;
    if (current !== undefined && current[last] !== undefined) current[last] = '***';
  }
  return copy;
}
