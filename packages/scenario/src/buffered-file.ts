import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * A file written in large synchronous chunks: the generator produces text faster than small
 * writes can take it, and synchronous writes keep its memory bounded without back-pressure.
 * Text is encoded into one reused buffer as it comes, so the strings die young and the
 * garbage collector never has to move them.
 */
export class BufferedFile {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;
  private open = true;

  constructor(
    readonly path: string,
    chunkBytes = 1 << 20,
  ) {
    this.fd = openSync(path, 'w');
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  write(text: string): void {
    // UTF-8 needs at most three bytes per UTF-16 unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush();
      if (text.length * 3 > this.buffer.length) {
        this.writeBytes(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  flush(): void {
    if (this.used === 0) return;
    this.writeBytes(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Appends the bytes of another file, unchanged. */
  copyFrom(path: string): void {
    this.flush();
    const source = openSync(path, 'r');
    try {
      for (let n = readSync(source, this.buffer); n > 0; n = readSync(source, this.buffer)) this.writeBytes(this.buffer.subarray(0, n));
    } finally {
      closeSync(source);
    }
  }

  close(): void {
    if (!this.open) return;
    this.flush();
    closeSync(this.fd);
    this.open = false;
  }

  private writeBytes(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }
}
