import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * An on-disk store of answers, addressed by what the answer proves: a transaction by its
 * txid, a header by its block hash, anything else by the SHA-256 of the question (the
 * route). Only answers that passed their checks are written, and readers check them again
 * on the way out, so a damaged or edited cache file is refetched, never believed.
 *
 * Layout: `<dir>/v1/<kind>/<first two hex digits>/<key>`, one file per answer, written to a
 * temporary name and renamed, so a crash never leaves half an answer under a real name and
 * two processes sharing the directory at worst write the same bytes twice.
 */
export class DiskCache {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async read(kind: string, key: string): Promise<string | null> {
    try {
      return await readFile(this.#path(kind, key), 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(kind: string, key: string, value: string): Promise<void> {
    const path = this.#path(kind, key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, value, 'utf8');
    await rename(temporary, path);
  }

  async remove(kind: string, key: string): Promise<void> {
    await rm(this.#path(kind, key), { force: true });
  }

  #path(kind: string, key: string): string {
    if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new RangeError(`Cache kind "${kind}" must be lower-case letters, digits and dashes.`);
    if (!/^[0-9a-f]{64}$/.test(key)) throw new RangeError(`Cache key "${key}" must be 64 lower-case hex digits (a txid, block hash or routeKey()).`);
    return join(this.dir, 'v1', kind, key.slice(0, 2), key);
  }
}

/** The key of an answer addressed by its question: SHA-256 of the route text. */
export function routeKey(route: string): string {
  return createHash('sha256').update(route, 'utf8').digest('hex');
}
