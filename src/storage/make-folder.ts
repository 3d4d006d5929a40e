import { mkdirSync, statSync, type Stats } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { AutoVoiceError } from '../errors/index.js';

/**
 * Folder creation that always returns. Node's `mkdir(path, { recursive: true })` never returns
 * when a level cannot be created on some virtual file systems (a data directory under /proc
 * hung the server at start). These walk up once to the first existing level and create the rest
 * one by one; a failure throws that level's error (ENOTDIR when a file stands in the way).
 */

/** The levels of `path` that do not exist yet, outermost first (the first existing one must be a folder). */
function missingLevels(path: string, statOf: (p: string) => Stats | undefined): string[] {
  const missing: string[] = [];
  let current = resolve(path);
  let info = statOf(current);
  while (info === undefined && dirname(current) !== current) {
    missing.push(current);
    current = dirname(current);
    info = statOf(current);
  }
  if (info !== undefined && !info.isDirectory()) {
    throw Object.assign(new Error(`${current} is a file, not a folder`), { code: 'ENOTDIR', path: current });
  }
  return missing.reverse();
}

function statOrUndefinedSync(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Creates `path` and its missing parents, one level at a time (sync). */
export function makeFolderSync(path: string): void {
  for (const folder of missingLevels(path, statOrUndefinedSync)) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Creates `path` and its missing parents, one level at a time. */
export async function makeFolder(path: string): Promise<void> {
  // The walk up is a handful of stat calls; done synchronously it cannot interleave with another creator.
  for (const folder of missingLevels(path, statOrUndefinedSync)) {
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** `makeFolderSync` for a folder inside the data directory: a failure is `config.invalid` naming AUTOVOICE_DATA_DIR. */
export function makeDataFolderSync(path: string): void {
  try {
    makeFolderSync(path);
  } catch (error) {
    throw dataFolderError(path, error);
  }
}

/** `makeFolder` for a folder inside the data directory: a failure is `config.invalid` naming AUTOVOICE_DATA_DIR. */
export async function makeDataFolder(path: string): Promise<void> {
  try {
    await makeFolder(path);
  } catch (error) {
    throw dataFolderError(path, error);
  }
}

function dataFolderError(path: string, error: unknown): AutoVoiceError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new AutoVoiceError(
    'config.invalid',
    `Invalid configuration: the data folder ${path} cannot be created (${(error as Error).message}); set AUTOVOICE_DATA_DIR to a writable folder.`,
    { path, reason: code },
    { cause: error },
  );
}
