import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SUMS_FILE } from './bundle-layout.js';
import { formatSums } from './sha256sums.js';

/**
 * A bundle being written into a folder: every file goes to disk as it is produced (memory
 * stays bounded by the largest file, not the bundle) and its SHA-256 is kept for
 * SHA256SUMS, which `finish()` writes last.
 */
export class BundleDirectory {
  readonly root: string;
  readonly #sums = new Map<string, string>();

  constructor(root: string) {
    this.root = root;
    mkdirSync(root, { recursive: true });
  }

  /** Writes `path` (forward slashes, relative to the bundle) and records its hash. */
  write(path: string, content: string | Uint8Array): void {
    if (this.#sums.has(path)) throw new Error(`bundle file ${path} written twice`);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const target = join(this.root, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    this.#sums.set(path, createHash('sha256').update(bytes).digest('hex'));
  }

  has(path: string): boolean {
    return this.#sums.has(path);
  }

  /** Every file written so far, sorted. */
  paths(): string[] {
    return [...this.#sums.keys()].sort();
  }

  /** Writes SHA256SUMS over every file; returns its own hash (the bundle's fingerprint). */
  finish(): string {
    const text = formatSums(this.#sums);
    writeFileSync(join(this.root, SUMS_FILE), text);
    return createHash('sha256').update(text).digest('hex');
  }
}
