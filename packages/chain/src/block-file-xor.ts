import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Bitcoin Core 28+ obfuscates `blk*.dat` and `rev*.dat` with the 8-byte key in
 * `<blocksdir>/xor.dat`: byte i of a file is stored XORed with key[i mod 8], the position
 * counted from the start of the file (`node/blockstorage.cpp` `InitBlocksdirXorKey`,
 * `util::Xor` in `AutoFile`). An all-zero key, or no `xor.dat`, means no obfuscation.
 */
export function readXorKey(blocksDir: string): Uint8Array | null {
  const path = join(blocksDir, 'xor.dat');
  if (!existsSync(path)) return null;
  const key = readFileSync(path);
  if (key.length !== 8) throw new RangeError(`${path} holds ${key.length} bytes; Bitcoin Core writes an 8-byte key there.`);
  return key.every((b) => b === 0) ? null : new Uint8Array(key);
}

/** Undoes (or applies) the obfuscation of `bytes`, read from `filePosition` of the file, in place. */
export function xorAt(bytes: Uint8Array, key: Uint8Array, filePosition: number): void {
  for (let i = 0; i < bytes.length; i++) bytes[i] = (bytes[i] as number) ^ (key[(filePosition + i) % 8] as number);
}
