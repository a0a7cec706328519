import { BadBlockError, BadTransactionError } from './parse-errors.js';

/**
 * A read position in a byte array with Bitcoin's little-endian and CompactSize readers.
 * Every read checks bounds, and a failure names the absolute byte offset and what was being
 * read, as a {@link BadTransactionError} or (inside a block) a {@link BadBlockError}.
 */
export class ByteCursor {
  pos: number;
  /** What is being read, for messages: "transaction", "transaction 12 of the block". */
  context = 'transaction';
  constructor(
    readonly bytes: Uint8Array,
    pos: number,
    private readonly inBlock: boolean,
  ) {
    this.pos = pos;
  }

  fail(detail: string, at: number = this.pos): never {
    throw this.inBlock ? new BadBlockError(detail, at, this.context) : new BadTransactionError(detail, at, this.context);
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) {
      this.fail(`truncated ${what}: needs ${n} bytes, ${this.bytes.length - this.pos} left`);
    }
  }

  u32(what: string): number {
    this.need(4, what);
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 4;
    return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24)) >>> 0;
  }

  i32(what: string): number {
    return this.u32(what) | 0;
  }

  /**
   * Bitcoin's CompactSize. Non-canonical encodings are rejected as Bitcoin Core's
   * `ReadCompactSize` does, so every accepted byte string has exactly one decoding.
   */
  compactSize(what: string): number {
    this.need(1, what);
    const b = this.bytes;
    const first = b[this.pos] as number;
    if (first < 0xfd) {
      this.pos++;
      return first;
    }
    const at = this.pos;
    this.pos++;
    let value: number;
    if (first === 0xfd) {
      this.need(2, what);
      value = (b[this.pos] as number) | ((b[this.pos + 1] as number) << 8);
      this.pos += 2;
      if (value < 0xfd) this.fail(`non-canonical CompactSize for ${what}`, at);
    } else if (first === 0xfe) {
      value = this.u32(what);
      if (value <= 0xffff) this.fail(`non-canonical CompactSize for ${what}`, at);
    } else {
      const lo = this.u32(what);
      const hi = this.u32(what);
      if (hi === 0) this.fail(`non-canonical CompactSize for ${what}`, at);
      value = hi * 0x100000000 + lo;
    }
    // No count or length in a block can exceed the bytes that remain.
    if (value > this.bytes.length - this.pos) this.fail(`${what} ${value} exceeds the ${this.bytes.length - this.pos} bytes left`, at);
    return value;
  }
}
