/**
 * The bundle folder as a zip whose bytes depend only on the files: entries in a fixed
 * order, every timestamp the same (1980-01-01 00:00, the DOS epoch, with no extended UTC
 * field, which would vary with the time zone), every mode 0644, deflate at level 1 (a bundle is thousands of small
 * files; higher levels cost far more time than the few per cent of size they save).
 * The same case exported twice gives the same zip.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZipFile } from 'yazl';

// Built from local fields so that its DOS encoding (which yazl takes from local time) is the same in every zone.
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

/** Writes `paths` (relative, forward slashes, in the order given) of folder `root` into the zip at `target`. */
export async function writeDeterministicZip(root: string, paths: readonly string[], target: string): Promise<void> {
  const zip = new ZipFile();
  const done = new Promise<void>((resolve, reject) => {
    const out = createWriteStream(target);
    out.on('error', reject);
    out.on('close', resolve);
    zip.outputStream.on('error', reject).pipe(out);
  });
  // Buffers rather than files: yazl then deflates them on the thread pool while reading goes on,
  // and knows each entry's size and CRC up front. Memory holds the compressed bundle, a few
  // tens of megabytes for a case of 10,000 transactions.
  for (const path of paths) {
    zip.addBuffer(readFileSync(join(root, ...path.split('/'))), path, { mtime: FIXED_TIME, mode: 0o100644, compress: true, compressionLevel: 1, forceDosTimestamp: true });
  }
  zip.end();
  await done;
}
