/** The integer a txid is indexed by in SQLite (see schema.ts): its first 48 bits, big-endian. */
export function txKey(txid: string): number {
  return parseInt(txid.slice(0, 12), 16);
}

/** Shift between a tx id and its outputs'/inputs' ids (see schema.ts). */
export const ioShift = 20;
export const ioSpan = 2 ** ioShift;
export const ioMask = ioSpan - 1;
