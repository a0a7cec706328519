/**
 * Checks both stores apply to records before writing them (and to block header keys before
 * reading), so they refuse the same inputs with the same typed errors: block headers,
 * cases, seeds, annotations, saved views and job checkpoints with their JSON state.
 */
import type { AnnotationColour, AnnotationUpdate, BlockHeaderRecord, CaseCreate, JsonValue, SeedRecord } from './graph-store.js';
import { checkAnnotationColour } from './annotation-colour.js';
import { BadQueryError } from './errors.js';
import { checkAddress } from './query-validation.js';

/** Throws BadQueryError for a header with a malformed hash or a height that is not a non-negative integer. */
export function checkBlockHeader(header: BlockHeaderRecord): BlockHeaderRecord {
  for (const [what, hash] of [['hash', header.hash], ['previous hash', header.prevHash], ['merkle root', header.merkleRoot]] as const) {
    if (typeof hash !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hash)) {
      throw new BadQueryError(`block header ${what}`, `expected 64 hexadecimal digits, got ${JSON.stringify(String(hash).slice(0, 80))}`);
    }
  }
  if (!Number.isInteger(header.height) || header.height < 0) throw new BadQueryError(`block header ${header.hash}`, 'height must be a non-negative integer');
  return header;
}

/** JSON data as stored text; anything JSON cannot hold is a typed error, not a crash. */
export function toJson(what: string, value: JsonValue): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error('not JSON data');
    return text;
  } catch (error) {
    throw new BadQueryError(what, `must be plain JSON data (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** An annotation's new text and colour: `undefined` keeps the stored value, a colour of null removes it. */
export function checkAnnotationUpdate(update: string | AnnotationUpdate): { text: string | undefined; colour: AnnotationColour | null | undefined } {
  const { text, colour } = typeof update === 'string' ? { text: update, colour: undefined } : (update ?? {});
  if (text !== undefined && typeof text !== 'string') throw new BadQueryError('annotation', 'text must be a string');
  return { text, colour: colour === undefined ? undefined : checkAnnotationColour(colour) };
}

/** The text of a new annotation, checked. */
export function checkAnnotationText(text: unknown): string {
  if (typeof text !== 'string') throw new BadQueryError('annotation', 'text must be a string');
  return text;
}

/** A new case's id (a UUID when none is given), name and description, checked. */
export function checkCaseCreate(create: CaseCreate, newId: () => string): { id: string; name: string; description: string | null } {
  if (typeof create.name !== 'string' || create.name.length === 0) throw new BadQueryError('case', 'the name must be a non-empty string');
  const id = create.id ?? newId();
  if (typeof id !== 'string' || id.length === 0) throw new BadQueryError('case', 'the id must be a non-empty string');
  return { id, name: create.name, description: create.description ?? null };
}

/** A seed with a usable address and a 1-based line number. */
export function checkSeed(seed: SeedRecord): SeedRecord {
  checkAddress(seed.address);
  if (!Number.isInteger(seed.line) || seed.line < 1) throw new BadQueryError(`seed ${seed.address}`, `line must be a positive integer, got ${seed.line}`);
  return seed;
}

export function checkViewName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw new BadQueryError('saved view', 'the name must be a non-empty string');
  return name;
}

export function checkJobId(jobId: unknown): string {
  if (typeof jobId !== 'string' || jobId.length === 0) throw new BadQueryError('job checkpoint', 'jobId must be a non-empty string');
  return jobId;
}

/** What blockHeader() was asked for: a height, or a hash in lowercase. */
export function checkHeaderKey(hashOrHeight: string | number): { height: number } | { hash: string } {
  if (typeof hashOrHeight === 'number') {
    if (!Number.isInteger(hashOrHeight) || hashOrHeight < 0) throw new BadQueryError('block height', `expected a non-negative integer, got ${hashOrHeight}`);
    return { height: hashOrHeight };
  }
  if (typeof hashOrHeight !== 'string' || !/^[0-9a-fA-F]{64}$/.test(hashOrHeight)) {
    throw new BadQueryError('block hash', `expected 64 hexadecimal digits, got ${JSON.stringify(String(hashOrHeight).slice(0, 80))}`);
  }
  return { hash: hashOrHeight.toLowerCase() };
}
