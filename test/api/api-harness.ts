/**
 * An API server over a store for `inject()` tests: tokens in a temporary token file, one
 * per role, and an audit log beside it. `call` sends a request and, for a 2xx answer with
 * a schema, decodes it with that schema (so every answer is checked against the shapes the
 * CLI prints too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { apiDataPaths, AuditLog, buildApiServer, ROLES, TokenStore, type ApiServerOptions, type Role } from '@chaintrail/api';
import type { GraphStore } from '@chaintrail/store';

export interface CallOptions {
  /** A role's token (default viewer), a literal token string, or null for none. */
  readonly as?: Role | null;
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly json: unknown;
  readonly text: string;
}

export interface ErrorJson {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string; readonly requestId: string };
}

export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly dir: string;
  readonly tokens: TokenStore;
  readonly audit: AuditLog;
  readonly auditPath: string;
  readonly tokenOf: Readonly<Record<Role, string>>;
  readonly tokenIdOf: Readonly<Record<Role, string>>;
  call(method: string, url: string, options?: CallOptions): Promise<CallResult>;
  /** `call`, expecting `status`, decoded with `schema`. */
  get<S extends z.ZodType>(url: string, schema: S, options?: CallOptions & { status?: number }): Promise<z.output<S>>;
  send<S extends z.ZodType>(method: string, url: string, schema: S, options: CallOptions & { status?: number }): Promise<z.output<S>>;
  close(): Promise<void>;
}

export async function startHarness(store: GraphStore, options: Partial<ApiServerOptions> = {}): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-api-test-'));
  const paths = apiDataPaths(dir);
  const tokens = TokenStore.open(paths.tokens);
  const audit = AuditLog.open(paths.audit);
  const tokenOf = {} as Record<Role, string>;
  const tokenIdOf = {} as Record<Role, string>;
  for (const role of ROLES) {
    const created = tokens.create({ role, label: `${role} test` });
    tokenOf[role] = created.token;
    tokenIdOf[role] = created.info.tokenId;
  }
  const app = await buildApiServer({ store, tokens, audit, rateLimit: { max: 1_000_000 }, ...options });
  const call = async (method: string, url: string, call: CallOptions = {}): Promise<CallResult> => {
    const token = call.token ?? (call.as === null ? undefined : tokenOf[call.as ?? 'viewer']);
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
        ...(typeof call.body === 'string' ? { 'content-type': 'text/plain; charset=utf-8' } : {}),
        ...call.headers,
      },
      ...(call.body !== undefined ? { payload: call.body as object } : {}),
    });
    let json: unknown = undefined;
    try {
      json = response.json();
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, json, text: response.body };
  };
  const expectDecoded = async <S extends z.ZodType>(method: string, url: string, schema: S, options: CallOptions & { status?: number }) => {
    const result = await call(method, url, options);
    const expected = options.status ?? (method === 'POST' ? 201 : 200);
    if (result.status !== expected) throw new Error(`${method} ${url}: expected ${expected}, got ${result.status}: ${result.text.slice(0, 500)}`);
    const decoded = z.decode(schema, result.json as z.input<S>);
    // The answer is exactly the schema's wire form: re-encoding gives it back, no field more or less.
    const reencoded = JSON.parse(JSON.stringify(z.encode(schema, decoded))) as unknown;
    if (!isDeepStrictEqual(reencoded, result.json)) throw new Error(`${method} ${url}: the answer holds more than its schema: ${result.text.slice(0, 500)}`);
    return decoded;
  };
  return {
    app,
    dir,
    tokens,
    audit,
    auditPath: paths.audit,
    tokenOf,
    tokenIdOf,
    call,
    get: (url, schema, options = {}) => expectDecoded('GET', url, schema, options),
    send: (method, url, schema, options) => expectDecoded(method, url, schema, options),
    async close() {
      await app.close();
      audit.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Query string from an object (values URL-encoded). */
export function qs(query: Record<string, string | number | bigint | undefined>): string {
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string | number | bigint] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}
