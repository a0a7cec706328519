import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import { isTagConfidence, toError, type Network, type Tag } from '@chaintrail/core';
import { readSimpleItem } from './simple-yaml.js';
import { tagAddress } from './tag-address.js';
import { TagFileError, tagProblem, type TagChunk, type TagProblem } from './tag-problems.js';

/**
 * GraphSense TagPacks (METHODS.md, "Tags"; graphsense-tagpack-tool `tagpack_schema.yaml`):
 * a YAML header (`title`, `creator` required; `description`, `owner`, `is_public`) whose
 * tag fields apply to every tag lacking them, and a `tags` list. Every tag needs `label`,
 * `source` and `currency` (or `network`), after inheritance; tags of other chains are
 * skipped and counted. Confidence must come from GraphSense's vocabulary; a tag without one
 * is kept with confidence null and a warning (53 real tags of the public packs have none,
 * and tagpack-tool's schema makes it optional).
 *
 * Packs are streamed: the header is read first (it may sit on either side of `tags`), then
 * the tags in batches, so a pack of any size takes bounded memory.
 */
export interface TagPackOptions {
  /** Network the addresses must be valid on; default mainnet. */
  readonly network?: Network;
  /** The `source` every tag records; default `tagpack:<file name>`. */
  readonly source?: string;
  /** Tags per yielded chunk; default 5,000. */
  readonly batchSize?: number;
}

const HEADER_ONLY = new Set(['title', 'creator', 'description', 'owner', 'is_public', 'tags']);
const TAG_FIELDS = new Set([
  'label', 'source', 'currency', 'network', 'confidence', 'context', 'is_cluster_definer', 'lastmod', 'category', 'abuse', 'address', 'tx_hash', 'actor', 'concepts', 'tag_type',
]);
const TEXT_FIELDS = ['label', 'source', 'category', 'abuse', 'actor', 'context', 'lastmod', 'confidence'] as const;
const REQUIRED_TEXT_FIELDS = ['label', 'source'] as const;
const TOP_LEVEL_KEY = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(.*)$/;

/** A mapping read from the pack with the line of each key. */
interface Located {
  readonly values: Record<string, unknown>;
  readonly lines: Record<string, number>;
  readonly line: number;
}

/** The header, as far as the tags need it. */
interface Header extends Located {
  readonly hasTags: boolean;
}

function locatedMap(map: YAMLMap, counter: LineCounter, offset: number): Located {
  const values: Record<string, unknown> = {};
  const lines: Record<string, number> = {};
  for (const pair of map.items) {
    const key = (pair.key as YamlNode | null)?.toJSON?.() as unknown;
    if (typeof key !== 'string') continue;
    values[key] = (pair.value as YamlNode | null)?.toJSON?.() ?? null;
    const range = (pair.key as YamlNode).range;
    lines[key] = (range ? counter.linePos(range[0]).line : 1) + offset;
  }
  const start = map.range ? counter.linePos(map.range[0]).line : 1;
  return { values, lines, line: start + offset };
}

function firstYamlError(doc: Document, counter: LineCounter, offset: number): { line: number; message: string } | null {
  const error = doc.errors[0];
  if (error === undefined) return null;
  const line = (error.linePos?.[0].line ?? counter.linePos(error.pos[0]).line) + offset;
  return { line, message: error.message.split('\n')[0]! };
}

function text(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}

/** Turns one tag mapping, with the header's fields inherited, into a tag or the problems that reject it. */
class TagBuilder {
  private readonly unknownReported = new Set<string>();
  /** The header's fields as text, converted once rather than for every tag that inherits them. */
  private readonly headerText = new Map<string, string | null | undefined>();
  constructor(
    private readonly file: string,
    private readonly header: Header,
    private readonly source: string,
    private readonly network: Network,
  ) {}

  private value(item: Located, key: string): unknown {
    return Object.hasOwn(item.values, key) ? item.values[key] : this.header.values[key];
  }

  private text(item: Located, key: string): string | null | undefined {
    if (Object.hasOwn(item.values, key)) return text(item.values[key]);
    if (!this.headerText.has(key)) this.headerText.set(key, text(this.header.values[key]));
    return this.headerText.get(key);
  }

  private lineOf(item: Located, key: string): number {
    return item.lines[key] ?? this.header.lines[key] ?? item.line;
  }

  build(item: Located, problems: TagProblem[]): Tag | 'other-chain' | null {
    const file = this.file;
    for (const key in item.values) {
      if (!TAG_FIELDS.has(key) && !this.unknownReported.has(key)) {
        this.unknownReported.add(key);
        problems.push(tagProblem('warning', 'CHAINTRAIL_TAG_UNKNOWN_FIELD', file, item.lines[key] ?? item.line, `unknown tag field "${key}" is ignored (first use in this file). TagPack tag fields are ${[...TAG_FIELDS].join(', ')}.`));
      }
    }
    const network = this.value(item, 'network');
    const chain = this.text(item, network === undefined || network === null ? 'currency' : 'network');
    if (chain === null || chain === undefined) {
      problems.push(tagProblem('error', 'CHAINTRAIL_TAG_MISSING_FIELD', file, item.line, 'the tag has no `currency` (nor `network`), in the tag or the header. Add `currency: BTC`.'));
      return null;
    }
    if (chain.toUpperCase() !== 'BTC') return 'other-chain';
    const rawAddress = this.value(item, 'address');
    if (rawAddress === undefined || rawAddress === null) {
      const txTag = Boolean(this.value(item, 'tx_hash'));
      const detail = txTag ? 'a transaction tag (`tx_hash`) is skipped: chaintrail attributes addresses.' : 'the tag has no `address`. Give each tag an address.';
      problems.push(tagProblem(txTag ? 'warning' : 'error', txTag ? 'CHAINTRAIL_TAG_TX_TAG' : 'CHAINTRAIL_TAG_MISSING_FIELD', file, item.line, detail));
      return null;
    }
    const fields: Record<(typeof TEXT_FIELDS)[number], string | null> = { label: null, source: null, category: null, abuse: null, actor: null, context: null, lastmod: null, confidence: null };
    for (const key of TEXT_FIELDS) {
      const value = this.text(item, key);
      if (value === undefined) {
        problems.push(tagProblem('error', 'CHAINTRAIL_TAG_BAD_FIELD', file, this.lineOf(item, key), `\`${key}\` must be a single value, not a list or mapping.`));
        return null;
      }
      fields[key] = value;
    }
    for (const key of REQUIRED_TEXT_FIELDS) {
      if (fields[key] === null) {
        problems.push(tagProblem('error', 'CHAINTRAIL_TAG_MISSING_FIELD', file, item.line, `the tag has no \`${key}\`, in the tag or the header. Every tag needs one.`));
        return null;
      }
    }
    const confidence = fields.confidence;
    if (confidence === null) {
      problems.push(tagProblem('warning', 'CHAINTRAIL_TAG_NO_CONFIDENCE', file, item.line, 'the tag gives no `confidence`; it is kept with confidence unknown.'));
    } else if (!isTagConfidence(confidence)) {
      problems.push(tagProblem('error', 'CHAINTRAIL_TAG_BAD_CONFIDENCE', file, this.lineOf(item, 'confidence'), `confidence "${confidence}" is not in GraphSense's vocabulary (ownership, authority_data, service_data, forensic, web_crawl, ...).`));
      return null;
    }
    const definer = this.value(item, 'is_cluster_definer');
    if (definer !== undefined && definer !== null && typeof definer !== 'boolean') {
      problems.push(tagProblem('error', 'CHAINTRAIL_TAG_BAD_FIELD', file, this.lineOf(item, 'is_cluster_definer'), '`is_cluster_definer` must be true or false.'));
      return null;
    }
    const concepts = this.value(item, 'concepts');
    if (concepts !== undefined && concepts !== null && !(Array.isArray(concepts) && concepts.every((c) => typeof c === 'string'))) {
      problems.push(tagProblem('error', 'CHAINTRAIL_TAG_BAD_FIELD', file, this.lineOf(item, 'concepts'), '`concepts` must be a list of concept names.'));
      return null;
    }
    const address = tagAddress(rawAddress, this.network, file, this.lineOf(item, 'address'));
    if ('problem' in address) {
      problems.push(address.problem);
      return null;
    }
    const tag: { -readonly [K in keyof Tag]: Tag[K] } = {
      address: address.address,
      label: fields.label!,
      category: fields.category,
      source: this.source,
      confidence,
      url: fields.source,
      lastmod: fields.lastmod,
      abuse: fields.abuse,
      actor: fields.actor,
      context: fields.context,
    };
    if (Array.isArray(concepts)) tag.concepts = concepts;
    if (typeof definer === 'boolean') tag.isClusterDefiner = definer;
    tag.origin = { file, line: item.line };
    return tag;
  }
}

/**
 * The file's lines with their 1-based numbers, read in 1 MB blocks and handed out a block
 * at a time: readline's per-line events cost more than the parsing here.
 */
async function* lineBlocks(path: string): AsyncGenerator<{ lines: string[]; first: number }> {
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let carry = '';
  let next = 1;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const text = next === 1 && carry === '' ? chunk.replace(/^\uFEFF/, '') : chunk;
      const lines = (carry + text).split('\n');
      carry = lines.pop()!;
      for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
      yield { lines, first: next };
      next += lines.length;
    }
    if (carry !== '') yield { lines: [carry.endsWith('\r') ? carry.slice(0, -1) : carry], first: next };
  } finally {
    input.destroy();
  }
}

async function* numberedLines(path: string): AsyncGenerator<Array<[string, number]>> {
  for await (const block of lineBlocks(path)) yield block.lines.map((line, i): [string, number] => [line, block.first + i]);
}

/** Where the header and the tag block are; null when the layout needs the full YAML reader. */
interface Layout {
  readonly headerText: string;
  readonly tagsLine: number | null;
}

/** First pass: the header lines (tag block lines blanked, so line numbers hold), or null for an unusual layout. */
async function scanLayout(path: string): Promise<Layout | null> {
  const header: string[] = [];
  let inTags = false;
  let tagsLine: number | null = null;
  let content = false;
  for await (const block of numberedLines(path)) for (const [line, n] of block) {
    const isContent = line.trim() !== '' && !line.trimStart().startsWith('#');
    if (line.startsWith('---') || line.startsWith('...')) {
      if (content || line.slice(3).trim() !== '') return null;
      header.push('');
      continue;
    }
    const top = line.length > 0 && !/^[\s#-]/.test(line) ? TOP_LEVEL_KEY.exec(line) : null;
    if (line.length > 0 && !/^[\s#-]/.test(line) && top === null) return null;
    if (top !== null) {
      inTags = top[1] === 'tags';
      if (inTags) {
        if (tagsLine !== null || top[2]!.replace(/\s#.*$/, '').trim() !== '') return null;
        tagsLine = n;
        header.push('');
        content = true;
        continue;
      }
    } else if (!inTags && line.startsWith('-') && isContent) {
      return null;
    }
    header.push(inTags ? '' : line);
    if (isContent) content = true;
  }
  return { headerText: header.join('\n'), tagsLine };
}

function readHeader(file: string, headerText: string, tagsLine: number | null): Header {
  const counter = new LineCounter();
  const doc = parseDocument(headerText, { lineCounter: counter, uniqueKeys: true });
  const error = firstYamlError(doc, counter, 0);
  if (error) throw new TagFileError(file, error.line, `not valid YAML: ${error.message}`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new TagFileError(file, 1, 'a TagPack is a YAML mapping with a header and a `tags` list.');
  const located = doc.contents === null ? { values: {}, lines: {}, line: 1 } : locatedMap(doc.contents, counter, 0);
  return { ...located, hasTags: tagsLine !== null };
}

/** The header problems that void the whole pack. */
function headerProblems(file: string, header: Header): TagProblem[] {
  const problems: TagProblem[] = [];
  for (const key of ['title', 'creator']) {
    if (text(header.values[key]) === null) problems.push(tagProblem('error', 'CHAINTRAIL_TAGPACK_MISSING_HEADER', file, 1, `the TagPack header has no \`${key}\`; no tag of this pack is imported. Add \`${key}:\` at the top.`));
  }
  if (!header.hasTags) problems.push(tagProblem('error', 'CHAINTRAIL_TAGPACK_MISSING_HEADER', file, 1, 'the TagPack has no `tags` list.'));
  return problems;
}

/** A tag item the fast reader declined, read with the `yaml` package. */
function readItemWithYaml(file: string, lines: readonly string[], firstLine: number): Located | TagProblem {
  const counter = new LineCounter();
  const doc = parseDocument(lines.join('\n'), { lineCounter: counter, uniqueKeys: true });
  const error = firstYamlError(doc, counter, firstLine - 1);
  if (error) return tagProblem('error', 'CHAINTRAIL_TAG_BAD_YAML', file, error.line, `not valid YAML: ${error.message}`);
  const item = isSeq(doc.contents) ? doc.contents.items[0] : undefined;
  if (!isMap(item)) return tagProblem('error', 'CHAINTRAIL_TAG_BAD_FIELD', file, firstLine, 'a tag must be a mapping of fields (`- address: ...`).');
  return locatedMap(item, counter, firstLine - 1);
}

/** Second pass: the items of the tag block, each with its lines. */
async function* tagItems(path: string, tagsLine: number): AsyncGenerator<Array<{ lines: string[]; first: number }>> {
  let item: string[] | null = null;
  let first = 0;
  let itemIndent = -1;
  let done = false;
  for await (const block of lineBlocks(path)) {
    const items: Array<{ lines: string[]; first: number }> = [];
    for (let i = 0; i < block.lines.length && !done; i++) {
      const line = block.lines[i]!;
      const n = block.first + i;
      if (n <= tagsLine) continue;
      if (line.length > 0 && !/^[\s#-]/.test(line)) {
        done = true;
        break;
      }
      const indent = line.length - line.trimStart().length;
      if (line.trimStart().startsWith('-') && (itemIndent < 0 || indent === itemIndent)) {
        if (item !== null) items.push({ lines: item, first });
        if (itemIndent < 0) itemIndent = indent;
        item = [line];
        first = n;
      } else if (item !== null) {
        item.push(line);
      }
    }
    yield items;
    if (done) break;
  }
  if (item !== null) yield [{ lines: item, first }];
}

/** The whole pack through the `yaml` package, for layouts the streaming reader does not take. */
async function readWholePack(path: string, file: string): Promise<{ header: Header; items: Array<Located | TagProblem> }> {
  const counter = new LineCounter();
  const doc = parseDocument(await readFile(path, 'utf8'), { lineCounter: counter, uniqueKeys: true });
  const error = firstYamlError(doc, counter, 0);
  if (error) throw new TagFileError(file, error.line, `not valid YAML: ${error.message}`);
  if (!isMap(doc.contents)) throw new TagFileError(file, 1, 'a TagPack is a YAML mapping with a header and a `tags` list.');
  const all = locatedMap(doc.contents, counter, 0);
  const tagsNode = doc.contents.get('tags', true);
  const values = { ...all.values };
  delete values['tags'];
  const header: Header = { values, lines: all.lines, line: 1, hasTags: isSeq(tagsNode) };
  const items = isSeq(tagsNode)
    ? tagsNode.items.map((node) => (isMap(node) ? locatedMap(node, counter, 0) : tagProblem('error', 'CHAINTRAIL_TAG_BAD_FIELD', file, node && (node as YamlNode).range ? counter.linePos((node as YamlNode).range![0]).line : all.lines['tags'] ?? 1, 'a tag must be a mapping of fields (`- address: ...`).')))
    : [];
  return { header, items };
}

/**
 * Reads a TagPack file as chunks of tags and the problems found, each naming the file and
 * line. Throws {@link TagFileError} when the file is not a readable TagPack at all.
 */
export async function* streamTagPack(path: string, options: TagPackOptions = {}): AsyncGenerator<TagChunk> {
  const file = path;
  const batchSize = options.batchSize ?? 5_000;
  const network = options.network ?? 'mainnet';
  const source = options.source ?? `tagpack:${basename(path)}`;
  let layout: Layout | null;
  try {
    layout = await scanLayout(path);
  } catch (error) {
    throw new TagFileError(file, 0, `cannot read the file: ${toError(error).message}`, { cause: error });
  }
  const whole = layout === null ? await readWholePack(path, file) : null;
  const header = whole?.header ?? readHeader(file, layout!.headerText, layout!.tagsLine);
  const fatal = headerProblems(file, header);
  if (fatal.length > 0) {
    yield { tags: [], problems: fatal, otherChains: 0 };
    return;
  }
  for (const key of Object.keys(header.values)) {
    if (!HEADER_ONLY.has(key) && !TAG_FIELDS.has(key)) {
      fatal.push(tagProblem('warning', 'CHAINTRAIL_TAG_UNKNOWN_FIELD', file, header.lines[key] ?? 1, `unknown header field "${key}" is ignored.`));
    }
  }
  const builder = new TagBuilder(file, header, source, network);
  let tags: Tag[] = [];
  let problems: TagProblem[] = fatal;
  let otherChains = 0;
  const take = (item: Located | TagProblem): void => {
    if ('severity' in item) {
      problems.push(item);
      return;
    }
    const tag = builder.build(item, problems);
    if (tag === 'other-chain') otherChains++;
    else if (tag !== null) tags.push(tag);
  };
  const blocks = async function* (): AsyncGenerator<Array<Located | TagProblem>> {
    if (whole !== null) {
      yield whole.items;
      return;
    }
    for await (const block of tagItems(path, layout!.tagsLine!)) {
      yield block.map((raw) => {
        const simple = readSimpleItem(raw.lines, raw.first);
        return simple === null ? readItemWithYaml(file, raw.lines, raw.first) : { ...simple, line: raw.first };
      });
    }
  };
  let count = 0;
  for await (const block of blocks()) {
    for (const item of block) {
      take(item);
      if (++count % batchSize === 0) {
        yield { tags, problems, otherChains };
        tags = [];
        problems = [];
        otherChains = 0;
      }
    }
  }
  if (tags.length > 0 || problems.length > 0 || otherChains > 0) yield { tags, problems, otherChains };
}

/** All of a TagPack at once (see {@link streamTagPack}); for small packs and tests. */
export async function readTagPack(path: string, options: TagPackOptions = {}): Promise<TagChunk & { tags: Tag[]; problems: TagProblem[] }> {
  const tags: Tag[] = [];
  const problems: TagProblem[] = [];
  let otherChains = 0;
  for await (const chunk of streamTagPack(path, options)) {
    tags.push(...chunk.tags);
    problems.push(...chunk.problems);
    otherChains += chunk.otherChains;
  }
  return { tags, problems, otherChains };
}
