import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AutoVoiceError } from '../../errors/index.js';
import type { VoiceProfileAccess } from '../../storage/voice-profile.repository.js';
import { summarizeProfile } from '../../voice/voice-profile.js';
import { newOwner } from '../plugins/auth.plugin.js';
import { assertAudioUpload, uploadedBlob } from '../plugins/uploads.plugin.js';
import { COMMON_ERRORS, IdParams, errorResponses } from '../schemas/common.schema.js';
import { AddSamplesBody, CreateVoiceBody, ImportVoiceBody, PatchVoiceBody, VoiceCreated } from '../schemas/voice.schema.js';
import type { RouteOptions } from '../route-options.js';
import type { ServerDeps } from '../server-deps.js';

/** What the caller may see: everything for admins, own + shared profiles for users. */
export function voiceAccess(request: FastifyRequest): VoiceProfileAccess {
  return request.auth.role === 'admin' || request.auth.keyId === null ? {} : { ownerKeyId: request.auth.keyId };
}

/** Checks every uploaded recording and returns their blob ids. */
async function recordingBlobs(request: FastifyRequest, deps: ServerDeps, files: readonly string[]): Promise<string[]> {
  const ids = files.map((f, i) => uploadedBlob(request, f, `files[${i}]`));
  for (const [i, id] of ids.entries()) await assertAudioUpload(deps.blobs, id, `files[${i}]`);
  return ids;
}

/** A user may change only profiles it owns; shared (stock, admin-made) ones are read-only to users. */
async function assertMayModify(request: FastifyRequest, deps: ServerDeps, idOrName: string): Promise<string> {
  const profile = await deps.voices.get(idOrName, voiceAccess(request));
  if (request.auth.role !== 'admin' && profile.ownerKeyId !== request.auth.keyId) {
    throw new AutoVoiceError('auth.forbidden', `The voice "${profile.name}" is shared; only an admin can change it.`);
  }
  return profile.id;
}

function assertProfilesAvailable(deps: ServerDeps): void {
  if (deps.pool.available['create-profile'] !== true) {
    throw new AutoVoiceError('feature.unavailable', 'Voice profile creation is not available in this build yet.', { feature: 'create-profile' });
  }
}

const multipartErrors = errorResponses(...COMMON_ERRORS, 409, 413, 415, 422, 503);

/** Voice profiles: create from recordings, list, show, rename, delete, add samples, export, import. */
export const voicesRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { deps }) => {
  app.post(
    '/voices',
    {
      schema: {
        tags: ['voices'],
        summary: 'Create a voice profile from recordings (multipart: name, files).',
        consumes: ['multipart/form-data'],
        body: CreateVoiceBody,
        response: { 201: VoiceCreated, ...multipartErrors },
      },
    },
    async (request, reply) => {
      assertProfilesAvailable(deps);
      const inputs = await recordingBlobs(request, deps, request.body.files);
      const outcome = await deps.jobs.runNow('create-profile', { inputs, name: request.body.name, ownerKeyId: newOwner(request) });
      return reply.status(201).send(outcome.data as { voice: unknown; report: unknown });
    },
  );

  app.get('/voices', { schema: { tags: ['voices'], summary: 'List visible voice profiles.', response: { 200: Type.Object({ items: Type.Array(Type.Ref('VoiceSummary')) }), ...errorResponses(...COMMON_ERRORS) } } }, async (request) => ({
    items: await deps.voices.list(voiceAccess(request)),
  }));

  app.get('/voices/:id', { schema: { tags: ['voices'], summary: 'One voice profile (id or name) with its quality report.', params: IdParams, response: { 200: Type.Object({ voice: Type.Ref('VoiceSummary'), report: Type.Unknown() }), ...errorResponses(...COMMON_ERRORS, 404) } } }, async (request) => {
    const profile = await deps.voices.get(request.params.id, voiceAccess(request));
    return { voice: summarizeProfile(profile), report: profile.report };
  });

  app.patch(
    '/voices/:id',
    { schema: { tags: ['voices'], summary: 'Rename a voice profile.', params: IdParams, body: PatchVoiceBody, response: { 200: Type.Object({ voice: Type.Ref('VoiceSummary') }), ...errorResponses(...COMMON_ERRORS, 404, 409) } } },
    async (request) => {
      const id = await assertMayModify(request, deps, request.params.id);
      return { voice: summarizeProfile(await deps.voices.rename(id, request.body.name, voiceAccess(request))) };
    },
  );

  app.delete('/voices/:id', { schema: { tags: ['voices'], summary: 'Delete a voice profile.', params: IdParams, response: { 204: Type.Null(), ...errorResponses(...COMMON_ERRORS, 404) } } }, async (request, reply) => {
    await deps.voices.delete(await assertMayModify(request, deps, request.params.id), voiceAccess(request));
    return reply.status(204).send(null);
  });

  app.post(
    '/voices/:id/samples',
    { schema: { tags: ['voices'], summary: 'Add recordings to a profile and re-analyse it.', consumes: ['multipart/form-data'], params: IdParams, body: AddSamplesBody, response: { 200: VoiceCreated, ...multipartErrors, 404: Type.Ref('ErrorBody') } } },
    async (request) => {
      assertProfilesAvailable(deps);
      const profile = await deps.voices.get(await assertMayModify(request, deps, request.params.id), voiceAccess(request));
      const inputs = await recordingBlobs(request, deps, request.body.files);
      const outcome = await deps.jobs.runNow('create-profile', { inputs, name: profile.name, ownerKeyId: profile.ownerKeyId, profileId: profile.id });
      return outcome.data as { voice: unknown; report: unknown };
    },
  );

  app.get(
    '/voices/:id/export',
    { schema: { tags: ['voices'], summary: 'Download the profile file (.avp) for import elsewhere.', params: IdParams, response: { 200: Type.String({ format: 'binary' }), ...errorResponses(...COMMON_ERRORS, 404) } } },
    async (request, reply) => {
      const profile = await deps.voices.get(request.params.id, voiceAccess(request));
      const bytes = await deps.voices.export(profile.id, voiceAccess(request));
      return (reply as FastifyReply).type('application/octet-stream').header('content-disposition', `attachment; filename="${profile.id}.avp"`).send(Buffer.from(bytes));
    },
  );

  app.post(
    '/voices/import',
    { schema: { tags: ['voices'], summary: 'Import a profile file exported by AutoVoice.', consumes: ['multipart/form-data'], body: ImportVoiceBody, response: { 201: Type.Object({ voice: Type.Ref('VoiceSummary') }), ...multipartErrors } } },
    async (request, reply) => {
      const blobId = uploadedBlob(request, request.body.file, 'file');
      const bytes = await deps.blobs.readBytes(blobId);
      const owner = newOwner(request);
      const profile = await deps.voices.import(bytes, { ...(owner === null ? {} : { ownerKeyId: owner }), ...(request.body.name === undefined ? {} : { name: request.body.name }) });
      return reply.status(201).send({ voice: summarizeProfile(profile) });
    },
  );
};
