import { AutoVoiceError } from '../../errors/index.js';
import { MAX_SAMPLE_RATE_HZ, MIN_SAMPLE_RATE_HZ, type DecodeOptions } from '../audio-info.js';

/**
 * The time and memory budget of one decode. Decoders call `checkDeclared` as soon as a header
 * tells them the stream's shape (before allocating sample buffers) and `checkTime` between
 * chunks of work, so a huge or hostile input fails fast instead of exhausting the machine.
 */
export class DecodeBudget {
  private readonly startedMs = performance.now();

  constructor(readonly options: DecodeOptions) {}

  /** Throws audio.decode_timeout when the decode has run past its time budget. */
  checkTime(): void {
    const elapsedMs = performance.now() - this.startedMs;
    if (elapsedMs > this.options.timeoutMs) {
      throw new AutoVoiceError(
        'audio.decode_timeout',
        `Decoding took longer than the ${this.options.timeoutMs} ms budget; raise timeoutMs or pass a shorter file.`,
        { timeoutMs: this.options.timeoutMs, elapsedMs: Math.round(elapsedMs) },
      );
    }
  }

  /** Validates header values that decide the shape of the stream (audio.invalid_header). */
  checkFormat(sampleRate: number, channels: number): void {
    if (!Number.isFinite(sampleRate) || sampleRate < MIN_SAMPLE_RATE_HZ || sampleRate > MAX_SAMPLE_RATE_HZ) {
      throw new AutoVoiceError(
        'audio.invalid_header',
        `The header declares a sample rate of ${sampleRate} Hz; AutoVoice reads ${MIN_SAMPLE_RATE_HZ}-${MAX_SAMPLE_RATE_HZ} Hz.`,
        { sampleRate },
      );
    }
    if (!Number.isInteger(channels) || channels < 1) {
      throw new AutoVoiceError('audio.invalid_header', `The header declares ${channels} channels; at least 1 is needed.`, {
        channels,
      });
    }
    if (channels > this.options.maxChannels) {
      throw new AutoVoiceError(
        'audio.invalid_header',
        `The header declares ${channels} channels; at most ${this.options.maxChannels} are accepted (maxChannels).`,
        { channels, maxChannels: this.options.maxChannels },
      );
    }
  }

  /** Checks a duration a container declares (before decoding) against the duration budget. */
  checkDeclaredSeconds(durationSeconds: number): void {
    if (durationSeconds > this.options.maxDurationSeconds) {
      throw new AutoVoiceError(
        'audio.too_long',
        `The file declares ${durationSeconds.toFixed(1)} s of audio; the limit is ${this.options.maxDurationSeconds} s. Trim it or raise maxDurationSeconds.`,
        { durationSeconds, maxDurationSeconds: this.options.maxDurationSeconds },
      );
    }
  }

  /** Checks a (declared or decoded) length against the duration and memory budgets. */
  checkLength(frames: number, sampleRate: number, channels: number): void {
    const durationSeconds = frames / sampleRate;
    if (durationSeconds > this.options.maxDurationSeconds) {
      throw new AutoVoiceError(
        'audio.too_long',
        `The audio lasts ${durationSeconds.toFixed(1)} s; the limit is ${this.options.maxDurationSeconds} s. Trim it or raise maxDurationSeconds.`,
        { durationSeconds, maxDurationSeconds: this.options.maxDurationSeconds },
      );
    }
    const decodedBytes = frames * channels * 4;
    if (decodedBytes > this.options.maxDecodedBytes) {
      throw new AutoVoiceError(
        'audio.too_large',
        `Decoding would need ${decodedBytes} bytes of samples; the limit is ${this.options.maxDecodedBytes} (maxDecodedBytes).`,
        { decodedBytes, maxDecodedBytes: this.options.maxDecodedBytes },
      );
    }
  }
}
