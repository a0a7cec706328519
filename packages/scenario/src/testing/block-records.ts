import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAINNET_MAGIC } from '../block-file-writer.js';

/**
 * The raw blocks of a generated `blocks/` folder, in file order: the blk*.dat files
 * de-obfuscated with xor.dat when present, split at each magic + length record. For the
 * scenario's own tests; the chain package holds the real block-file source.
 */
export function* readBlockRecords(blocksDir: string): Generator<Uint8Array> {
  const names = readdirSync(blocksDir).filter((n) => /^blk\d{5}\.dat$/.test(n)).sort();
  let key: Uint8Array | null = null;
  try {
    key = readFileSync(join(blocksDir, 'xor.dat'));
  } catch {
    key = null;
  }
  for (const name of names) {
    const bytes = readFileSync(join(blocksDir, name));
    if (key !== null) for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] as number) ^ (key[i % key.length] as number);
    let at = 0;
    while (at + 8 <= bytes.length) {
      for (let m = 0; m < 4; m++) {
        if (bytes[at + m] !== MAINNET_MAGIC[m]) throw new Error(`${name}: no block magic at offset ${at}`);
      }
      const length = bytes.readUInt32LE(at + 4);
      yield bytes.subarray(at + 8, at + 8 + length);
      at += 8 + length;
    }
  }
}
