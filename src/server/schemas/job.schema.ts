import { Type, type Static } from 'typebox';

/** Job states. */
export const JobStateSchema = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('cancelled')]);

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableNumber = Type.Union([Type.Number(), Type.Null()]);

/** One downloadable output of a job. */
export const JobResultLink = Type.Object({
  variant: Type.String({ description: 'Output name: main, mix, vocals, original_vocals, accompaniment …' }),
  format: Type.String(),
  bytes: Type.Integer(),
  durationSeconds: NullableNumber,
  url: Type.String({ description: 'GET this URL (add ?format= to transcode).' }),
});

/** A job as the API shows it. Times are ISO 8601 strings. */
export const JobView = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    state: JobStateSchema,
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    stage: NullableString,
    attempts: Type.Integer(),
    maxAttempts: Type.Integer(),
    batchId: NullableString,
    createdAt: Type.String(),
    startedAt: NullableString,
    finishedAt: NullableString,
    expiresAt: NullableString,
    audioSeconds: NullableNumber,
    processingSeconds: NullableNumber,
    realTimeFactor: NullableNumber,
    metrics: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), details: Type.Record(Type.String(), Type.Unknown()) }), Type.Null()]),
    results: Type.Array(JobResultLink),
    data: Type.Optional(Type.Unknown()),
  },
  { $id: 'Job', title: 'Job' },
);

/** Static type of JobView. */
export type JobViewData = Static<typeof JobView>;

/** Response of job-creating endpoints (202). */
export const JobAccepted = Type.Object({ job: Type.Ref('Job') });
