/** Script types stored as small integers: an output row is a few bytes instead of a word. */
import type { ScriptType } from '@chaintrail/core';

// Append only: the codes are on disk.
const scriptTypes: readonly ScriptType[] = [
  'p2pk',
  'p2pkh',
  'p2sh',
  'p2wpkh',
  'p2wsh',
  'p2tr',
  'witness_unknown',
  'multisig',
  'op_return',
  'nonstandard',
];
const codes = new Map(scriptTypes.map((type, code) => [type, code]));

export function scriptTypeCode(type: ScriptType): number {
  return codes.get(type) ?? codes.get('nonstandard')!;
}

export function scriptTypeOf(code: number): ScriptType {
  return scriptTypes[code] ?? 'nonstandard';
}
