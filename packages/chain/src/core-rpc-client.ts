import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { rpcBatchResponseSchema } from './core-rpc-schemas.js';
import { defaultHttpLimits, HttpTransport, type HttpLimits, type Interpreter } from './http-transport.js';
import type { RetryPolicy } from './retry-policy.js';
import { SourceAuthError, SourceBadAnswerError, SourceRpcError, SourceUnsupportedError } from './source-errors.js';

/** `-rpcuser`/`-rpcpassword` (or rpcauth) credentials, or the cookie file bitcoind writes. */
export type CoreRpcAuth = { readonly user: string; readonly password: string } | { readonly cookieFile: string };

export interface CoreRpcClientOptions {
  /** `http://127.0.0.1:8332`; credentials in the URL are used when `auth` is absent. */
  readonly url: string;
  readonly auth?: CoreRpcAuth;
  readonly limits?: Partial<Omit<HttpLimits, 'retry'>> & { readonly retry?: Partial<RetryPolicy> };
  /** Most calls sent in one JSON-RPC batch. */
  readonly maxBatch?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** RPC_INVALID_ADDRESS_OR_KEY: "No such mempool or blockchain transaction", "Block not found". */
export const RPC_NOT_FOUND = -5;
/** RPC_INVALID_PARAMETER: `getblockhash` answers "Block height out of range" with it. */
export const RPC_INVALID_PARAMETER = -8;
/** RPC_IN_WARMUP: the node is still loading its block index; worth waiting for. */
const RPC_IN_WARMUP = -28;

interface PendingCall {
  readonly id: number;
  readonly method: string;
  readonly params: readonly unknown[];
  readonly schema: z.ZodType;
  readonly notFound: readonly number[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type RpcAnswer = z.infer<typeof rpcBatchResponseSchema>[number];

/**
 * Bitcoin Core's JSON-RPC over HTTP. Calls made in the same tick travel in one batch (a
 * JSON array, which Core answers with HTTP 200 and one result per id), so `Promise.all` of
 * fifty `getrawtransaction`s is one request. Every result is validated against its schema.
 */
export class CoreRpcClient {
  readonly description: string;
  readonly #transport: HttpTransport;
  readonly #auth: CoreRpcAuth | undefined;
  readonly #maxBatch: number;
  #authHeader: string | undefined;
  #pending: PendingCall[] = [];
  #nextId = 1;

  constructor(options: CoreRpcClientOptions) {
    const url = new URL(options.url);
    const inUrl = url.username ? { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined;
    url.username = '';
    url.password = '';
    this.description = `core:${url.toString().replace(/\/+$/, '')}`;
    this.#auth = options.auth ?? inUrl;
    this.#maxBatch = options.maxBatch ?? 50;
    const limits = options.limits ?? {};
    this.#transport = new HttpTransport({
      ...defaultHttpLimits,
      // A local node answers fast and has no per-client quota; its work queue (rpcworkqueue, 16) is the limit.
      requestsPerSecond: 1_000,
      ...limits,
      retry: { ...defaultHttpLimits.retry, ...limits.retry },
      baseUrl: url.toString(),
      sourceName: this.description,
      headers: { 'content-type': 'application/json' },
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  get requests(): number {
    return this.#transport.requests;
  }

  get retries(): number {
    return this.#transport.retries;
  }

  /**
   * One call; null when Core answers with one of `notFound` (default: -5, "not found").
   * Other RPC errors throw `CHAINTRAIL_SOURCE_RPC_ERROR`.
   */
  call<S extends z.ZodType>(method: string, params: readonly unknown[], schema: S, notFound: readonly number[] = [RPC_NOT_FOUND]): Promise<z.output<S> | null> {
    return new Promise((resolve, reject) => {
      if (this.#pending.length === 0) setImmediate(() => void this.#flush());
      this.#pending.push({ id: this.#nextId++, method, params, schema, notFound, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxBatch);
      try {
        const answers = await this.#send(batch);
        for (const call of batch) this.#settle(call, answers.get(call.id));
      } catch (error) {
        for (const call of batch) call.reject(error);
      }
    }
  }

  async #send(batch: readonly PendingCall[]): Promise<Map<unknown, RpcAnswer>> {
    const body = JSON.stringify(batch.map((c) => ({ jsonrpc: '1.0', id: c.id, method: c.method, params: c.params })));
    const route = batch.length === 1 ? (batch[0] as PendingCall).method : `batch of ${batch.length} (${[...new Set(batch.map((c) => c.method))].join(', ')})`;
    const send = async (): Promise<RpcAnswer[] | null> =>
      this.#transport.send({ method: 'POST', path: '/', body, headers: { authorization: await this.#authorization() } }, this.#interpret(route));
    let answers: RpcAnswer[] | null;
    try {
      answers = await send();
    } catch (error) {
      // bitcoind writes a new cookie each start; read it again once before giving up.
      if (!(error instanceof SourceAuthError) || !this.#auth || !('cookieFile' in this.#auth)) throw error;
      this.#authHeader = undefined;
      answers = await send();
    }
    if (answers === null) throw new SourceBadAnswerError(this.description, route, 'HTTP 404: is this the RPC port of a Bitcoin Core node?');
    return new Map(answers.map((a) => [a.id, a]));
  }

  #interpret(route: string): Interpreter<RpcAnswer[]> {
    return (status, body) => {
      if (status === 401 || status === 403) return undefined;
      if (status !== 200 && !body.trimStart().startsWith('[') && !body.trimStart().startsWith('{')) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch (error) {
        return { kind: 'retry', error: new SourceBadAnswerError(this.description, route, `body is not JSON (${body.length} bytes; cut short?)`, { cause: error }) };
      }
      const result = rpcBatchResponseSchema.safeParse(parsed);
      if (!result.success) return { kind: 'retry', error: new SourceBadAnswerError(this.description, route, `not a JSON-RPC batch answer: ${result.error.issues[0]?.message ?? 'invalid'}`) };
      if (result.data.some((a) => a.error?.code === RPC_IN_WARMUP)) {
        return { kind: 'retry', error: new SourceBadAnswerError(this.description, route, 'the node is still starting (RPC_IN_WARMUP)') };
      }
      return { kind: 'ok', value: result.data };
    };
  }

  #settle(call: PendingCall, answer: RpcAnswer | undefined): void {
    if (!answer) {
      call.reject(new SourceBadAnswerError(this.description, call.method, `no answer for call id ${call.id} in the batch`));
      return;
    }
    const { error } = answer;
    if (error) {
      if (error.code === RPC_NOT_FOUND && /txindex/i.test(error.message)) {
        call.reject(
          new SourceUnsupportedError(
            this.description,
            'look up confirmed transactions by txid without a transaction index',
            'Restart bitcoind with txindex=1 (it builds the index once, in the background), or use an Esplora source.',
          ),
        );
      } else if (call.notFound.includes(error.code)) {
        call.resolve(null);
      } else {
        call.reject(new SourceRpcError(this.description, call.method, error.code, error.message));
      }
      return;
    }
    const result = call.schema.safeParse(answer.result);
    if (result.success) call.resolve(result.data);
    else {
      const issue = result.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      call.reject(new SourceBadAnswerError(this.description, `${call.method} ${JSON.stringify(call.params)}`, `unexpected result${where}: ${issue?.message ?? 'invalid'}`));
    }
  }

  async #authorization(): Promise<string> {
    if (this.#authHeader !== undefined) return this.#authHeader;
    const auth = this.#auth;
    let pair = '';
    if (auth && 'cookieFile' in auth) {
      try {
        pair = (await readFile(auth.cookieFile, 'utf8')).trim();
      } catch (error) {
        throw new SourceAuthError(this.description, `cannot read the cookie file ${auth.cookieFile} (${(error as Error).message}); is bitcoind running, and is this its datadir?`);
      }
    } else if (auth) {
      pair = `${auth.user}:${auth.password}`;
    }
    this.#authHeader = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    return this.#authHeader;
  }
}
