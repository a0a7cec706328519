/**
 * One Bolt connection pool per store, the transactions run over it, and the translation of
 * the driver's failures into the store's typed errors. Every query text is a constant;
 * values travel as parameters only, never inside Cypher.
 */
import neo4j, { Neo4jError, type Driver, type ManagedTransaction } from 'neo4j-driver';
import { ChaintrailError, toError } from '@chaintrail/core';
import { StoreClosedError, StoreUnreachableError } from '../errors.js';
import type { Neo4jOptions } from '../open-store.js';

/** What queries run on: a write transaction, or a session running auto-commit reads. */
export type Tx = Pick<ManagedTransaction, 'run'>;

/** What to do when the server is not there: the two ways chaintrail documents to start one. */
const startHint = 'start the local server with `pnpm neo4j:start`, or the Docker one with `docker compose up -d neo4j`';

export class Neo4jConnection {
  private closed = false;

  private constructor(
    private readonly driver: Driver,
    /** The Bolt URL without credentials, for messages. */
    readonly location: string,
    private readonly database: string | undefined,
    private readonly readonly: boolean,
  ) {}

  /**
   * Credentials, first found: `options.user`/`password`; the URL's user info
   * (`bolt://user:password@host:7687`); CHAINTRAIL_NEO4J_USER / CHAINTRAIL_NEO4J_PASSWORD in
   * `env`. None: no authentication (the local test server).
   */
  static open(url: string, options: Neo4jOptions | undefined, readonly: boolean, env: NodeJS.ProcessEnv = process.env): Neo4jConnection {
    const location = withoutCredentials(url);
    const credentials = credentialsFor(url, options, env);
    const auth = credentials === null ? undefined : neo4j.auth.basic(credentials.user, credentials.password);
    let driver: Driver;
    try {
      driver = neo4j.driver(location, auth, {
        // Integers come back as bigint: satoshi sums never pass through a float.
        useBigInt: true,
        userAgent: 'chaintrail',
        // A refused port answers at once; a host that drops packets should not hang a CLI
        // for the driver's default 30 s.
        connectionTimeout: 10_000,
        // Deadlocks between concurrent writers are retried by the driver; a server that is
        // gone is reported after this long instead of the default 30 s.
        maxTransactionRetryTime: 5_000,
      });
    } catch (error) {
      throw new StoreUnreachableError(location, `${toError(error).message}; the URL looks like bolt://HOST:7687`, { cause: error });
    }
    return new Neo4jConnection(driver, location, options?.database, readonly);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async verify(): Promise<void> {
    await this.guard(() => this.driver.getServerInfo({ database: this.database }));
  }

  /**
   * Reads, each statement auto-committed: one round trip per statement instead of three
   * (BEGIN, RUN, COMMIT). Neo4j reads at read-committed isolation either way, so an
   * explicit read transaction would buy no consistency, only latency.
   */
  read<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
      try {
        return await work(session);
      } finally {
        await session.close();
      }
    });
  }

  /**
   * One write transaction: committed whole or not at all. The driver retries it on
   * transient failures (deadlocks), so `work` must be safe to run again: every chaintrail
   * write is idempotent (MERGE on unique keys).
   */
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.readonly) {
      return Promise.reject(new StoreUnreachableError(this.location, 'the store was opened read-only; open it without `readonly` to write'));
    }
    return this.guard(async () => {
      const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
      try {
        return await session.executeWrite(work);
      } finally {
        await session.close();
      }
    });
  }

  /** An auto-commit statement: schema changes, which Neo4j runs outside data transactions. */
  autoCommit(cypher: string, params: Record<string, unknown> = {}): Promise<void> {
    return this.guard(async () => {
      const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
      try {
        await session.run(cypher, params);
      } finally {
        await session.close();
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close();
  }

  private async guard<T>(run: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreClosedError(this.location);
    try {
      return await run();
    } catch (error) {
      throw storeError(this.location, error);
    }
  }
}

/** Rows of a query as plain objects. */
export async function rows<R>(tx: Tx, cypher: string, params: Record<string, unknown> = {}): Promise<R[]> {
  const result = await tx.run(cypher, params);
  return result.records.map((record) => record.toObject() as R);
}

/** The single row of an aggregating query. */
export async function row<R>(tx: Tx, cypher: string, params: Record<string, unknown> = {}): Promise<R> {
  const [first] = await rows<R>(tx, cypher, params);
  if (first === undefined) throw new Error('an aggregating Cypher query returned no row');
  return first;
}

/** Typed errors pass through; a lost or refusing server becomes StoreUnreachableError. */
export function storeError(location: string, error: unknown): Error {
  if (error instanceof ChaintrailError) return error;
  if (error instanceof Neo4jError) {
    if (error.code === 'ServiceUnavailable' || error.code === 'SessionExpired') {
      return new StoreUnreachableError(location, `${firstLine(error.message)}; ${startHint}`, { cause: error });
    }
    if (error.code.startsWith('Neo.ClientError.Security.')) {
      return new StoreUnreachableError(
        location,
        `the server refused the credentials (${error.code}); set CHAINTRAIL_NEO4J_USER and CHAINTRAIL_NEO4J_PASSWORD to the ones it was set up with`,
        {
          cause: error,
        },
      );
    }
    if (error.code === 'Neo.ClientError.Database.DatabaseNotFound') {
      return new StoreUnreachableError(location, `${firstLine(error.message)}; name an existing database or leave it unset for the server's default`, { cause: error });
    }
  }
  return toError(error);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

export function credentialsFor(url: string, options: Neo4jOptions | undefined, env: NodeJS.ProcessEnv): { user: string; password: string } | null {
  if (options?.user !== undefined) return { user: options.user, password: options.password ?? '' };
  const userInfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/]*)@/i.exec(url)?.[1];
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    const [user, password] = colon < 0 ? [userInfo, ''] : [userInfo.slice(0, colon), userInfo.slice(colon + 1)];
    return { user: decodeURIComponent(user), password: decodeURIComponent(password) };
  }
  const user = env['CHAINTRAIL_NEO4J_USER'];
  return user ? { user, password: env['CHAINTRAIL_NEO4J_PASSWORD'] ?? '' } : null;
}
