/**
 * Reads a bundle, a folder or a zip, as a list of relative paths and their bytes. Nothing
 * in it is trusted: zip entry names that climb out of the bundle or are given twice, and
 * folder entries that are not regular files, are reported as problems rather than read.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { UnreadableBundleError } from '../evidence-errors.js';

export interface BundleReader {
  readonly path: string;
  readonly kind: 'folder' | 'zip';
  /** Every regular file, relative with forward slashes, sorted. */
  readonly files: readonly string[];
  /** Entries that could not be taken as files (links, duplicates), with why. */
  readonly problems: readonly { readonly path: string; readonly message: string }[];
  has(path: string): boolean;
  read(path: string): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openBundle(path: string): Promise<BundleReader> {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    throw new UnreadableBundleError(path, `it does not exist (${(error as { code?: string }).code ?? String(error)})`, { cause: error });
  }
  if (stat.isDirectory()) return openFolder(path);
  return openZip(path);
}

function openFolder(root: string): BundleReader {
  const files: string[] = [];
  const problems: { path: string; message: string }[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      const stat = lstatSync(full);
      if (stat.isDirectory()) walk(full, rel);
      else if (stat.isFile()) files.push(rel);
      else problems.push({ path: rel, message: 'not a regular file (a link or device); a bundle holds only files' });
    }
  };
  walk(root, '');
  files.sort();
  const set = new Set(files);
  return {
    path: root,
    kind: 'folder',
    files,
    problems,
    has: (p) => set.has(p),
    read: (p) => {
      if (!set.has(p)) return Promise.reject(new Error(`${p} is not in the bundle`));
      return Promise.resolve(readFileSync(join(root, ...p.split('/'))));
    },
    close: () => Promise.resolve(),
  };
}

function openZip(path: string): Promise<BundleReader> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (error, zip) => {
      if (error || !zip) {
        reject(new UnreadableBundleError(path, `it is not a folder and not a readable zip (${error?.message ?? 'no archive'})`, { cause: error }));
        return;
      }
      const entries = new Map<string, yauzl.Entry>();
      const problems: { path: string; message: string }[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        if (!name.endsWith('/')) {
          if (entries.has(name)) problems.push({ path: name, message: 'appears twice in the zip; which copy counts is ambiguous' });
          else entries.set(name, entry);
        }
        zip.readEntry();
      });
      zip.on('error', (e: Error) => reject(new UnreadableBundleError(path, e.message, { cause: e })));
      zip.on('end', () => {
        const files = [...entries.keys()].sort();
        resolve({
          path,
          kind: 'zip',
          files,
          problems,
          has: (p) => entries.has(p),
          read: (p) => readEntry(zip, entries.get(p), p),
          close: () => {
            zip.close();
            return Promise.resolve();
          },
        });
      });
      zip.readEntry();
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined, name: string): Promise<Buffer> {
  if (!entry) return Promise.reject(new Error(`${name} is not in the bundle`));
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) {
        reject(error ?? new Error(`cannot read ${name}`));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/**
 * The reader with what it reads kept in memory, so that the hash check's pass over every
 * file also serves the checks that parse them (a zip entry is then inflated once).
 */
export function rememberingReader(reader: BundleReader): BundleReader {
  const kept = new Map<string, Buffer>();
  return {
    ...reader,
    read: async (path) => {
      const known = kept.get(path);
      if (known) return known;
      const bytes = await reader.read(path);
      kept.set(path, bytes);
      return bytes;
    },
  };
}
