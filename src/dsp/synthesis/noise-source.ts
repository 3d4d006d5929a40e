/**
 * Deterministic noise for the synthesiser: a seeded 32-bit generator (mulberry32) so that
 * batch and streaming synthesis of the same frames produce the same samples, and tests are
 * repeatable.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Re-seeds the generator. */
  reseed(seed: number): void {
    this.state = seed >>> 0;
  }

  /** Next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Next uniform number in [0, 1). */
  nextUniform(): number {
    return this.nextUint32() / 4294967296;
  }
}

/** Seed for frame `frameIndex` of a synthesis run seeded with `seed` (hash, so frames decorrelate). */
export function frameSeed(seed: number, frameIndex: number): number {
  let h = (seed ^ Math.imul(frameIndex + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
