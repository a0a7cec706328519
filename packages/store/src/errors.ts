/**
 * Failures of a GraphStore, one small class per kind, each with a stable code the CLI and
 * API map to exit statuses and HTTP statuses. Both stores throw the same classes, so
 * callers (and the contract suite) never look at driver errors.
 */
import { ChaintrailError } from '@chaintrail/core';

/** The store cannot be reached or opened: Neo4j down or refusing, an unwritable file. */
export class StoreUnreachableError extends ChaintrailError {
  constructor(location: string, detail: string, options?: { cause?: unknown }) {
    super(
      'CHAINTRAIL_STORE_UNREACHABLE',
      `Cannot reach the store at ${location}: ${detail}. Check that it is running and the address and credentials are right.`,
      options,
    );
  }
}

/** The store's schema is one this version cannot read: never read it silently. */
export class StoreSchemaError extends ChaintrailError {
  readonly found: number;
  readonly supported: number;
  constructor(location: string, found: number, supported: number, detail?: string) {
    const way =
      found > supported
        ? `it was written by a newer chaintrail (schema ${found}, this one knows up to ${supported}); upgrade chaintrail to open it`
        : `its schema ${found} is older than ${supported} and ${detail ?? 'cannot be migrated'}; re-ingest the case into a new store`;
    super('CHAINTRAIL_STORE_SCHEMA', `Refusing to open the store at ${location}: ${way}.`);
    this.found = found;
    this.supported = supported;
  }
}

/** Anything that is not 64 hex digits where a txid is expected. */
export class BadTxidError extends ChaintrailError {
  constructor(txid: string) {
    super('CHAINTRAIL_BAD_TXID', `Not a transaction id: ${JSON.stringify(clip(txid))}. A txid is 64 hexadecimal digits.`);
  }
}

/** The thing asked for is not in the store. */
export class NotFoundError extends ChaintrailError {
  readonly kind: string;
  readonly id: string;
  constructor(kind: string, id: string, hint?: string) {
    super(
      'CHAINTRAIL_NOT_FOUND',
      `No ${kind} ${JSON.stringify(clip(id))} in the store. ${hint ?? 'Ingest it first, or check the spelling.'}`,
    );
    this.kind = kind;
    this.id = id;
  }
}

/** A query or write argument out of range (limit, hops, empty address, bad cursor, bad hex). */
export class BadQueryError extends ChaintrailError {
  constructor(what: string, detail: string) {
    super('CHAINTRAIL_BAD_QUERY', `Invalid ${what}: ${detail}.`);
  }
}

/** A path search that would have to visit more nodes than allowed. */
export class SearchLimitError extends ChaintrailError {
  constructor(what: string, limit: number) {
    super(
      'CHAINTRAIL_SEARCH_LIMIT',
      `The ${what} visited more than ${limit} nodes without an answer. Narrow it: fewer hops, a minimum value, or a higher maxVisited.`,
    );
  }
}

/** The file exists but is not a chaintrail store. */
export class NotAStoreError extends ChaintrailError {
  constructor(location: string, detail: string) {
    super('CHAINTRAIL_NOT_A_STORE', `${location} is not a chaintrail store (${detail}). Pick another file, or a new path to create a store.`);
  }
}

/** A store spec `openStore` does not understand. */
export class BadStoreSpecError extends ChaintrailError {
  constructor(spec: string) {
    super(
      'CHAINTRAIL_BAD_STORE_SPEC',
      `Unknown store ${JSON.stringify(clip(spec))}. Use sqlite:PATH (e.g. sqlite:case.db) or neo4j:bolt://HOST:7687.`,
    );
  }
}

/** The store was used after close(). */
export class StoreClosedError extends ChaintrailError {
  constructor(location: string) {
    super('CHAINTRAIL_STORE_CLOSED', `The store at ${location} is closed; open it again with openStore().`);
  }
}

/** Hostile or huge inputs are quoted in messages, never pasted whole. */
function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** An annotation colour that is neither a palette name nor `#rrggbb`. */
export class BadAnnotationColourError extends ChaintrailError {
  constructor(colour: unknown, palette: readonly string[]) {
    super(
      'CHAINTRAIL_BAD_ANNOTATION_COLOUR',
      `Invalid annotation colour ${JSON.stringify(clip(String(colour)))}: use one of ${palette.join(', ')}, or a hex colour #rrggbb.`,
    );
  }
}

/** A bulk load stopped before its deferred indexes were built, and the store was opened read-only. */
export class StoreLoadInterruptedError extends ChaintrailError {
  constructor(location: string, missing: readonly string[]) {
    super(
      'CHAINTRAIL_STORE_LOAD_INTERRUPTED',
      `The store at ${location} is in the middle of a bulk load, or one was interrupted (its ${missing.join(', ')} index${missing.length === 1 ? ' was' : 'es were'} not built yet). Every committed batch is intact: open it once writable (without read-only) and the index${missing.length === 1 ? ' is' : 'es are'} rebuilt.`,
    );
  }
}
