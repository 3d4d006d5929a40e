import { AutoVoiceError } from '../../errors/index.js';
import type { DecodeBudget } from './decode-budget.js';

/**
 * Collects decoded blocks of planar audio from a streaming decoder, checking the time and
 * length budgets after every block so a long or endless stream stops at the limit instead of
 * growing without bound.
 */
export class PcmAccumulator {
  private readonly blocks: Float32Array[][] = [];
  private frames = 0;
  private channelCount = 0;
  private rate = 0;

  constructor(private readonly budget: DecodeBudget) {}

  /** Number of frames collected so far. */
  get length(): number {
    return this.frames;
  }

  /** Sample rate of the collected audio (0 before the first block). */
  get sampleRate(): number {
    return this.rate;
  }

  /** Adds one decoded block (copied, since decoders may reuse their buffers). */
  push(channelData: readonly Float32Array[], samplesDecoded: number, sampleRate: number): void {
    this.budget.checkTime();
    if (samplesDecoded <= 0 || channelData.length === 0) return;
    if (this.channelCount === 0) {
      this.budget.checkFormat(sampleRate, channelData.length);
      this.channelCount = channelData.length;
      this.rate = sampleRate;
    } else if (channelData.length !== this.channelCount || sampleRate !== this.rate) {
      throw new AutoVoiceError(
        'audio.unsupported_format',
        `The stream changes from ${this.channelCount} ch/${this.rate} Hz to ${channelData.length} ch/${sampleRate} Hz mid-file; chained streams with different formats are not supported.`,
      );
    }
    this.budget.checkLength(this.frames + samplesDecoded, this.rate, this.channelCount);
    this.blocks.push(channelData.map((c) => c.slice(0, samplesDecoded)));
    this.frames += samplesDecoded;
  }

  /** Concatenates the blocks into one Float32Array per channel. */
  finish(): Float32Array[] {
    const out = Array.from({ length: this.channelCount }, () => new Float32Array(this.frames));
    let offset = 0;
    for (const block of this.blocks) {
      block.forEach((samples, c) => (out[c] as Float32Array).set(samples, offset));
      offset += block[0]?.length ?? 0;
    }
    this.blocks.length = 0;
    return out;
  }
}
