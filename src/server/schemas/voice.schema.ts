import { Type } from 'typebox';
import { UploadedFile } from './common.schema.js';

/** A voice profile summary as listed. */
export const VoiceSummary = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    ownerKeyId: Type.Union([Type.String(), Type.Null()]),
  },
  { $id: 'VoiceSummary', title: 'VoiceSummary', additionalProperties: true },
);

/** Multipart form of POST /voices. */
export const CreateVoiceBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  files: Type.Array(UploadedFile, { minItems: 1, description: 'One or more recordings of the voice (about 30 s or more of speech or singing in total is best).' }),
});

/** Multipart form of POST /voices/{id}/samples. */
export const AddSamplesBody = Type.Object({ files: Type.Array(UploadedFile, { minItems: 1 }) });

/** Multipart form of POST /voices/import. */
export const ImportVoiceBody = Type.Object({
  file: Type.String({ format: 'binary', description: 'A profile exported with GET /voices/{id}/export (.avp).' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

/** JSON body of PATCH /voices/{id}. */
export const PatchVoiceBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

/** 201 response of profile creation: the profile summary and its quality report. */
export const VoiceCreated = Type.Object({ voice: Type.Ref('VoiceSummary'), report: Type.Unknown() });
