import { ByteCursor } from './byte-cursor.js';
import type { Hasher } from './hash.js';
import type { HexEncoder } from './hex.js';
import type { OutPoint, ScriptType, TxInput, TxOutput } from './model.js';
import type { NetworkParams } from './networks.js';
import { scriptAddressFor } from './script.js';

/**
 * Inputs and outputs as the parser returns them: the fields that cost little are read
 * eagerly, and the hex of scripts and witness items and the output address are made on
 * first access and kept. Encoding every script as hex and every address (two SHA-256
 * compressions for a Base58Check one) was most of a full parse, while most readers need
 * only a few of them (txids, values, prevouts).
 *
 * What changes for a reader: the lazy fields are getters on the prototype, so `{ ...output }`
 * and `Object.keys` do not see them (spell the fields out instead); `JSON.stringify` does,
 * through `toJSON`, and writes the same JSON as before. Test equality (`toEqual`) compares
 * own fields only, so compare `toJSON()` results or the fields themselves. And a kept input
 * or output keeps the bytes it was parsed from alive: the parser's copy of its block (or of
 * its transaction, from `parseTransaction`), plus its transaction's hex once a hex field
 * was read. Copy the fields out to keep a few outputs of many blocks.
 */

const EMPTY_WITNESS: readonly string[] = Object.freeze([]);
const inspect = Symbol.for('nodejs.util.inspect.custom');

/**
 * The bytes of one parsed transaction, shared by its inputs and outputs. The hex of the
 * whole transaction is made once, on the first hex field read, and every script and witness
 * item is a substring of it: V8 keeps those as slices of one string instead of many small
 * ones. The bytes must not change afterwards; the parser hands it a copy it owns.
 */
export class TxBytes {
  #hex: string | undefined;
  constructor(
    readonly bytes: Uint8Array,
    readonly start: number,
    readonly end: number,
    readonly params: NetworkParams,
    readonly hasher: Hasher,
    private readonly encodeHex: HexEncoder,
  ) {}

  /** Hex of `bytes[from, to)`, a range inside the transaction. */
  hex(from: number, to: number): string {
    this.#hex ??= this.encodeHex(this.bytes, this.start, this.end);
    return this.#hex.substring(2 * (from - this.start), 2 * (to - this.start));
  }
}

export class ParsedOutput implements TxOutput {
  readonly value: number;
  readonly scriptType: ScriptType;
  readonly #tx: TxBytes;
  readonly #at: number;
  readonly #end: number;
  #scriptPubKey: string | undefined;
  #address: string | null | undefined;

  constructor(tx: TxBytes, value: number, scriptType: ScriptType, at: number, end: number) {
    this.value = value;
    this.scriptType = scriptType;
    this.#tx = tx;
    this.#at = at;
    this.#end = end;
  }

  get scriptPubKey(): string {
    return (this.#scriptPubKey ??= this.#tx.hex(this.#at, this.#end));
  }

  get address(): string | null {
    if (this.#address === undefined) {
      const tx = this.#tx;
      this.#address = scriptAddressFor(this.scriptType, tx.bytes, this.#at, this.#end, tx.params, tx.hasher);
    }
    return this.#address;
  }

  /** A plain object with every field, in the order of {@link TxOutput}. */
  toJSON(): TxOutput {
    return { value: this.value, scriptPubKey: this.scriptPubKey, scriptType: this.scriptType, address: this.address };
  }

  [inspect](): TxOutput {
    return this.toJSON();
  }
}

export class ParsedInput implements TxInput {
  readonly prevout: OutPoint;
  readonly sequence: number;
  readonly #tx: TxBytes;
  readonly #scriptAt: number;
  readonly #scriptEnd: number;
  /** Offset of the input's witness item count; -1 when the transaction has no witnesses. */
  #witnessAt = -1;
  #scriptSig: string | undefined;
  #witness: readonly string[] | undefined;

  constructor(tx: TxBytes, prevout: OutPoint, scriptAt: number, scriptEnd: number, sequence: number) {
    this.prevout = prevout;
    this.sequence = sequence;
    this.#tx = tx;
    this.#scriptAt = scriptAt;
    this.#scriptEnd = scriptEnd;
  }

  /** @internal Called by the parser when it walks the witnesses, which follow all the outputs. */
  setWitnessAt(at: number): void {
    this.#witnessAt = at;
  }

  get scriptSig(): string {
    return (this.#scriptSig ??= this.#tx.hex(this.#scriptAt, this.#scriptEnd));
  }

  get witness(): readonly string[] {
    return (this.#witness ??= this.#readWitness());
  }

  #readWitness(): readonly string[] {
    if (this.#witnessAt < 0) return EMPTY_WITNESS;
    const tx = this.#tx;
    // The parser has already bounds-checked these bytes; a cursor keeps the reading in one place.
    const c = new ByteCursor(tx.bytes, this.#witnessAt, false);
    const items = c.compactSize('witness item count');
    if (items === 0) return EMPTY_WITNESS;
    const stack = new Array<string>(items);
    for (let k = 0; k < items; k++) {
      const len = c.compactSize('witness item length');
      stack[k] = tx.hex(c.pos, c.pos + len);
      c.pos += len;
    }
    return stack;
  }

  /** A plain object with every field, in the order of {@link TxInput}. */
  toJSON(): TxInput {
    return { prevout: this.prevout, scriptSig: this.scriptSig, witness: this.witness, sequence: this.sequence };
  }

  [inspect](): TxInput {
    return this.toJSON();
  }
}
