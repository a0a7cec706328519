/**
 * A tag file sent as a request body, imported with the same parsers as `chaintrail tags
 * import` (packages/ingest): written to a private temporary folder under the name the
 * client gave, so tags record the same source (`tagpack:<name>`, `ofac:<name>`, ...) as
 * a CLI import of that file and a re-import updates them instead of adding copies.
 * Problems name the file and line as the client knows them, never the temporary path.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTags, relabelEntitiesOf, TagFileError, type TagFileKind, type TagImportSummary } from '@chaintrail/ingest';
import type { GraphStore } from '@chaintrail/store';
import { BadRequestError } from '../errors.js';

export interface UploadedTagFile {
  readonly text: string;
  /** The file's name as the client knows it: `[A-Za-z0-9._-]`, checked by the route. */
  readonly name: string;
  readonly kind: TagFileKind;
}

export interface UploadedTagImport extends Omit<TagImportSummary, 'problems'> {
  readonly problems: { readonly severity: 'error' | 'warning'; readonly code: string; readonly line: number; readonly message: string }[];
  readonly entitiesLabelled: number;
}

export async function importUploadedTags(store: GraphStore, upload: UploadedTagFile): Promise<UploadedTagImport> {
  const dir = await mkdtemp(join(tmpdir(), 'chaintrail-tag-upload-'));
  const path = join(dir, upload.name);
  const local = (text: string): string => text.split(`${dir}/`).join('');
  try {
    await writeFile(path, upload.text, { mode: 0o600 });
    const tagged = new Set<string>();
    let summary: TagImportSummary;
    try {
      summary = await importTags({ store, path, kind: upload.kind, onTagged: (addresses) => addresses.forEach((a) => tagged.add(a)) });
    } catch (error) {
      if (error instanceof TagFileError) throw new BadRequestError('body', local(error.message).replace(/\.$/, ''));
      throw error;
    }
    const entitiesLabelled = tagged.size > 0 && (await store.stats()).entities > 0 ? await relabelEntitiesOf(store, [...tagged]) : 0;
    return {
      ...summary,
      file: upload.name,
      problems: summary.problems.map((problem) => ({ severity: problem.severity, code: problem.code, line: problem.line, message: local(problem.message) })),
      entitiesLabelled,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
