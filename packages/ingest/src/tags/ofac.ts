import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { toError, type Network, type Tag } from '@chaintrail/core';
import { tagAddress } from './tag-address.js';
import { TagFileError, tagProblem, type TagChunk, type TagProblem } from './tag-problems.js';

/**
 * The US Treasury's SDN list of sanctioned Bitcoin addresses, as 0xB10C's
 * ofac-sanctioned-digital-currency-addresses publishes it: one address a line (`.txt`) or
 * a JSON array (`.json`). Every address becomes a tag of category `sanction` with
 * confidence `authority_data` (GraphSense: "public authorities (e.g. OFAC)"). Entries that
 * are not Bitcoin addresses (the list's XBT section holds one in Tron format) are
 * reported with their line and skipped.
 */
export interface OfacOptions {
  readonly network?: Network;
  /** Default `ofac:<file name>`: the file name carries the list's date. */
  readonly source?: string;
  readonly label?: string;
}

export const OFAC_LABEL = 'OFAC SDN list';

/** The entries of the file with their lines. */
async function entries(path: string): Promise<Array<{ value: unknown; line: number }>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TagFileError(path, 0, `cannot read the file: ${toError(error).message}`, { cause: error });
  }
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trimStart().startsWith('[')) {
    return body
      .split('\n')
      .map((line, i) => ({ value: line.trim(), line: i + 1 }))
      .filter((e) => e.value !== '' && !e.value.startsWith('#'));
  }
  const counter = new LineCounter();
  const doc = parseDocument(body, { lineCounter: counter });
  const error = doc.errors[0];
  if (error !== undefined) throw new TagFileError(path, error.linePos?.[0].line ?? 1, `not a valid JSON array: ${error.message.split('\n')[0]}`);
  if (!isSeq(doc.contents)) throw new TagFileError(path, 1, 'expected a JSON array of addresses.');
  return doc.contents.items.map((node) => ({
    value: isScalar(node) ? node.value : null,
    line: isScalar(node) && node.range ? counter.linePos(node.range[0]).line : 1,
  }));
}

/** Reads an OFAC address list (`.txt` one a line, or a JSON array). Throws {@link TagFileError} when unreadable. */
export async function readOfacList(path: string, options: OfacOptions = {}): Promise<TagChunk & { tags: Tag[]; problems: TagProblem[] }> {
  const network = options.network ?? 'mainnet';
  const source = options.source ?? `ofac:${basename(path)}`;
  const tags: Tag[] = [];
  const problems: TagProblem[] = [];
  for (const { value, line } of await entries(path)) {
    if (typeof value !== 'string') {
      problems.push(tagProblem('error', 'CHAINTRAIL_TAG_BAD_FIELD', path, line, 'an entry of the list is not an address string.'));
      continue;
    }
    const address = tagAddress(value, network, path, line);
    if ('problem' in address) {
      problems.push(address.problem);
      continue;
    }
    tags.push({ address: address.address, label: options.label ?? OFAC_LABEL, category: 'sanction', source, confidence: 'authority_data', url: null, origin: { file: path, line } });
  }
  return { tags, problems, otherChains: 0 };
}
