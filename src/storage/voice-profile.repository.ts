import { open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AutoVoiceError } from '../errors/index.js';
import { makeDataFolder } from './make-folder.js';
import {
  decodeVoiceProfile,
  decodeVoiceProfileMetadata,
  encodeVoiceProfile,
  voiceProfileHeaderLength,
  VOICE_PROFILE_FILE_EXTENSION,
} from '../voice/profile-format.js';
import {
  generateVoiceProfileId,
  normalizeProfileName,
  VOICE_PROFILE_ID_PATTERN,
  type VoiceProfile,
  type VoiceProfileSummary,
} from '../voice/voice-profile.js';

/** Visibility filter: with `ownerKeyId`, only that key's profiles and shared (owner-less) ones are seen. */
export interface VoiceProfileAccess {
  /** The API key asking; undefined = everything (CLI, admin). */
  readonly ownerKeyId?: string;
}

/** Options of `VoiceProfileRepository.import`. */
export interface VoiceProfileImportOptions extends VoiceProfileAccess {
  /** Store under this name instead of the one in the file. */
  readonly name?: string;
}

/**
 * Stores voice profiles as single `.avp` files under `<dataDir>/voices/<id>.avp` (the format of
 * src/voice/profile-format.ts, so export is a byte copy). File names derive only from generated,
 * validated ids — never from a client-supplied path. Names are unique, compared case-insensitively.
 * Writes are atomic (temporary file + rename). Profiles are few (tens to hundreds), so listing
 * reads each file's metadata header; no index to keep consistent.
 */
export class VoiceProfileRepository {
  /** Folder holding the profile files. */
  readonly directory: string;

  constructor(dataDir: string) {
    this.directory = join(dataDir, 'voices');
  }

  private pathOf(id: string): string {
    if (!VOICE_PROFILE_ID_PATTERN.test(id)) throw notFound(id);
    return join(this.directory, `${id}${VOICE_PROFILE_FILE_EXTENSION}`);
  }

  private async ids(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return names
      .filter((n) => n.endsWith(VOICE_PROFILE_FILE_EXTENSION))
      .map((n) => n.slice(0, -VOICE_PROFILE_FILE_EXTENSION.length))
      .filter((id) => VOICE_PROFILE_ID_PATTERN.test(id))
      .sort();
  }

  private async readSummary(id: string): Promise<VoiceProfileSummary | undefined> {
    let handle;
    try {
      handle = await open(this.pathOf(id), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const head = new Uint8Array(16);
      await handle.read(head, 0, 16, 0);
      const length = voiceProfileHeaderLength(head);
      const bytes = new Uint8Array(length);
      await handle.read(bytes, 0, length, 0);
      const meta = decodeVoiceProfileMetadata(bytes) as unknown as VoiceProfile;
      return {
        id: meta.id,
        name: meta.name,
        createdAt: meta.createdAt,
        updatedAt: meta.updatedAt,
        ownerKeyId: meta.ownerKeyId ?? null,
        origin: meta.origin,
        voicedSeconds: meta.report.voicedSeconds,
        pitchRange: meta.report.pitchRange,
        warnings: meta.report.warnings,
      };
    } catch (error) {
      // A damaged file must not hide every other profile from a listing.
      if (error instanceof AutoVoiceError && error.code === 'voice.invalid_profile') return undefined;
      throw error;
    } finally {
      await handle.close();
    }
  }

  /** Summaries of the visible profiles, sorted by name. */
  async list(access: VoiceProfileAccess = {}): Promise<VoiceProfileSummary[]> {
    const out: VoiceProfileSummary[] = [];
    for (const id of await this.ids()) {
      const s = await this.readSummary(id);
      if (s !== undefined && visible(s.ownerKeyId, access)) out.push(s);
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async findId(idOrName: string, access: VoiceProfileAccess): Promise<string> {
    if (VOICE_PROFILE_ID_PATTERN.test(idOrName)) {
      const s = await this.readSummary(idOrName);
      if (s !== undefined && visible(s.ownerKeyId, access)) return s.id;
    }
    const key = idOrName.trim().toLowerCase();
    const match = (await this.list(access)).find((s) => s.name.toLowerCase() === key);
    if (match === undefined) throw notFound(idOrName);
    return match.id;
  }

  /** The full profile with this id or name; `voice.not_found` when none is visible. */
  async get(idOrName: string, access: VoiceProfileAccess = {}): Promise<VoiceProfile> {
    const id = await this.findId(idOrName, access);
    return decodeVoiceProfile(new Uint8Array(await readFile(this.pathOf(id))));
  }

  /** True when a profile with this id or name is visible. */
  async has(idOrName: string, access: VoiceProfileAccess = {}): Promise<boolean> {
    try {
      await this.findId(idOrName, access);
      return true;
    } catch (error) {
      if (error instanceof AutoVoiceError && error.code === 'voice.not_found') return false;
      throw error;
    }
  }

  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    const key = name.toLowerCase();
    // Names are unique across the whole installation, whoever owns them.
    const clash = (await this.list()).find((s) => s.name.toLowerCase() === key && s.id !== exceptId);
    if (clash !== undefined) {
      throw new AutoVoiceError(
        'voice.name_taken',
        `A voice named "${clash.name}" already exists; choose another name or delete it first.`,
        {
          name,
          id: clash.id,
        },
      );
    }
  }

  private async write(profile: VoiceProfile): Promise<void> {
    await makeDataFolder(this.directory);
    const path = this.pathOf(profile.id);
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, encodeVoiceProfile(profile));
    await rename(tmp, path);
  }

  /**
   * Stores a new profile (from createVoiceProfile). Keeps its id when valid and unused, else
   * generates one; `voice.name_taken` when the name is in use. Returns the stored profile.
   */
  async create(profile: VoiceProfile, access: VoiceProfileAccess = {}): Promise<VoiceProfile> {
    const name = normalizeProfileName(profile.name);
    await this.assertNameFree(name);
    let id = VOICE_PROFILE_ID_PATTERN.test(profile.id) ? profile.id : generateVoiceProfileId();
    while ((await this.readSummary(id)) !== undefined) id = generateVoiceProfileId();
    const stored: VoiceProfile = {
      ...profile,
      id,
      name,
      ownerKeyId: access.ownerKeyId ?? profile.ownerKeyId ?? null,
    };
    await this.write(stored);
    return stored;
  }

  /**
   * Replaces a stored profile (same id) — e.g. after adding recordings or renaming. The name must
   * stay unique. Returns the stored profile with `updatedAt` set to now.
   */
  async update(idOrName: string, next: VoiceProfile, access: VoiceProfileAccess = {}): Promise<VoiceProfile> {
    const id = await this.findId(idOrName, access);
    const current = await this.get(id);
    const name = normalizeProfileName(next.name);
    await this.assertNameFree(name, id);
    const stored: VoiceProfile = {
      ...next,
      id,
      name,
      ownerKeyId: current.ownerKeyId,
      createdAt: current.createdAt,
      updatedAt: new Date().toISOString(),
    };
    await this.write(stored);
    return stored;
  }

  /** Renames a profile; `voice.name_taken` when the new name is in use. */
  async rename(idOrName: string, newName: string, access: VoiceProfileAccess = {}): Promise<VoiceProfile> {
    const profile = await this.get(idOrName, access);
    return this.update(profile.id, { ...profile, name: newName }, access);
  }

  /** Deletes a profile; `voice.not_found` when none is visible. Returns the deleted id. */
  async delete(idOrName: string, access: VoiceProfileAccess = {}): Promise<string> {
    const id = await this.findId(idOrName, access);
    await rm(this.pathOf(id));
    return id;
  }

  /** The profile as single-file bytes (the stored file itself, byte for byte). */
  async export(idOrName: string, access: VoiceProfileAccess = {}): Promise<Uint8Array> {
    const id = await this.findId(idOrName, access);
    return new Uint8Array(await readFile(this.pathOf(id)));
  }

  /**
   * Imports profile bytes (from `export`): validates them (`voice.invalid_profile`), keeps the id
   * when unused (else generates one), applies `name` when given (`voice.name_taken` on clash).
   */
  async import(bytes: Uint8Array, options: VoiceProfileImportOptions = {}): Promise<VoiceProfile> {
    const profile = decodeVoiceProfile(bytes);
    const named = options.name === undefined ? profile : { ...profile, name: options.name };
    return this.create({ ...named, ownerKeyId: options.ownerKeyId ?? null }, options);
  }
}

function visible(ownerKeyId: string | null, access: VoiceProfileAccess): boolean {
  return access.ownerKeyId === undefined || ownerKeyId === null || ownerKeyId === access.ownerKeyId;
}

function notFound(idOrName: string): AutoVoiceError {
  return new AutoVoiceError(
    'voice.not_found',
    `No voice profile "${idOrName}"; run "autovoice profile list" to see the voices.`,
    { voice: idOrName },
  );
}
