import { audioDurationSeconds, decodeAudio, encodeAudio, type DecodedAudio, type RawAudio } from '../../audio/index.js';
import type { PipelineRunOptions } from '../../pipelines/progress.js';
import type { JobOutput } from '../../storage/job-record.js';
import type { AudioOutputFormat, JobContext } from '../job-context.js';

/** Reads and decodes an upload blob within the configured size and duration limits (`trusted`: our own result, no size limit). */
export async function readInputAudio(ctx: JobContext, blobId: string, trusted = false): Promise<DecodedAudio> {
  const bytes = await ctx.blobs.readBytes(blobId);
  return decodeAudio(bytes, trusted ? { maxBytes: Number.MAX_SAFE_INTEGER, maxDurationSeconds: 24 * 3600 } : { maxBytes: ctx.limits.uploadMaxBytes, maxDurationSeconds: ctx.limits.audioMaxSeconds });
}

/** Encodes audio in the requested format and stores it as a result blob. */
export async function storeAudioOutput(ctx: JobContext, audio: RawAudio, format: AudioOutputFormat): Promise<JobOutput> {
  const bytes = await encodeAudio(audio, format);
  const blobId = await ctx.blobs.putBytes('result', bytes);
  return { blobId, format, bytes: bytes.length, durationSeconds: audioDurationSeconds(audio) };
}

/**
 * Cancellation and progress for a pipeline run inside a job: the pipeline's progress fills the
 * first `share` of the job's (the rest is encoding and storing the results).
 */
export function pipelineRunOptions(ctx: JobContext, share: number): PipelineRunOptions {
  return { signal: ctx.signal, onProgress: (e) => ctx.progress(e.stage, e.fraction * share) };
}
