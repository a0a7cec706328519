import type { Transaction } from './model.js';

/**
 * The height a coinbase declares under BIP34: the first push of its scriptSig, `CScript() <<
 * height` (OP_0, OP_1..OP_16, or a minimal little-endian number of up to 5 bytes). Only
 * blocks of version 2 or more made that promise; older coinbases start with arbitrary bytes
 * (the genesis coinbase starts with a push of the bits), so they give null.
 * @see https://github.com/bitcoin/bips/blob/master/bip-0034.mediawiki
 */
export function bip34Height(blockVersion: number, coinbase: Transaction): number | null {
  if (blockVersion < 2 || !coinbase.isCoinbase) return null;
  const script = coinbase.inputs[0]?.scriptSig ?? '';
  const opcode = parseInt(script.slice(0, 2), 16);
  if (Number.isNaN(opcode)) return null;
  if (opcode === 0x00) return 0;
  if (opcode >= 0x51 && opcode <= 0x60) return opcode - 0x50;
  if (opcode < 1 || opcode > 5 || script.length < 2 + 2 * opcode) return null;
  let height = 0;
  for (let i = opcode - 1; i >= 0; i--) height = height * 256 + parseInt(script.slice(2 + 2 * i, 4 + 2 * i), 16);
  const top = parseInt(script.slice(2 * opcode, 2 * opcode + 2), 16);
  // A set sign bit would make the number negative; heights are not.
  if ((top & 0x80) !== 0) return null;
  return height;
}
