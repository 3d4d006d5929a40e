import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AutoVoiceError } from '../errors/index.js';
import type { AppConfig } from './app-config.js';
import { CONFIG_FIELDS } from './config-fields.js';

/** Options for loadConfig. */
export interface LoadConfigOptions {
  /** A JSON file with (part of) the AppConfig shape; defaults to $AUTOVOICE_CONFIG_FILE. */
  readonly file?: string;
  /** Directory relative paths (data dir, log file, config file) are resolved against. */
  readonly cwd?: string;
}

/**
 * Builds the typed, validated AppConfig from defaults < config file < environment. Every bad
 * value is reported at once in one `config.invalid` error naming the variable and what it accepts.
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): AppConfig {
  const cwd = options.cwd ?? process.cwd();
  const filePath = options.file ?? env.AUTOVOICE_CONFIG_FILE;
  const fileValues = filePath === undefined ? {} : readConfigFile(resolve(cwd, filePath));
  const problems: string[] = [];
  const result: Record<string, unknown> = {};

  for (const field of CONFIG_FIELDS) {
    const envName = field.env.find((name) => env[name] !== undefined && env[name] !== '');
    const fromFile = getPath(fileValues, field.path);
    let raw: unknown;
    let source: string;
    if (envName !== undefined) {
      raw = env[envName];
      source = `environment variable ${envName}`;
    } else if (fromFile !== undefined) {
      raw = fromFile;
      source = `"${field.path}" in ${filePath ?? 'the config file'}`;
    } else {
      setPath(result, field.path, field.defaultValue(env));
      continue;
    }
    const parsed = field.parse(raw);
    if ('error' in parsed) problems.push(`${source} = ${JSON.stringify(raw)}: ${parsed.error}`);
    else setPath(result, field.path, parsed.value);
  }
  for (const key of unknownKeys(fileValues, '')) problems.push(`unknown key "${key}" in ${filePath ?? 'the config file'}`);
  if (problems.length > 0) {
    throw new AutoVoiceError('config.invalid', `Invalid configuration: ${problems.join('; ')}.`, { problems });
  }

  const config = { ...result, nodeEnv: env.NODE_ENV ?? 'development' } as unknown as AppConfig;
  return {
    ...config,
    dataDir: resolve(cwd, config.dataDir),
    log: { ...config.log, file: config.log.file === undefined ? undefined : resolve(cwd, config.log.file) },
  };
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AutoVoiceError('config.invalid', `Cannot read the config file ${path}: ${(error as Error).message}. Set AUTOVOICE_CONFIG_FILE to a readable JSON file.`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('the top level must be an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new AutoVoiceError('config.invalid', `The config file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
}

function getPath(obj: Record<string, unknown>, path: string): unknown {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let current = obj;
  for (const part of parts.slice(0, -1)) {
    current[part] ??= {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1] as string] = value;
}

function unknownKeys(obj: Record<string, unknown>, prefix: string): string[] {
  const known = new Set(CONFIG_FIELDS.map((f) => f.path));
  const out: string[] = [];
  for (const [key, value] of Object.entries(obj)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (known.has(path)) continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(...unknownKeys(value as Record<string, unknown>, path));
    else out.push(path);
  }
  return out;
}
