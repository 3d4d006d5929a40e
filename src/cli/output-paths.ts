import { constants, type Stats } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { audioEncodingForPath } from '../audio/index.js';
import { AutoVoiceError } from '../errors/index.js';
import { makeFolder } from '../storage/make-folder.js';

/**
 * Paths the user names for a command's files (where it writes, and a text file it reads),
 * checked before it starts its work: a typo in --out must fail at once as a usage error, not as
 * an internal error after minutes of conversion.
 */

/** Checks that `path` (absolute) can be created or replaced: its folder exists and is writable. */
export async function checkOutputFile(flag: string, path: string): Promise<void> {
  const info = await statOrUndefined(flag, path);
  if (info?.isDirectory() === true) throw usage(flag, path, `${path} is a folder; give a file name`);
  const folder = dirname(path);
  const folderInfo = await statOrUndefined(flag, folder);
  if (folderInfo === undefined) throw usage(flag, path, `the folder ${folder} does not exist`);
  if (!folderInfo.isDirectory()) throw usage(flag, path, `${folder} is not a folder`);
  await checkWritable(flag, folder);
}

/** `checkOutputFile`, and the name must say an audio format (.wav, .flac, .mp3). */
export async function checkAudioOutputFile(flag: string, path: string): Promise<void> {
  audioEncodingForPath(path);
  await checkOutputFile(flag, path);
}

/** Creates folder `dir` (absolute) and any missing parents, or checks an existing one is a writable folder. */
export async function prepareOutputFolder(flag: string, dir: string): Promise<void> {
  try {
    await makeFolder(dir);
  } catch (error) {
    const { code, path } = error as NodeJS.ErrnoException;
    throw usage(flag, dir, code === 'ENOTDIR' ? `${path ?? dir} is not a folder` : `cannot create ${path ?? dir} (${code ?? 'error'})`, error);
  }
  await checkWritable(flag, dir);
}

/** The text of a UTF-8 file the user named (e.g. --text-file); usage.invalid_argument when unreadable. */
export async function readTextArgumentFile(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw usage(
      flag,
      path,
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      error,
    );
  }
}

async function statOrUndefined(flag: string, path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // ENOTDIR: a file stands where a folder of the path should be.
    throw usage(
      flag,
      path,
      code === 'ENOTDIR'
        ? `a part of ${path} is a file, not a folder`
        : `cannot use ${path} (${code ?? 'error'})`,
      error,
    );
  }
}

async function checkWritable(flag: string, folder: string): Promise<void> {
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw usage(
      flag,
      folder,
      `cannot write into ${folder} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      error,
    );
  }
}

function usage(flag: string, path: string, reason: string, cause?: unknown): AutoVoiceError {
  return new AutoVoiceError(
    'usage.invalid_argument',
    `${flag}: ${reason}.`,
    { option: flag, path },
    cause === undefined ? undefined : { cause },
  );
}
