/**
 * The GraphStore contract against Neo4j 5 Community over Bolt (the local test server of
 * test/neo4j/), plus what only Neo4j has: a server that is down or goes away, the schema
 * version node and constraints, 64-bit integers, concurrent writers.
 */
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type GraphStore } from '@chaintrail/store';
import { lockNeo4jTestDatabase, neo4jTestUrl, wipeNeo4jTestDatabase, withTestSession } from '../neo4j/neo4j-test-database.js';
import { describeGraphStoreContract } from './contract.js';
import { syntheticChain, syntheticTx, syntheticTxid } from './synthetic-txs.js';

const url = neo4jTestUrl();
let release: (() => void) | undefined;
beforeAll(async () => {
  release = await lockNeo4jTestDatabase(url);
}, 600_000);
afterAll(() => release?.());

const freshSpec = async (): Promise<string> => {
  await wipeNeo4jTestDatabase(url);
  return `neo4j:${url}`;
};
const openFresh = async (): Promise<GraphStore> => openStore(await freshSpec());

describeGraphStoreContract('Neo4j', openFresh, {
  crash: {
    freshSpec,
    // The kill must land while the server holds the big batch's open transaction.
    midBatch: async (_spec, signal) => {
      while (!signal.aborted) {
        const writing = await withTestSession(url, async (session) => {
          const result = await session.run("SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'CREATE (t:Tx' RETURN count(*) AS n");
          return result.records[0]?.get('n') as bigint;
        });
        if (writing > 0n) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    bigBatch: 20_000,
  },
});

describe('Neo4j store', () => {
  it('reports a server that is not running as CHAINTRAIL_STORE_UNREACHABLE, with the URL and how to start one', async () => {
    const port = await freePort();
    const error: unknown = await openStore(`neo4j:bolt://127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CHAINTRAIL_STORE_UNREACHABLE' });
    expect((error as Error).message).toContain(`bolt://127.0.0.1:${port}`);
    expect((error as Error).message).toContain('pnpm neo4j:start');
    expect((error as Error).message).toContain('docker compose up');
  });

  it('reports a server that goes away mid-session as CHAINTRAIL_STORE_UNREACHABLE', async () => {
    await wipeNeo4jTestDatabase(url);
    const proxy = await boltProxy(new URL(url));
    const store = await openStore(`neo4j:${proxy.url}`);
    try {
      await store.writeTransactions(syntheticChain('proxied', 5, 5));
      expect((await store.stats()).transactions).toBe(5);
      await proxy.cut();
      await expect(store.stats()).rejects.toMatchObject({ code: 'CHAINTRAIL_STORE_UNREACHABLE' });
      await expect(store.writeTransactions(syntheticChain('lost', 2, 2))).rejects.toMatchObject({ code: 'CHAINTRAIL_STORE_UNREACHABLE' });
    } finally {
      await store.close();
    }
  });

  it('records its schema version, refuses a newer one and a database that is not a chaintrail store, and migrates an older one', async () => {
    const store = await openFresh();
    expect(store.info()).toEqual({ kind: 'neo4j', location: url, schemaVersion: 1 });
    await store.close();

    await withTestSession(url, (session) => session.run("MATCH (s:ChaintrailSchema {id: 'schema'}) SET s.version = 99"));
    const newer: unknown = await openStore(`neo4j:${url}`).catch((e: unknown) => e);
    expect(newer).toMatchObject({ code: 'CHAINTRAIL_STORE_SCHEMA', found: 99, supported: 1 });
    expect((newer as Error).message).toContain('newer chaintrail');

    await withTestSession(url, (session) => session.run("MATCH (s:ChaintrailSchema {id: 'schema'}) SET s.version = 0"));
    await expect(openStore(`neo4j:${url}`, { migrate: false })).rejects.toMatchObject({ code: 'CHAINTRAIL_STORE_SCHEMA', found: 0 });
    const migrated = await openStore(`neo4j:${url}`);
    expect(migrated.info().schemaVersion).toBe(1);
    await migrated.close();

    await wipeNeo4jTestDatabase(url);
    await withTestSession(url, (session) => session.run('CREATE (:Person {name: $name})', { name: 'not chaintrail data' }));
    await expect(openStore(`neo4j:${url}`)).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_A_STORE' });
  });

  it('puts a uniqueness constraint on every key', async () => {
    await (await openFresh()).close();
    const constraints = await withTestSession(url, async (session) => {
      const result = await session.run('SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN type, labelsOrTypes[0] AS on, properties');
      return result.records.map((r) => `${r.get('type') as string} ${r.get('on') as string}(${(r.get('properties') as string[]).join(',')})`);
    });
    expect(constraints).toEqual(
      expect.arrayContaining([
        'UNIQUENESS Tx(txid)',
        'UNIQUENESS Output(id)',
        'UNIQUENESS Address(address)',
        'UNIQUENESS Entity(id)',
        'RELATIONSHIP_UNIQUENESS LINKED(key)',
        'UNIQUENESS Tag(address,label,source)',
        'UNIQUENESS Block(hash)',
        'UNIQUENESS MissingTx(txid)',
        'UNIQUENESS CoinJoin(txid)',
        'UNIQUENESS Case(id)',
        'UNIQUENESS Seed(caseId,address)',
        'UNIQUENESS Annotation(id)',
        'UNIQUENESS SavedView(id)',
        'UNIQUENESS JobCheckpoint(jobId)',
      ]),
    );
  });

  it('keeps satoshis as 64-bit integers: a total above 2^53 is exact and values are stored as INTEGER', async () => {
    const store = await openFresh();
    try {
      const maxMoney = 2_100_000_000_000_000;
      const whale = syntheticTx('whale', [{ txid: syntheticTxid('whale:funding'), vout: 0 }], Array.from({ length: 5 }, () => ({ address: 'whale-address', value: maxMoney })), 800_000);
      await store.writeTransactions([whale]);
      const summary = await store.addressSummary('whale-address');
      expect(summary.received).toBe(5n * BigInt(maxMoney));
      expect(summary.received > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      const types = await withTestSession(url, async (session) => {
        const result = await session.run('MATCH (o:Output) RETURN DISTINCT valueType(o.value) AS type');
        return result.records.map((r) => r.get('type') as string);
      });
      expect(types).toEqual(['INTEGER NOT NULL']);
    } finally {
      await store.close();
    }
  });

  it('lets two writers store overlapping batches at once: each transaction is stored once and counted once', async () => {
    const spec = await freshSpec();
    const [first, second] = await Promise.all([openStore(spec), openStore(spec)]);
    try {
      const chain = syntheticChain('shared', 400, 50);
      const results = await Promise.all([first.writeTransactions(chain.slice(0, 300)), second.writeTransactions(chain.slice(100))]);
      expect(results[0].transactions + results[1].transactions).toBe(400);
      expect(await first.stats()).toMatchObject({ transactions: 400, outputs: 800, addresses: 50 });
      expect((await first.getTransaction(chain[150]!.tx.txid)).outputs[0]!.spentBy).toEqual({ txid: chain[151]!.tx.txid, vin: 0 });
    } finally {
      await first.close();
      await second.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A TCP relay to the test server that can be cut, as a server that dies or a network that drops. */
async function boltProxy(target: URL): Promise<{ url: string; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `bolt://127.0.0.1:${port}`,
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
