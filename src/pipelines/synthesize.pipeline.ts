import type { RawAudio } from '../audio/raw-audio.js';
import { AutoVoiceError, throwIfAborted } from '../errors/index.js';
import { computeConversionMetrics, type ConversionMetrics } from '../quality/index.js';
import {
  concatAudio,
  synthesizeSpeech,
  synthesizeSpeechStream,
  type SynthesizeSpeechOptions,
} from '../tts/index.js';
import type { VoiceProfile } from '../voice/voice-profile.js';
import { convertVoice } from './convert-voice.pipeline.js';
import type { PipelineRunOptions } from './progress.js';
import { createStageReporter, type PipelineStage } from './stage-progress.js';

/** The stages of speech synthesis (cloned voices run `convert`; stock voices skip it). */
export const SYNTHESIZE_STAGES = [
  { name: 'synthesize', weight: 1 },
  { name: 'convert', weight: 4 },
  { name: 'finish', weight: 0.5 },
] as const satisfies readonly PipelineStage[];

/** A stage name of speech synthesis. */
export type SynthesizeStage = (typeof SYNTHESIZE_STAGES)[number]['name'];

/** Options of `synthesizeWithVoice`. */
export interface SynthesizeWithVoiceOptions
  extends PipelineRunOptions, Omit<SynthesizeSpeechOptions, 'voice' | 'signal'> {
  /** A TTS voice id (`flite:slt`, `espeak:de`, a Piper voice) or a voice profile to speak in. */
  readonly voice?: string | VoiceProfile;
  /** Cloned voices: the TTS voice to start from (default: chosen to suit the profile). */
  readonly baseVoice?: string;
  /** Cloned voices: skip the result metrics (faster; benchmarks measure their own). */
  readonly skipMetrics?: boolean;
}

/** Which voice spoke. */
export type SynthesisVoiceInfo =
  | { readonly kind: 'tts'; readonly id: string }
  | {
      readonly kind: 'profile';
      readonly id: string;
      readonly name: string;
      readonly baseVoice: string;
      readonly basePitchSemitones: number;
    };

/** What `synthesizeWithVoice` returns. */
export interface SynthesizeWithVoiceResult {
  /** Mono speech (a profile voice: at the base voice's sample rate). */
  readonly audio: RawAudio;
  readonly voice: SynthesisVoiceInfo;
  /** Cloned voices: conversion metrics of the whole utterance against the base rendition. */
  readonly metrics?: ConversionMetrics;
}

/** A base TTS voice and the pitch offset that brings it near a profile's range. */
export interface BaseVoiceChoice {
  readonly voiceId: string;
  /** Pitch shift (semitones) to ask the TTS engine for, so conversion has less to move. */
  readonly pitchSemitones: number;
}

/** Base-voice candidates with their measured median F0 (Hz; `estimateF0` on two English sentences). */
const ENGLISH_BASES = [
  { voiceId: 'flite:slt', medianHz: 172 },
  { voiceId: 'flite:awb', medianHz: 129 },
  { voiceId: 'flite:rms', medianHz: 101 },
] as const;
const ESPEAK_BASES = [
  { variant: '', medianHz: 102 },
  { variant: '+f2', medianHz: 197 },
] as const;
/** Largest pitch offset asked of a TTS engine (further moves are left to conversion). */
const MAX_BASE_SHIFT_SEMITONES = 6;

/**
 * Picks the base voice for speaking in `profile`: for English the natural-sounding flite voice
 * whose median pitch is closest to the profile's (log scale), else espeak in `language` (male or
 * female variant); plus a TTS pitch offset of up to ±6 semitones toward the profile's median.
 */
export function chooseBaseVoice(profile: Pick<VoiceProfile, 'pitch'>, language = 'en'): BaseVoiceChoice {
  const targetHz = profile.pitch.medianHz > 0 ? profile.pitch.medianHz : 140;
  const distance = (hz: number): number => Math.abs(Math.log2(targetHz / hz));
  const english = language.toLowerCase().startsWith('en');
  const candidates = english
    ? ENGLISH_BASES.map((b) => ({ voiceId: b.voiceId, medianHz: b.medianHz }))
    : ESPEAK_BASES.map((b) => ({
        voiceId: `espeak:${language.toLowerCase()}${b.variant}`,
        medianHz: b.medianHz,
      }));
  const best = candidates.reduce((a, b) => (distance(b.medianHz) < distance(a.medianHz) ? b : a));
  const shift = 12 * Math.log2(targetHz / best.medianHz);
  return {
    voiceId: best.voiceId,
    pitchSemitones:
      Math.round(Math.max(-MAX_BASE_SHIFT_SEMITONES, Math.min(MAX_BASE_SHIFT_SEMITONES, shift)) * 10) / 10,
  };
}

function isProfile(voice: string | VoiceProfile | undefined): voice is VoiceProfile {
  return typeof voice === 'object' && voice !== null && 'timbre' in voice;
}

function ttsOptions(
  options: SynthesizeWithVoiceOptions,
  voice: string | undefined,
  pitch: number | undefined,
): SynthesizeSpeechOptions {
  const { voice: _voice, baseVoice: _base, skipMetrics: _skip, onProgress: _progress, ...rest } = options;
  return { ...rest, voice, pitch };
}

function baseFor(profile: VoiceProfile, options: SynthesizeWithVoiceOptions): BaseVoiceChoice {
  if (options.baseVoice !== undefined)
    return { voiceId: options.baseVoice, pitchSemitones: options.pitch ?? 0 };
  const choice = chooseBaseVoice(profile, options.language);
  return {
    voiceId: choice.voiceId,
    pitchSemitones: Math.max(-24, Math.min(24, choice.pitchSemitones + (options.pitch ?? 0))),
  };
}

/**
 * Speaks `text` in a stock TTS voice or in a cloned voice profile. For a profile: synthesise with
 * a base voice suited to it (`chooseBaseVoice`), then convert into the profile with
 * convertVoice (speech mode, pitch mapped into the profile's range). Stages: synthesize → convert
 * → finish. Text errors are those of synthesizeSpeech (tts.text_empty, tts.text_too_long, …).
 */
export async function synthesizeWithVoice(
  text: string,
  options: SynthesizeWithVoiceOptions = {},
): Promise<SynthesizeWithVoiceResult> {
  const stages = createStageReporter(SYNTHESIZE_STAGES, options);
  stages.enter('synthesize');
  if (!isProfile(options.voice)) {
    const audio = await synthesizeSpeech(text, ttsOptions(options, options.voice, options.pitch));
    stages.finish();
    return { audio, voice: { kind: 'tts', id: options.voice ?? 'espeak:en-us' } };
  }
  const profile = options.voice;
  const base = baseFor(profile, options);
  const baseAudio = await synthesizeSpeech(text, ttsOptions(options, base.voiceId, base.pitchSemitones));
  stages.enter('convert');
  const converted = await convertVoice(baseAudio, profile, {
    mode: 'speech',
    pitch: 'auto',
    skipMetrics: true,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (event) => stages.update('convert', event.fraction),
  });
  stages.enter('finish');
  const metrics = options.skipMetrics
    ? undefined
    : computeConversionMetrics({ source: baseAudio, output: converted.audio, mode: 'speech', profile });
  stages.finish();
  return {
    audio: converted.audio,
    voice: {
      kind: 'profile',
      id: profile.id,
      name: profile.name,
      baseVoice: base.voiceId,
      basePitchSemitones: base.pitchSemitones,
    },
    ...(metrics === undefined ? {} : { metrics }),
  };
}

/**
 * Streaming variant: yields mono audio sentence by sentence. For a profile, each sentence is
 * synthesised with the base voice and converted on its own, so the first sentence plays while
 * the rest is still being made.
 */
export async function* synthesizeWithVoiceStream(
  text: string,
  options: SynthesizeWithVoiceOptions = {},
): AsyncGenerator<RawAudio> {
  if (!isProfile(options.voice)) {
    yield* synthesizeSpeechStream(text, {
      ...ttsOptions(options, options.voice, options.pitch),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return;
  }
  const profile = options.voice;
  const base = baseFor(profile, options);
  for await (const chunk of synthesizeSpeechStream(
    text,
    ttsOptions(options, base.voiceId, base.pitchSemitones),
  )) {
    throwIfAborted(options.signal);
    const samples = chunk.channels[0];
    // Pauses (all-zero chunks) pass through; conversion needs sound.
    if (samples === undefined || samples.every((s) => s === 0)) {
      yield chunk;
      continue;
    }
    try {
      yield (
        await convertVoice(chunk, profile, {
          mode: 'speech',
          pitch: 'auto',
          skipMetrics: true,
          ...(options.signal ? { signal: options.signal } : {}),
        })
      ).audio;
    } catch (error) {
      // A sentence too short to analyse (a single word) is spoken unconverted rather than failing the stream.
      if (error instanceof AutoVoiceError && error.code === 'dsp.input_too_short') yield chunk;
      else throw error;
    }
  }
}

/** Collects a stream into one RawAudio (exported for callers that buffer a stream). */
export async function collectAudio(stream: AsyncIterable<RawAudio>): Promise<RawAudio> {
  const chunks: RawAudio[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return concatAudio(chunks);
}
