import { AutoVoiceError } from '../../errors/index.js';
import type { DecodeBudget } from './decode-budget.js';

/**
 * Collects decoded blocks of planar audio from a streaming decoder, checking the time and
 * length budgets after every block so a long or endless stream stops at the limit instead of
 * growing without bound.
 */
export class PcmAccumulator {
  /** Decoded blocks per channel (blocks[c][b]). */
  private blocks: Float32Array[][] = [];
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
      this.blocks = Array.from({ length: this.channelCount }, () => []);
    } else if (channelData.length !== this.channelCount || sampleRate !== this.rate) {
      throw new AutoVoiceError(
        'audio.unsupported_format',
        `The stream changes from ${this.channelCount} ch/${this.rate} Hz to ${channelData.length} ch/${sampleRate} Hz mid-file; chained streams with different formats are not supported.`,
      );
    }
    this.budget.checkLength(this.frames + samplesDecoded, this.rate, this.channelCount);
    channelData.forEach((c, i) => (this.blocks[i] as Float32Array[]).push(c.slice(0, samplesDecoded)));
    this.frames += samplesDecoded;
  }

  /**
   * Concatenates the blocks into one Float32Array per channel, releasing each channel's blocks
   * once copied so the peak is about 1.5x (stereo) of the result rather than 2x.
   */
  finish(): Float32Array[] {
    const out: Float32Array[] = [];
    for (let c = 0; c < this.channelCount; c++) {
      const samples = new Float32Array(this.frames);
      let offset = 0;
      for (const block of this.blocks[c] as Float32Array[]) {
        samples.set(block, offset);
        offset += block.length;
      }
      this.blocks[c] = [];
      out.push(samples);
    }
    return out;
  }
}
