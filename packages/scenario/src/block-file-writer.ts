import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes blocks as Bitcoin Core stores them in `<datadir>/blocks/`: `blk00000.dat`,
 * `blk00001.dat`, ..., each record the network magic, the block's length (4 bytes, little
 * endian) and the block, a new file once the next record would reach the size limit
 * (Core's `FindNextBlockPos` with `MAX_BLOCKFILE_SIZE`, 128 MiB).
 *
 * With a key, every byte is XORed with `key[filePosition % 8]` and the key is written to
 * `xor.dat`, as Bitcoin Core 28 does (`node/blockstorage.cpp` `InitBlocksdirXorKey`,
 * `AutoFile` with `util::Xor`). Without one, no `xor.dat` is written, like a node before 28.
 */
export const MAINNET_MAGIC = Uint8Array.of(0xf9, 0xbe, 0xb4, 0xd9);

export class BlockFileWriter {
  private fd: number | null = null;
  private fileIndex = -1;
  private position = 0;
  private bytesWritten = 0;

  constructor(
    private readonly dir: string,
    private readonly maxFileBytes: number,
    private readonly xorKey: Uint8Array | null,
  ) {
    mkdirSync(dir, { recursive: true });
    if (xorKey !== null) {
      if (xorKey.length !== 8) throw new RangeError(`A block file XOR key has 8 bytes, not ${xorKey.length}.`);
      writeFileSync(join(dir, 'xor.dat'), xorKey);
    }
  }

  /** Appends one block record, the block given as consecutive pieces. */
  write(parts: readonly Uint8Array[]): void {
    let size = 0;
    for (const part of parts) size += part.length;
    const recordSize = 8 + size;
    if (this.fd === null || this.position + recordSize >= this.maxFileBytes) this.nextFile();
    const head = new Uint8Array(8);
    head.set(MAINNET_MAGIC, 0);
    new DataView(head.buffer).setUint32(4, size, true);
    let at = this.position;
    for (const piece of [head, ...parts]) {
      this.writeAt(piece, at);
      at += piece.length;
    }
    this.position += recordSize;
    this.bytesWritten += recordSize;
  }

  private writeAt(piece: Uint8Array, position: number): void {
    const key = this.xorKey;
    let bytes = piece;
    if (key !== null) {
      bytes = new Uint8Array(piece.length);
      for (let i = 0; i < piece.length; i++) bytes[i] = (piece[i] as number) ^ (key[(position + i) & 7] as number);
    }
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd as number, bytes, done, bytes.length - done);
  }

  /** Number of blk*.dat files and total bytes written. */
  get stats(): { files: number; bytes: number } {
    return { files: this.fileIndex + 1, bytes: this.bytesWritten };
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private nextFile(): void {
    this.close();
    this.fileIndex++;
    this.fd = openSync(join(this.dir, `blk${String(this.fileIndex).padStart(5, '0')}.dat`), 'w');
    this.position = 0;
  }
}
