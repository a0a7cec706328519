import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { SeedRejected } from './seed-list.js';

/**
 * The rejects file of a seed import: CSV with the line number, the reason, what is wrong
 * and the offending text, one row per rejected line, so an investigator can show exactly
 * which lines of the seized list were not used and why.
 */
export class RejectsFile {
  readonly path: string;
  readonly #out: WriteStream;
  #rows = 0;

  private constructor(path: string, out: WriteStream) {
    this.path = path;
    this.#out = out;
  }

  static async create(path: string): Promise<RejectsFile> {
    mkdirSync(dirname(path), { recursive: true });
    const out = createWriteStream(path, { encoding: 'utf8' });
    await once(out, 'open');
    const file = new RejectsFile(path, out);
    await file.#write('line,reason,detail,input\n');
    return file;
  }

  get rows(): number {
    return this.#rows;
  }

  async add(reject: SeedRejected): Promise<void> {
    this.#rows++;
    await this.#write(`${reject.line},${reject.reason},${csvCell(reject.detail)},${csvCell(reject.input)}\n`);
  }

  async close(): Promise<void> {
    if (this.#out.closed) return;
    this.#out.end();
    await once(this.#out, 'close');
  }

  async #write(text: string): Promise<void> {
    if (!this.#out.write(text)) await once(this.#out, 'drain');
  }
}

/** RFC 4180 quoting, plus a leading quote mark for cells a spreadsheet would run as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
