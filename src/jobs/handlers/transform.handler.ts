import { transformVoice } from '../../pipelines/transform-voice.pipeline.js';
import type { JobHandler } from '../job-handler.js';
import { pipelineRunOptions, readInputAudio, storeAudioOutput } from './handler-io.js';

/** The vocoder is part of every build. */
export const available = true;

/** Edits an uploaded voice (pitch, formants, tilt, breathiness, tempo); output `main`. */
export const handler: JobHandler<'transform'> = async (payload, ctx) => {
  ctx.progress('decode', 0);
  const decoded = await readInputAudio(ctx, payload.input);
  const result = await transformVoice(
    decoded.audio,
    {
      semitones: payload.semitones,
      formantFactor: payload.formantFactor,
      tiltDbPerOctave: payload.tiltDbPerOctave,
      breathiness: payload.breathiness,
      stretch: payload.stretch,
    },
    {
      refine: payload.refine,
      ...pipelineRunOptions(ctx, 0.95),
    },
  );
  ctx.progress('encode', 0.95);
  const main = await storeAudioOutput(ctx, result.audio, payload.format);
  return {
    outputs: { main },
    metrics: {
      edit: result.edit,
      refined: result.refined,
      inputMedianF0Hz: result.inputMedianF0Hz,
      outputMedianF0Hz: result.outputMedianF0Hz,
      realisedSemitones: result.realisedSemitones,
    },
    audioSeconds: decoded.info.durationSeconds,
  };
};
