import { ChaintrailError } from './errors.js';

/** Raw transaction bytes that do not deserialize: truncated, trailing bytes or out-of-range fields. */
export class BadTransactionError extends ChaintrailError {
  readonly offset: number;
  constructor(detail: string, offset: number, context = 'transaction') {
    super(
      'CHAINTRAIL_BAD_TX',
      `Malformed ${context} at byte offset ${offset}: ${detail}. Check that the input is one complete raw transaction (hex from getrawtransaction or /tx/:txid/hex).`,
    );
    this.offset = offset;
  }
}

/** Raw block bytes that do not deserialize, or (when verified) whose merkle root or proof of work is wrong. */
export class BadBlockError extends ChaintrailError {
  readonly offset: number;
  constructor(detail: string, offset: number, context = 'block') {
    super(
      'CHAINTRAIL_BAD_BLOCK',
      `Malformed ${context} at byte offset ${offset}: ${detail}. Check the block file framing (magic, length, xor.dat obfuscation) or fetch the block again.`,
    );
    this.offset = offset;
  }
}
