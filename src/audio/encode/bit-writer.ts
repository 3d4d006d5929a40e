/** MSB-first bit writer over a growable byte buffer (for the FLAC encoder). */
export class BitWriter {
  private buffer: Uint8Array;
  private bytePos = 0;
  private acc = 0; // pending bits, right-aligned
  private accBits = 0;

  constructor(initialBytes = 1 << 16) {
    this.buffer = new Uint8Array(initialBytes);
  }

  /** Bytes completed so far (the position of the next whole byte). */
  get byteLength(): number {
    return this.bytePos;
  }

  private ensure(extra: number): void {
    if (this.bytePos + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.bytePos + extra));
    grown.set(this.buffer.subarray(0, this.bytePos));
    this.buffer = grown;
  }

  /** Writes the low `bits` bits of the non-negative integer `value` (bits <= 53). */
  write(value: number, bits: number): void {
    while (bits > 16) {
      bits -= 16;
      this.write16(Math.floor(value / 2 ** bits) & 0xffff, 16);
    }
    if (bits > 0) this.write16(value & ((1 << bits) - 1), bits);
  }

  private write16(value: number, bits: number): void {
    this.acc = (this.acc << bits) | value;
    this.accBits += bits;
    if (this.accBits >= 8) {
      this.ensure(4);
      while (this.accBits >= 8) {
        this.accBits -= 8;
        this.buffer[this.bytePos++] = (this.acc >>> this.accBits) & 0xff;
      }
      this.acc &= (1 << this.accBits) - 1;
    }
  }

  /** Writes `value` as a two's-complement number of `bits` bits. */
  writeSigned(value: number, bits: number): void {
    this.write(value < 0 ? value + 2 ** bits : value, bits);
  }

  /** Writes `count` zero bits followed by a one (unary code). */
  writeUnary(count: number): void {
    while (count >= 16) {
      this.write16(0, 16);
      count -= 16;
    }
    this.write16(1, count + 1);
  }

  /** Pads with zero bits to the next byte boundary. */
  alignToByte(): void {
    if (this.accBits > 0) this.write16(0, 8 - this.accBits);
  }

  /** The completed bytes from `start` (call alignToByte first). */
  bytes(start = 0): Uint8Array {
    return this.buffer.subarray(start, this.bytePos);
  }
}
