import { mixToMono, resample, resampleAudio, type RawAudio } from '../audio/index.js';
import { AutoVoiceError } from '../errors/index.js';

/** Lowest input rate the voice pipelines work at (Hz): below it there is too little of the voice's spectrum to analyse. */
export const ENGINE_MIN_RATE_HZ = 8000;

/** Highest rate the analysis takes (Hz, `analyzeVoice`); faster input is resampled down to fit. */
export const ENGINE_MAX_RATE_HZ = 192_000;

/**
 * The rate (Hz) the pipelines process audio of `sampleRateHz` at: unchanged within range, else
 * divided by the smallest whole factor that fits (768 kHz → 192 kHz, 705.6 kHz → 176.4 kHz), so
 * the rate family and an exact resampling ratio are kept.
 */
export function engineSampleRate(sampleRateHz: number): number {
  if (sampleRateHz <= ENGINE_MAX_RATE_HZ) return sampleRateHz;
  return Math.round(sampleRateHz / Math.ceil(sampleRateHz / ENGINE_MAX_RATE_HZ));
}

/**
 * Throws audio.unsupported_sample_rate when `sampleRateHz` is below ENGINE_MIN_RATE_HZ: call it at
 * a pipeline's entry, before any work. `what` names the input in the message ("The audio to convert").
 */
export function assertEngineSampleRate(sampleRateHz: number, what: string): void {
  if (sampleRateHz >= ENGINE_MIN_RATE_HZ) return;
  throw new AutoVoiceError(
    'audio.unsupported_sample_rate',
    `${what} is sampled at ${sampleRateHz} Hz; AutoVoice needs at least ${ENGINE_MIN_RATE_HZ} Hz (16 kHz or more works best). Record or export it at a higher rate.`,
    { sampleRate: sampleRateHz, minSampleRate: ENGINE_MIN_RATE_HZ },
  );
}

/**
 * `audio` at a rate the pipelines take: refused below ENGINE_MIN_RATE_HZ (audio.unsupported_sample_rate),
 * resampled down to `engineSampleRate` above ENGINE_MAX_RATE_HZ, otherwise returned as is.
 */
export function fitEngineSampleRate(audio: RawAudio, what: string): RawAudio {
  assertEngineSampleRate(audio.sampleRate, what);
  const rate = engineSampleRate(audio.sampleRate);
  return rate === audio.sampleRate ? audio : resampleAudio(audio, rate);
}

/** `audio` mixed to mono (mixing first is cheaper) at `engineSampleRate`; check the rate first with assertEngineSampleRate. */
export function engineMono(audio: RawAudio): { readonly signal: Float32Array; readonly sampleRate: number } {
  const mono = mixToMono(audio);
  const sampleRate = engineSampleRate(audio.sampleRate);
  return {
    signal: sampleRate === audio.sampleRate ? mono : resample(mono, audio.sampleRate, sampleRate),
    sampleRate,
  };
}
