import { ChaintrailError } from '@chaintrail/core';

/** The source could not be reached, or kept failing (5xx, timeouts, resets) after every retry. */
export class SourceUnreachableError extends ChaintrailError {
  constructor(source: string, detail: string, options?: { cause?: unknown }) {
    super(
      'CHAINTRAIL_SOURCE_UNREACHABLE',
      `Chain source ${source} is unreachable: ${detail}. Check the URL and the network, or try again later; work already fetched is cached.`,
      options,
    );
  }
}

/** The server kept answering 429 after every retry, or asked for a wait longer than allowed. */
export class SourceRateLimitedError extends ChaintrailError {
  /** What the server last asked for (ms), when it said. */
  readonly retryAfterMs: number | undefined;
  constructor(source: string, route: string, detail: string, retryAfterMs?: number) {
    super(
      'CHAINTRAIL_SOURCE_RATE_LIMITED',
      `Chain source ${source} rate-limited ${route}: ${detail}. Lower --rps / --concurrency, wait and run again (cached answers are not fetched again), or use a self-hosted Esplora.`,
    );
    this.retryAfterMs = retryAfterMs;
  }
}

/** An answer that is malformed or contradicts itself: it is rejected, never passed on. */
export class SourceBadAnswerError extends ChaintrailError {
  readonly route: string;
  constructor(source: string, route: string, detail: string, options?: { cause?: unknown }) {
    super(
      'CHAINTRAIL_SOURCE_BAD_ANSWER',
      `Chain source ${source} gave a bad answer to ${route}: ${detail}. Nothing from this answer was used; try again, or use another source to cross-check.`,
      options,
    );
    this.route = route;
  }
}

/** Transaction bytes that do not hash to the txid they were asked for or claimed to have. */
export class TxMismatchError extends ChaintrailError {
  readonly expectedTxid: string;
  readonly actualTxid: string;
  constructor(source: string, route: string, expectedTxid: string, actualTxid: string) {
    super(
      'CHAINTRAIL_TX_MISMATCH',
      `Chain source ${source} answered ${route} with a transaction that hashes to ${actualTxid}, not ${expectedTxid}. The answer was rejected; the server is wrong or hostile, use another source for this transaction.`,
    );
    this.expectedTxid = expectedTxid;
    this.actualTxid = actualTxid;
  }
}

/** The server refused the request itself (a 4xx other than 404 and 429). */
export class SourceRejectedRequestError extends ChaintrailError {
  readonly status: number;
  constructor(source: string, route: string, status: number, body: string) {
    super(
      'CHAINTRAIL_SOURCE_REJECTED',
      `Chain source ${source} refused ${route} with HTTP ${status}${body ? ` ("${body.slice(0, 200)}")` : ''}. Check that the address or txid belongs to the network the source serves.`,
    );
    this.status = status;
  }
}

/** Credentials for the source were refused (HTTP 401/403). */
export class SourceAuthError extends ChaintrailError {
  constructor(source: string, detail: string) {
    super(
      'CHAINTRAIL_SOURCE_AUTH',
      `Chain source ${source} refused the credentials: ${detail}. For Bitcoin Core pass --rpc-cookie <datadir>/.cookie, or user and password as in rpcauth.`,
    );
  }
}

/** The source cannot answer this kind of question at all. */
export class SourceUnsupportedError extends ChaintrailError {
  constructor(source: string, what: string, wayOut: string) {
    super('CHAINTRAIL_SOURCE_UNSUPPORTED', `Chain source ${source} cannot ${what}. ${wayOut}`);
  }
}

/** A `--source` string that names no known kind of source. */
export class BadSourceSpecError extends ChaintrailError {
  constructor(spec: string, detail: string) {
    super(
      'CHAINTRAIL_BAD_SOURCE',
      `Invalid chain source "${spec}": ${detail}. Use blocks:DIR_OR_FILE, esplora:URL (for example esplora:https://blockstream.info/api) or core:URL (for example core:http://127.0.0.1:8332).`,
    );
  }
}

/** Inputs whose spent outputs are not known to the source, where a caller needs them all. */
export class UnresolvedPrevoutError extends ChaintrailError {
  readonly outpoints: readonly { txid: string; vout: number }[];
  constructor(source: string, txid: string, outpoints: readonly { txid: string; vout: number }[]) {
    const shown = outpoints
      .slice(0, 3)
      .map((o) => `${o.txid}:${o.vout}`)
      .join(', ');
    super(
      'CHAINTRAIL_UNRESOLVED_PREVOUT',
      `Chain source ${source} cannot resolve ${outpoints.length} input(s) of ${txid} (${shown}${outpoints.length > 3 ? ', ...' : ''}): the spent transactions are not in it. Add the blocks holding them, or use a source with the full chain; values and fees of this transaction are not guessed.`,
    );
    this.outpoints = outpoints;
  }
}

/** A txid or block hash argument that is not 64 hex digits. */
export class BadHashArgumentError extends ChaintrailError {
  constructor(what: string, input: string) {
    super('CHAINTRAIL_BAD_HASH', `Invalid ${what} "${input.length > 80 ? `${input.slice(0, 77)}...` : input}": expected 64 hex digits, as block explorers show them.`);
  }
}

/** Bitcoin Core answered a call with an RPC error other than "not found". */
export class SourceRpcError extends ChaintrailError {
  readonly rpcCode: number;
  constructor(source: string, method: string, rpcCode: number, rpcMessage: string) {
    super('CHAINTRAIL_SOURCE_RPC_ERROR', `Chain source ${source} refused ${method} with RPC error ${rpcCode}: "${rpcMessage}". Check the node's version and configuration (bitcoin.conf).`);
    this.rpcCode = rpcCode;
  }
}

/** An address-history cursor that is not a transaction of that address's history. */
export class BadCursorError extends ChaintrailError {
  constructor(source: string, address: string, cursor: string) {
    super(
      'CHAINTRAIL_BAD_CURSOR',
      `Chain source ${source} has no transaction ${cursor} in the history of ${address}, so cannot page after it. Pass the nextCursor of the previous page, or start again without one.`,
    );
  }
}
