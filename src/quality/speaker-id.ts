import { AutoVoiceError } from '../errors/index.js';
import { mixToMono, type RawAudio } from '../audio/index.js';
import { activeFrameIndices, computeLogMelSpectrogram, logMelToMfcc } from './mfcc.js';
import { gmmMeanLogLikelihood, mapAdaptMeans, trainGmm, type DiagonalGmm } from './gmm.js';

/**
 * Closed-set speaker identification with a GMM-UBM (Reynolds et al. 2000): a universal background
 * model (diagonal GMM) is trained on the MFCCs of every speaker's enrolment audio pooled, each
 * speaker model is the UBM with MAP-adapted means, and an utterance is scored per speaker by its
 * mean per-frame log-likelihood ratio log p(x | speaker) − log p(x | UBM). Features: MFCC c1..c19
 * (no c0, no mean normalisation — the long-term spectrum IS the voice here) of speech-active frames
 * (within 35 dB of the loudest), 25 ms / 10 ms framing, 40 mel bands 20-8000 Hz.
 */
export interface SpeakerIdOptions {
  /** UBM mixture components. */
  components: number;
  /** EM iterations for the UBM. */
  iterations: number;
  /** MAP relevance factor. */
  relevance: number;
  /** Most frames used to train the UBM (evenly subsampled over all speakers). */
  maxUbmFrames: number;
}

export const defaultSpeakerIdOptions: SpeakerIdOptions = { components: 32, iterations: 12, relevance: 16, maxUbmFrames: 30000 };

/** Trained models: the UBM and one adapted model per speaker id. */
export interface SpeakerModels {
  ubm: DiagonalGmm;
  speakers: { id: string; model: DiagonalGmm }[];
}

/** One speaker's score: mean log-likelihood ratio per frame (nats; higher = more likely). */
export interface SpeakerScore {
  speaker: string;
  score: number;
}

const FEATURE_DIMS = 19;

/** The identification features (MFCC c1..c19 of speech-active frames) of `audio`. */
export function speakerIdFeatures(audio: RawAudio): Float32Array[] {
  if (audio === undefined || !Array.isArray(audio.channels) || audio.channels.length === 0) {
    throw new AutoVoiceError('quality.invalid_input', 'Speaker identification takes RawAudio with at least one channel.');
  }
  const signal = audio.channels.length === 1 ? (audio.channels[0] as Float32Array) : mixToMono(audio);
  const logMel = computeLogMelSpectrogram(signal, audio.sampleRate);
  const mfcc = logMelToMfcc(logMel.frames, FEATURE_DIMS + 1);
  return activeFrameIndices(logMel.frameEnergyDb).map((t) => (mfcc[t] as Float32Array).subarray(1));
}

/**
 * Trains the UBM and per-speaker models from enrolment audio: `utterancesBySpeaker` maps a
 * speaker id to its recordings. Needs at least two speakers.
 */
export function trainSpeakerModels(
  utterancesBySpeaker: ReadonlyMap<string, readonly RawAudio[]> | Readonly<Record<string, readonly RawAudio[]>>,
  options: Partial<SpeakerIdOptions> = {},
): SpeakerModels {
  const opts: SpeakerIdOptions = { ...defaultSpeakerIdOptions, ...options };
  const entries: [string, readonly RawAudio[]][] =
    utterancesBySpeaker instanceof Map
      ? [...(utterancesBySpeaker as ReadonlyMap<string, readonly RawAudio[]>).entries()]
      : Object.entries(utterancesBySpeaker as Readonly<Record<string, readonly RawAudio[]>>);
  if (entries.length < 2) {
    throw new AutoVoiceError('quality.invalid_input', `Speaker identification needs at least two speakers, got ${entries.length}.`);
  }
  const perSpeaker = entries.map(([id, utterances]) => ({ id, frames: utterances.flatMap((u) => speakerIdFeatures(u)) }));
  for (const s of perSpeaker) {
    if (s.frames.length < 50) {
      throw new AutoVoiceError('quality.invalid_input', `Speaker "${s.id}" has only ${s.frames.length} speech frames; give at least a few seconds of speech.`);
    }
  }
  // Balance the UBM: the same number of frames from every speaker, evenly spaced.
  const perSpeakerCap = Math.floor(opts.maxUbmFrames / perSpeaker.length);
  const pooled: Float32Array[] = [];
  for (const s of perSpeaker) {
    const step = Math.max(1, s.frames.length / perSpeakerCap);
    for (let i = 0; i < s.frames.length; i += step) pooled.push(s.frames[Math.floor(i)] as Float32Array);
  }
  const ubm = trainGmm(pooled, { components: opts.components, iterations: opts.iterations });
  return { ubm, speakers: perSpeaker.map((s) => ({ id: s.id, model: mapAdaptMeans(ubm, s.frames, opts.relevance) })) };
}

/**
 * Scores `audio` against every speaker model; returns speakers ranked best first with their mean
 * per-frame log-likelihood ratio against the UBM. Throws `quality.invalid_input` when the audio has
 * no speech-active frame.
 */
export function identifySpeaker(models: SpeakerModels, audio: RawAudio): SpeakerScore[] {
  const frames = speakerIdFeatures(audio);
  if (frames.length === 0) throw new AutoVoiceError('quality.invalid_input', 'No speech-active frames to identify.');
  const ubmScore = gmmMeanLogLikelihood(models.ubm, frames);
  return models.speakers
    .map((s) => ({ speaker: s.id, score: gmmMeanLogLikelihood(s.model, frames) - ubmScore }))
    .sort((a, b) => b.score - a.score);
}
