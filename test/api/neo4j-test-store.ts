/**
 * A Neo4j store for the API tests: the server the test command started
 * (CHAINTRAIL_TEST_NEO4J_URL), emptied first. Neo4j Community holds one user database, so
 * test files that load data into it take turns through a lock file; a file that cannot
 * reach Neo4j fails loudly, it never skips.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j from 'neo4j-driver';
import { openStore, type GraphStore } from '@chaintrail/store';

/** Every test file that writes to the shared Neo4j server holds this lock while it does. */
export const NEO4J_TEST_LOCK = join(tmpdir(), 'chaintrail-neo4j-tests.lock');

export function neo4jTestUrl(): string {
  const url = process.env['CHAINTRAIL_TEST_NEO4J_URL'];
  if (url === undefined || url === '') {
    throw new Error(
      'CHAINTRAIL_TEST_NEO4J_URL is not set. Start the test server with `bash test/neo4j/neo4j.sh start` and ' +
        'export CHAINTRAIL_TEST_NEO4J_URL=$(bash test/neo4j/neo4j.sh url), or run the whole suite with `pnpm test:all`.',
    );
  }
  return url;
}

/** Waits for the Neo4j test lock (up to 10 minutes); returns its release. */
export async function lockNeo4j(): Promise<() => void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      const fd = openSync(NEO4J_TEST_LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => unlinkSync(NEO4J_TEST_LOCK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderAlive()) {
        unlinkSync(NEO4J_TEST_LOCK);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`Neo4j test lock ${NEO4J_TEST_LOCK} held for 10 minutes by process ${readFileSync(NEO4J_TEST_LOCK, 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Deletes every node and relationship, then opens the store (which recreates its schema). */
export async function openEmptyNeo4jStore(): Promise<GraphStore> {
  const url = neo4jTestUrl();
  const driver = neo4j.driver(url);
  try {
    const session = driver.session();
    try {
      await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
  }
  return openStore(`neo4j:${url}`);
}

function holderAlive(): boolean {
  try {
    const pid = Number.parseInt(readFileSync(NEO4J_TEST_LOCK, 'utf8'), 10);
    if (!Number.isInteger(pid) || pid <= 0) return true;
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
