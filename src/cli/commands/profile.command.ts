import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { readAudioFile, type RawAudio } from '../../audio/index.js';
import { loadConfig } from '../../config/index.js';
import { AutoVoiceError } from '../../errors/index.js';
import { addRecordingsToProfile, createVoiceProfile } from '../../pipelines/create-profile.pipeline.js';
import { ensureStockVoices } from '../../pipelines/stock-voices.js';
import { embeddingSimilarity } from '../../quality/index.js';
import { VoiceProfileRepository } from '../../storage/voice-profile.repository.js';
import { summarizeProfile, type ProfileQualityReport, type VoiceProfile } from '../../voice/voice-profile.js';
import { printJson, printLine, type CliContext } from '../cli-context.js';
import { checkOutputFile } from '../output-paths.js';
import type { CliCommand } from './index.js';

/** The voice repository of the configured data directory (AUTOVOICE_DATA_DIR, default ./data). */
export function openVoiceRepository(ctx: CliContext): VoiceProfileRepository {
  return new VoiceProfileRepository(resolve(ctx.cwd, loadConfig(ctx.env, { cwd: ctx.cwd }).dataDir));
}

/** Cosine similarity above which a new profile is reported as a likely duplicate. */
const DUPLICATE_SIMILARITY = 0.97;

async function readRecordings(ctx: CliContext, files: readonly string[]): Promise<RawAudio[]> {
  const out: RawAudio[] = [];
  for (const f of files) out.push((await readAudioFile(resolve(ctx.cwd, f))).audio);
  return out;
}

/** The most similar stored profile (by embedding), for duplicate warnings. */
async function nearestProfile(
  repo: VoiceProfileRepository,
  profile: VoiceProfile,
): Promise<ProfileQualityReport['nearestProfile']> {
  let best: ProfileQualityReport['nearestProfile'];
  for (const s of await repo.list()) {
    if (s.id === profile.id) continue;
    const other = await repo.get(s.id);
    if (other.embedding.length !== profile.embedding.length) continue;
    const similarity = embeddingSimilarity(profile.embedding, other.embedding);
    if (best === undefined || similarity > best.similarity)
      best = { id: other.id, name: other.name, similarity };
  }
  return best;
}

function withNearest(profile: VoiceProfile, nearest: ProfileQualityReport['nearestProfile']): VoiceProfile {
  if (nearest === undefined) return profile;
  const warnings = [...profile.report.warnings];
  if (nearest.similarity >= DUPLICATE_SIMILARITY)
    warnings.push(
      `This voice is very similar to the existing profile "${nearest.name}" (similarity ${nearest.similarity.toFixed(2)}).`,
    );
  return { ...profile, report: { ...profile.report, nearestProfile: nearest, warnings } };
}

function reportLines(profile: VoiceProfile): string[] {
  const r = profile.report;
  const p = r.pitchRange;
  return [
    `id:            ${profile.id}`,
    `name:          ${profile.name}`,
    `origin:        ${profile.origin}`,
    `recordings:    ${profile.sources.length} (${r.totalSeconds.toFixed(1)} s, ${r.voicedSeconds.toFixed(1)} s voiced)`,
    `pitch range:   ${p.lowNote}–${p.highNote} (${p.lowHz.toFixed(0)}–${p.highHz.toFixed(0)} Hz, median ${p.medianHz.toFixed(0)} Hz)`,
    `loudness:      ${profile.loudness.integratedLufs.toFixed(1)} LUFS`,
    `SNR estimate:  ${r.estimatedSnrDb.toFixed(0)} dB`,
    ...(r.nearestProfile !== undefined
      ? [`most similar:  ${r.nearestProfile.name} (${r.nearestProfile.similarity.toFixed(2)})`]
      : []),
    ...r.warnings.map((w) => `warning:       ${w}`),
  ];
}

/** JSON view of a profile for `--json`: everything but the big arrays. */
function profileJson(profile: VoiceProfile): Record<string, unknown> {
  return {
    ...summarizeProfile(profile),
    pitch: { ...profile.pitch, logF0Histogram: undefined },
    loudness: profile.loudness,
    timbre: {
      codebookFrames: profile.timbre.codebookFrames,
      voicedFrames: profile.timbre.voicedFrames,
      vtlnWarpFactor: profile.timbre.vtlnWarpFactor,
    },
    embeddingLength: profile.embedding.length,
    sources: profile.sources,
    report: profile.report,
  };
}

/**
 * `autovoice profile create|add|list|show|export|import|delete|rename`: voice profiles in the
 * data directory (AUTOVOICE_DATA_DIR).
 */
export const command: CliCommand = {
  register(program: Command, ctx: CliContext): void {
    const profile = program
      .command('profile')
      .description('Create and manage voice profiles (stored in the data directory).');

    profile
      .command('create')
      .description('Create a voice profile from recordings (10 s to 10 min of speech or singing in all).')
      .requiredOption('--name <name>', 'profile name (unique)')
      .argument('<files...>', 'recordings of the voice')
      .option('--json', 'print machine-readable JSON')
      .action(async (files: string[], opts: { name: string; json?: boolean }) => {
        const repo = openVoiceRepository(ctx);
        if (await repo.has(opts.name)) {
          throw new AutoVoiceError(
            'voice.name_taken',
            `A voice named "${opts.name}" already exists; choose another name or delete it first.`,
            { name: opts.name },
          );
        }
        const { profile: created } = await createVoiceProfile(await readRecordings(ctx, files), {
          name: opts.name,
          labels: files.map((f) => basename(f)),
        });
        const stored = await repo.create(withNearest(created, await nearestProfile(repo, created)));
        if (opts.json) printJson(ctx, profileJson(stored));
        else for (const line of reportLines(stored)) printLine(ctx, line);
      });

    profile
      .command('add')
      .description('Add recordings to an existing profile (re-analyses and improves it).')
      .argument('<voice>', 'profile id or name')
      .argument('<files...>', 'more recordings of the voice')
      .option('--json', 'print machine-readable JSON')
      .action(async (voice: string, files: string[], opts: { json?: boolean }) => {
        const repo = openVoiceRepository(ctx);
        const current = await repo.get(voice);
        const { profile: next } = await addRecordingsToProfile(current, await readRecordings(ctx, files), {
          labels: files.map((f) => basename(f)),
        });
        const stored = await repo.update(current.id, next);
        if (opts.json) printJson(ctx, profileJson(stored));
        else for (const line of reportLines(stored)) printLine(ctx, line);
      });

    profile
      .command('list')
      .description('List voice profiles.')
      .option('--json', 'print machine-readable JSON')
      .action(async (opts: { json?: boolean }) => {
        const list = await openVoiceRepository(ctx).list();
        if (opts.json) {
          printJson(ctx, list);
          return;
        }
        if (list.length === 0)
          printLine(
            ctx,
            'No voice profiles yet; create one with "autovoice profile create --name NAME FILE...".',
          );
        for (const s of list) {
          printLine(
            ctx,
            `${s.id}  ${s.name}  (${s.origin}, ${s.voicedSeconds.toFixed(0)} s voiced, ${s.pitchRange.lowNote}–${s.pitchRange.highNote})`,
          );
        }
      });

    profile
      .command('show')
      .description('Show a profile and its quality report.')
      .argument('<voice>', 'profile id or name')
      .option('--json', 'print machine-readable JSON')
      .action(async (voice: string, opts: { json?: boolean }) => {
        const p = await openVoiceRepository(ctx).get(voice);
        if (opts.json) printJson(ctx, profileJson(p));
        else for (const line of reportLines(p)) printLine(ctx, line);
      });

    profile
      .command('export')
      .description('Export a profile to a single .avp file (imports back exactly).')
      .argument('<voice>', 'profile id or name')
      .requiredOption('--out <file>', 'file to write (e.g. alice.avp)')
      .option('--json', 'print machine-readable JSON')
      .action(async (voice: string, opts: { out: string; json?: boolean }) => {
        const path = resolve(ctx.cwd, opts.out);
        await checkOutputFile('--out', path);
        const repo = openVoiceRepository(ctx);
        const bytes = await repo.export(voice);
        await writeFile(path, bytes);
        if (opts.json) printJson(ctx, { voice, file: path, bytes: bytes.byteLength });
        else printLine(ctx, `exported ${voice} to ${path} (${bytes.byteLength} bytes)`);
      });

    profile
      .command('import')
      .description('Import a profile exported with "profile export".')
      .argument('<file>', '.avp file')
      .option('--name <name>', 'store under this name instead')
      .option('--json', 'print machine-readable JSON')
      .action(async (file: string, opts: { name?: string; json?: boolean }) => {
        const bytes = new Uint8Array(await readFile(resolve(ctx.cwd, file)));
        const stored = await openVoiceRepository(ctx).import(
          bytes,
          opts.name !== undefined ? { name: opts.name } : {},
        );
        if (opts.json) printJson(ctx, profileJson(stored));
        else printLine(ctx, `imported ${stored.name} as ${stored.id}`);
      });

    profile
      .command('rename')
      .description('Rename a profile.')
      .argument('<voice>', 'profile id or name')
      .argument('<new-name>', 'new unique name')
      .option('--json', 'print machine-readable JSON')
      .action(async (voice: string, newName: string, opts: { json?: boolean }) => {
        const stored = await openVoiceRepository(ctx).rename(voice, newName);
        if (opts.json) printJson(ctx, summarizeProfile(stored));
        else printLine(ctx, `renamed to ${stored.name} (${stored.id})`);
      });

    profile
      .command('stock')
      .description('Create the stock voices (profiles of the embedded TTS voices) that do not exist yet.')
      .option('--count <n>', 'how many stock voices', '5')
      .option('--json', 'print machine-readable JSON')
      .action(async (opts: { count: string; json?: boolean }) => {
        const count = Number(opts.count);
        if (!Number.isInteger(count) || count < 1 || count > 20) {
          throw new AutoVoiceError(
            'usage.invalid_argument',
            `--count must be an integer from 1 to 20, got "${opts.count}".`,
          );
        }
        const created = await ensureStockVoices(openVoiceRepository(ctx), { count });
        if (opts.json) printJson(ctx, { created });
        else
          printLine(
            ctx,
            created.length === 0 ? 'stock voices already present' : `created ${created.join(', ')}`,
          );
      });

    profile
      .command('delete')
      .description('Delete a profile.')
      .argument('<voice>', 'profile id or name')
      .option('--json', 'print machine-readable JSON')
      .action(async (voice: string, opts: { json?: boolean }) => {
        const id = await openVoiceRepository(ctx).delete(voice);
        if (opts.json) printJson(ctx, { deleted: id });
        else printLine(ctx, `deleted ${id}`);
      });
  },
};
