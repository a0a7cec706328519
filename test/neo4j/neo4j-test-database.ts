/**
 * The Neo4j database that tests share: the local server that `bash test/neo4j/neo4j.sh
 * start` runs (scripts/test-all.sh starts it and exports CHAINTRAIL_TEST_NEO4J_URL).
 *
 * Neo4j Community has one user database, and vitest runs test files in parallel workers,
 * so a test file that uses Neo4j takes a lock for its whole run (lockNeo4jTestDatabase)
 * and each test starts from an empty database (wipeNeo4jTestDatabase).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';

/** The Bolt URL of the test server; fails loudly when it is not set, never skips. */
export function neo4jTestUrl(): string {
  const url = process.env['CHAINTRAIL_TEST_NEO4J_URL'];
  if (!url) {
    throw new Error(
      'CHAINTRAIL_TEST_NEO4J_URL is not set. The Neo4j tests need the local test server: run ' +
        '`bash test/neo4j/neo4j.sh start` and `export CHAINTRAIL_TEST_NEO4J_URL=$(bash test/neo4j/neo4j.sh url)`, ' +
        'or run everything with `pnpm test:all`.',
    );
  }
  return url;
}

/** Runs Cypher on the test server directly (setup and inspection that the GraphStore API does not offer). */
export async function withTestSession<T>(url: string, work: (session: neo4j.Session) => Promise<T>): Promise<T> {
  const driver = neo4j.driver(url, undefined, { useBigInt: true });
  const session = driver.session();
  try {
    return await work(session);
  } finally {
    await session.close();
    await driver.close();
  }
}

/** Deletes every node and relationship; constraints and indexes stay, so stores reopen fast. */
export function wipeNeo4jTestDatabase(url: string): Promise<void> {
  return withTestSession(url, async (session) => {
    // IN TRANSACTIONS keeps a large leftover graph from needing one huge transaction.
    await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  });
}

const pollMs = 200;

/**
 * Waits (up to `timeoutMs`) until no other process holds the test database, then holds it;
 * the returned function lets it go. A holder that died leaves a lock naming a dead pid,
 * which the next taker removes.
 */
export async function lockNeo4jTestDatabase(url: string, timeoutMs = 600_000): Promise<() => void> {
  const dir = join(tmpdir(), `chaintrail-neo4j-test-${createHash('sha256').update(url).digest('hex').slice(0, 16)}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'pid'), String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (holderIsDead(dir)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Another test process has held the Neo4j test database (${url}) for ${timeoutMs / 1000}s; lock ${dir}.`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function holderIsDead(dir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
  } catch {
    // Taken a moment ago and the pid not written yet: the holder is alive.
    return false;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}
