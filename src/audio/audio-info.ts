import type { RawAudio } from './raw-audio.js';

/** Container formats AutoVoice recognises from content (magic bytes), never from a file name. */
export type AudioContainer = 'wav' | 'mp3' | 'flac' | 'ogg' | 'm4a' | 'aac';

/** Facts about a decoded file (what `autovoice info` prints). */
export interface AudioFileInfo {
  /** Container detected from the bytes. */
  readonly container: AudioContainer;
  /** Codec inside the container, e.g. 'pcm_s16le', 'pcm_f32le', 'mp3', 'flac', 'vorbis', 'opus', 'aac'. */
  readonly codec: string;
  /** Sample rate of the decoded audio (Hz). */
  readonly sampleRate: number;
  /** Channel count of the decoded audio. */
  readonly channels: number;
  /** Duration of the decoded audio (seconds). */
  readonly durationSeconds: number;
  /** Bits per sample for lossless codecs (PCM, FLAC); absent for lossy codecs. */
  readonly bitDepth?: number;
  /** Size of the input in bytes. */
  readonly bytes: number;
}

/** The result of decoding: planar float audio plus what the file said about itself. */
export interface DecodedAudio {
  readonly audio: RawAudio;
  readonly info: AudioFileInfo;
}

/** Budgets that keep a hostile or huge input from exhausting time or memory. */
export interface DecodeOptions {
  /** Reject inputs larger than this many bytes (audio.too_large). */
  maxBytes: number;
  /** Reject audio longer than this (audio.too_long), checked from the header before allocating where possible. */
  maxDurationSeconds: number;
  /** Give up decoding after this many milliseconds of work (audio.decode_timeout). */
  timeoutMs: number;
  /** Reject more channels than this (audio.invalid_header). */
  maxChannels: number;
  /** Reject decoded output larger than this many bytes of float samples (audio.too_large). */
  maxDecodedBytes: number;
}

/** Defaults: 1 GiB input, 1 hour, 2 minutes of decoding, 64 channels, 4 GiB of float samples. */
export const defaultDecodeOptions: DecodeOptions = {
  maxBytes: 1024 * 1024 * 1024,
  maxDurationSeconds: 3600,
  timeoutMs: 120_000,
  maxChannels: 64,
  maxDecodedBytes: 4 * 1024 * 1024 * 1024,
};

/** Lowest and highest sample rates (Hz) a header may declare before it counts as absurd. */
export const MIN_SAMPLE_RATE_HZ = 1000;
export const MAX_SAMPLE_RATE_HZ = 768_000;
