import { addRecordingsToProfile, createVoiceProfile } from '../../pipelines/create-profile.pipeline.js';
import { AutoVoiceError } from '../../errors/index.js';
import { VoiceProfileRepository } from '../../storage/voice-profile.repository.js';
import { summarizeProfile } from '../../voice/voice-profile.js';
import type { JobHandler } from '../job-handler.js';
import { readInputAudio } from './handler-io.js';

/** The VOICE pipeline is part of the build. */
export const available = true;

/**
 * Builds a voice profile from uploaded recordings (or adds them to `profileId` and re-analyses)
 * and stores it in the voice repository. `data` = `{ voice: summary, report }`.
 */
export const handler: JobHandler<'create-profile'> = async (payload, ctx) => {
  const repository = new VoiceProfileRepository(ctx.dataDir);
  if (payload.profileId === undefined && (await repository.has(payload.name))) {
    throw new AutoVoiceError('voice.name_taken', `A voice named "${payload.name}" already exists; choose another name or delete it first.`, { name: payload.name });
  }
  ctx.progress('decode', 0);
  const inputs = [];
  let audioSeconds = 0;
  for (const blobId of payload.inputs) {
    const decoded = await readInputAudio(ctx, blobId);
    audioSeconds += decoded.info.durationSeconds;
    inputs.push(decoded.audio);
  }
  const options = { signal: ctx.signal, onProgress: (e: { stage: string; fraction: number }) => ctx.progress(e.stage, e.fraction), ownerKeyId: payload.ownerKeyId };
  if (payload.profileId !== undefined) {
    const current = await repository.get(payload.profileId);
    const { profile, report } = await addRecordingsToProfile(current, inputs, options);
    const stored = await repository.update(current.id, profile);
    return { outputs: {}, data: { voice: summarizeProfile(stored), report }, audioSeconds };
  }
  const { profile, report } = await createVoiceProfile(inputs, { ...options, name: payload.name });
  const stored = await repository.create(profile);
  return { outputs: {}, data: { voice: summarizeProfile(stored), report }, audioSeconds };
};
