/**
 * Reads of chain data from Neo4j: transactions with resolved inputs, address and entity
 * totals, paged histories and outputs, missing parents, block headers. Totals are computed
 * at read time from outputs and their SPENT_IN edges, so they never depend on the order
 * data was written in.
 */
import type { ScriptType } from '@chaintrail/core';
import type {
  AddressOutputRecord,
  AddressOutputsQuery,
  AddressTxEntry,
  BlockHeaderRecord,
  ChainPoint,
  HistoryQuery,
  InputRecord,
  OutputRecord,
  Page,
  PageQuery,
  StoredTx,
} from '../graph-store.js';
import { BadQueryError, NotFoundError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { checkLimit, maxPageLimit, normaliseTxid } from '../query-validation.js';
import { checkBlockHeader, checkHeaderKey } from '../record-checks.js';
import { addressText, entityText, indexKey } from './index-key.js';
import { row, rows, type Tx } from './neo4j-connection.js';
import { big, int, num, numOrNull, strOrNull } from './neo4j-values.js';

const zeroTxid = '0'.repeat(64);

/**
 * Chain order as one integer: height, then position in the block; unconfirmed after every
 * block. Cursors carry it with the txid (and vout), the tie-breakers.
 */
const chainKey = (x: string): string => `coalesce(${x}.height, 999999999) * 1048576 + coalesce(${x}.position, 0)`;

/** The member addresses of a totals query: one address, or an entity's ($member is an index key). */
export const memberMatch = {
  address: 'MATCH (m:Address {address: $member})',
  entity: 'MATCH (:Entity {id: $member})<-[:IN_ENTITY]-(m:Address)',
} as const;
export type MemberKind = keyof typeof memberMatch;

export interface MemberTotals {
  readonly received: bigint;
  readonly sent: bigint;
  readonly txCount: number;
  readonly outputCount: number;
  readonly unspentCount: number;
  readonly firstSeen: ChainPoint | null;
  readonly lastSeen: ChainPoint | null;
}

const totalsQuery = (kind: MemberKind): string => `
  ${memberMatch[kind]}
  MATCH (m)<-[:LOCKED_BY]-(o:Output)<-[:OUTPUT]-(t:Tx)
  OPTIONAL MATCH (o)-[:SPENT_IN]->(s:Tx)
  WITH sum(o.value) AS received, sum(CASE WHEN s IS NULL THEN 0 ELSE o.value END) AS sent,
       count(o) AS outputCount, count(o) - count(s) AS unspentCount, collect(t) + collect(s) AS touched
  CALL (touched) {
    UNWIND touched AS x
    WITH DISTINCT x
    RETURN count(x) AS txCount
  }
  CALL (touched) {
    UNWIND touched AS x
    WITH DISTINCT x
    WITH x WHERE x.height IS NOT NULL
    WITH x ORDER BY x.height, x.position, x.txid
    WITH collect({txid: x.txid, height: x.height, time: x.time}) AS seen
    RETURN seen[0] AS firstSeen, seen[-1] AS lastSeen
  }
  RETURN received, sent, outputCount, unspentCount, txCount, firstSeen, lastSeen`;

const totalsQueries: Record<MemberKind, string> = { address: totalsQuery('address'), entity: totalsQuery('entity') };

const txQuery = `
  MATCH (t:Tx {txid: $txid})
  OPTIONAL MATCH (c:CoinJoin {txid: $txid})
  CALL (t) {
    OPTIONAL MATCH (t)-[:OUTPUT]->(o:Output)
    OPTIONAL MATCH (o)-[:LOCKED_BY]->(a:Address)
    OPTIONAL MATCH (o)-[sp:SPENT_IN]->(s:Tx)
    WITH o, a, sp, s ORDER BY o.vout
    RETURN collect(CASE WHEN o IS NULL THEN null ELSE
      {vout: o.vout, value: o.value, scriptType: o.scriptType, script: o.script, address: ${addressText('a')}, spender: s.txid, spenderVin: sp.vin} END) AS outputs
  }
  CALL (t) {
    UNWIND range(0, size(t.inOutpoints) - 1) AS vin
    OPTIONAL MATCH (p:Output {id: t.inOutpoints[vin]})
    OPTIONAL MATCH (p)-[:LOCKED_BY]->(pa:Address)
    WITH vin, p, pa ORDER BY vin
    RETURN collect({value: p.value, scriptType: p.scriptType, address: ${addressText('pa')}}) AS inputs
  }
  RETURN t { .* } AS tx, c.rule AS coinjoin, outputs, inputs`;

const historyQuery = (order: 'asc' | 'desc'): string => {
  const [cmp, dir] = order === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
  return `
  MATCH (:Address {address: $address})<-[:LOCKED_BY]-(o:Output)
  CALL (o) {
    MATCH (x:Tx)-[:OUTPUT]->(o) RETURN x, o.value AS r, 0 AS s
    UNION ALL
    MATCH (o)-[:SPENT_IN]->(x:Tx) RETURN x, 0 AS r, o.value AS s
  }
  WITH x, sum(r) AS received, sum(s) AS sent
  WITH x, received, sent, ${chainKey('x')} AS k
  WHERE $k IS NULL OR k ${cmp} $k OR (k = $k AND x.txid ${cmp} $txid)
  RETURN x.txid AS txid, x.height AS height, x.time AS time, x.position AS position, received, sent, k
  ORDER BY k ${dir}, txid ${dir} LIMIT $limit`;
};
const historyQueries = { asc: historyQuery('asc'), desc: historyQuery('desc') };

const outputsQuery = `
  MATCH (a:Address {address: $address})<-[:LOCKED_BY]-(o:Output)<-[:OUTPUT]-(x:Tx)
  OPTIONAL MATCH (o)-[sp:SPENT_IN]->(s:Tx)
  WITH a, o, x, sp, s, ${chainKey('x')} AS k
  WHERE (NOT $unspent OR s IS NULL)
    AND ($k IS NULL OR k > $k OR (k = $k AND (x.txid > $txid OR (x.txid = $txid AND o.vout > $vout))))
  RETURN x.txid AS txid, o.vout AS vout, o.value AS value, o.scriptType AS scriptType, o.script AS script, ${addressText('a')} AS address,
         s.txid AS spender, sp.vin AS spenderVin, x.height AS height, x.time AS time, x.position AS position, k
  ORDER BY k, txid, vout LIMIT $limit`;

const missingQuery = `
  MATCH (m:MissingTx) WHERE $after IS NULL OR m.txid > $after
  RETURN m.txid AS txid ORDER BY m.txid LIMIT $limit`;

const headerColumns = 'b.hash AS hash, b.height AS height, b.version AS version, b.prevHash AS prevHash, b.merkleRoot AS merkleRoot, b.time AS time, b.bits AS bits, b.nonce AS nonce';

interface OutputRow {
  txid?: string;
  vout: unknown;
  value: unknown;
  scriptType: string;
  script: string;
  address: string | null;
  spender: string | null;
  spenderVin: unknown;
}

interface HeaderRow {
  hash: string;
  height: unknown;
  version: unknown;
  prevHash: string;
  merkleRoot: string;
  time: unknown;
  bits: unknown;
  nonce: unknown;
}

export async function getTransaction(tx: Tx, txid: string): Promise<StoredTx> {
  const id = normaliseTxid(txid);
  const [found] = await rows<{
    tx: Record<string, unknown>;
    coinjoin: string | null;
    outputs: OutputRow[];
    inputs: { value: unknown; scriptType: string | null; address: string | null }[];
  }>(tx, txQuery, { txid: id });
  if (!found) throw new NotFoundError('transaction', id, 'Ingest it first (chaintrail ingest), or check the txid.');
  const t = found.tx;
  const isCoinbase = t['isCoinbase'] === true;
  const outpoints = t['inOutpoints'] as string[];
  const sequences = t['inSequences'] as unknown[];
  const outputs = found.outputs.map((output) => toOutputRecord(output, id));
  const inputs = found.inputs.map((input, vin): InputRecord => {
    const resolved = !isCoinbase && input.value !== null;
    const prevout = parseOutpoint(outpoints[vin]!);
    return {
      vin,
      prevout: isCoinbase ? { txid: zeroTxid, vout: prevout.vout } : prevout,
      sequence: num(sequences[vin]),
      coinbase: isCoinbase,
      resolved,
      address: resolved ? input.address : null,
      value: resolved ? num(input.value) : null,
      scriptType: resolved ? (input.scriptType as ScriptType) : null,
    };
  });
  let fee: bigint | null = null;
  if (!isCoinbase && inputs.every((input) => input.resolved)) {
    fee = inputs.reduce((sum, input) => sum + BigInt(input.value!), 0n) - outputs.reduce((sum, output) => sum + BigInt(output.value), 0n);
  }
  const blockHash = strOrNull(t['blockHash']);
  return {
    txid: id,
    wtxid: strOrNull(t['wtxid']) ?? id,
    version: num(t['version']),
    locktime: num(t['locktime']),
    isCoinbase,
    hasWitness: t['hasWitness'] === true,
    size: num(t['size']),
    weight: num(t['weight']),
    vsize: num(t['vsize']),
    placement:
      blockHash === null
        ? null
        : { blockHash, blockHeight: num(t['height']), blockTime: num(t['time']), position: num(t['position']) },
    raw: t['raw'] as string,
    inputs,
    outputs,
    fee,
    coinjoin: found.coinjoin,
  };
}

/** Throws NotFoundError unless the address is stored (in an output or by clustering). */
export async function requireAddress(tx: Tx, address: string): Promise<{ entityId: string | null }> {
  const [found] = await rows<{ entityId: string | null }>(
    tx,
    `MATCH (a:Address {address: $address}) OPTIONAL MATCH (a)-[:IN_ENTITY]->(e:Entity) RETURN ${entityText('e')} AS entityId`,
    { address: indexKey(address) },
  );
  if (!found) throw new NotFoundError('address', address, 'It appears in no stored transaction; ingest it first, or check the spelling.');
  return found;
}

/** Script type of the address's earliest output in chain order; null when it has none. */
export async function addressScriptType(tx: Tx, address: string): Promise<ScriptType | null> {
  const [first] = await rows<{ scriptType: ScriptType }>(
    tx,
    `MATCH (:Address {address: $address})<-[:LOCKED_BY]-(o:Output)<-[:OUTPUT]-(x:Tx)
     RETURN o.scriptType AS scriptType ORDER BY ${chainKey('x')}, x.txid, o.vout LIMIT 1`,
    { address: indexKey(address) },
  );
  return first?.scriptType ?? null;
}

export async function memberTotals(tx: Tx, kind: MemberKind, member: string): Promise<MemberTotals> {
  const totals = await row<{
    received: unknown;
    sent: unknown;
    outputCount: unknown;
    unspentCount: unknown;
    txCount: unknown;
    firstSeen: Record<string, unknown> | null;
    lastSeen: Record<string, unknown> | null;
  }>(tx, totalsQueries[kind], { member: indexKey(member) });
  return {
    received: big(totals.received),
    sent: big(totals.sent),
    txCount: num(totals.txCount),
    outputCount: num(totals.outputCount),
    unspentCount: num(totals.unspentCount),
    firstSeen: toChainPoint(totals.firstSeen),
    lastSeen: toChainPoint(totals.lastSeen),
  };
}

export async function addressHistory(tx: Tx, address: string, query: HistoryQuery): Promise<Page<AddressTxEntry>> {
  const limit = checkLimit('address history', query.limit, maxPageLimit);
  const [k, txid] = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : [null, null];
  await requireAddress(tx, address);
  const found = await rows<{ txid: string; height: unknown; time: unknown; position: unknown; received: unknown; sent: unknown; k: unknown }>(
    tx,
    historyQueries[query.order ?? 'asc'],
    { address: indexKey(address), k: k === null ? null : int(k as number), txid, limit: int(limit + 1) },
  );
  const items = found.slice(0, limit).map(
    (entry): AddressTxEntry => ({
      txid: entry.txid,
      height: numOrNull(entry.height),
      time: numOrNull(entry.time),
      position: numOrNull(entry.position),
      received: big(entry.received),
      sent: big(entry.sent),
    }),
  );
  const last = found[limit - 1];
  return { items, nextCursor: found.length > limit && last ? encodeCursor([num(last.k), last.txid]) : null };
}

export async function addressOutputs(tx: Tx, address: string, query: AddressOutputsQuery): Promise<Page<AddressOutputRecord>> {
  const limit = checkLimit('address outputs', query.limit, maxPageLimit);
  const [k, txid, vout] = query.cursor ? decodeCursor(query.cursor, ['number', 'string', 'number']) : [null, null, null];
  await requireAddress(tx, address);
  const found = await rows<OutputRow & { txid: string; height: unknown; time: unknown; position: unknown; k: unknown }>(tx, outputsQuery, {
    address: indexKey(address),
    unspent: query.unspentOnly === true,
    k: k === null ? null : int(k as number),
    txid,
    vout: vout === null ? null : int(vout as number),
    limit: int(limit + 1),
  });
  const items = found.slice(0, limit).map(
    (output): AddressOutputRecord => ({
      ...toOutputRecord(output, output.txid),
      height: numOrNull(output.height),
      time: numOrNull(output.time),
      position: numOrNull(output.position),
    }),
  );
  const last = found[limit - 1];
  return { items, nextCursor: found.length > limit && last ? encodeCursor([num(last.k), last.txid, num(last.vout)]) : null };
}

export async function missingParents(tx: Tx, query: PageQuery): Promise<Page<string>> {
  const limit = checkLimit('missing parents', query.limit, maxPageLimit);
  const after = query.cursor ?? null;
  if (after !== null && !/^[0-9a-f]{64}$/.test(after)) throw new BadQueryError('page cursor', 'pass back the nextCursor of the previous page unchanged');
  const found = (await rows<{ txid: string }>(tx, missingQuery, { after, limit: int(limit + 1) })).map((r) => r.txid);
  const items = found.slice(0, limit);
  return { items, nextCursor: found.length > limit ? (items.at(-1) ?? null) : null };
}

export async function hasTransactions(tx: Tx, txids: readonly string[]): Promise<string[]> {
  const wanted = txids.map(normaliseTxid);
  const found = await rows<{ txid: string }>(tx, 'UNWIND $txids AS txid MATCH (t:Tx {txid: txid}) RETURN t.txid AS txid', {
    txids: [...new Set(wanted)],
  });
  const stored = new Set(found.map((r) => r.txid));
  return wanted.filter((txid) => stored.has(txid));
}

/** Checks headers before any transaction opens, so a bad one rejects the whole call. */
/** Headers as Cypher parameters; checks them first (record-checks.ts, as the SQLite store does). */
export function headerRows(headers: readonly BlockHeaderRecord[]): Record<string, unknown>[] {
  return headers.map((header) => {
    const h = checkBlockHeader(header);
    return {
      hash: h.hash.toLowerCase(),
      height: int(h.height),
      version: int(h.version),
      prevHash: h.prevHash.toLowerCase(),
      merkleRoot: h.merkleRoot.toLowerCase(),
      time: int(h.time),
      bits: int(h.bits),
      nonce: int(h.nonce),
    };
  });
}

/** A rewrite of a known hash updates only its height, as in the SQLite store. */
export const writeHeadersQuery = `
  UNWIND $headers AS h
  MERGE (b:Block {hash: h.hash})
  ON CREATE SET b.version = h.version, b.prevHash = h.prevHash, b.merkleRoot = h.merkleRoot, b.time = h.time, b.bits = h.bits, b.nonce = h.nonce
  SET b.height = h.height`;

export async function blockHeader(tx: Tx, hashOrHeight: string | number): Promise<BlockHeaderRecord> {
  const key = checkHeaderKey(hashOrHeight);
  const [found] =
    'height' in key
      ? await rows<HeaderRow>(tx, `MATCH (b:Block {height: $height}) RETURN ${headerColumns} ORDER BY b.hash LIMIT 1`, { height: int(key.height) })
      : await rows<HeaderRow>(tx, `MATCH (b:Block {hash: $hash}) RETURN ${headerColumns}`, { hash: key.hash });
  if (!found) throw new NotFoundError('block header', String(hashOrHeight), 'Ingest the block or its header first.');
  return toHeader(found);
}

/**
 * The best linking header (graph-store.ts defines "links"). The scan runs down the height
 * index from the top and stops at the first header that links.
 */
export async function chainTip(tx: Tx): Promise<BlockHeaderRecord | null> {
  const [found] = await rows<HeaderRow>(
    tx,
    `OPTIONAL MATCH (low:Block) WHERE low.height IS NOT NULL
     WITH low ORDER BY low.height LIMIT 1
     MATCH (b:Block) WHERE b.height IS NOT NULL
       AND (b.height = low.height OR EXISTS { MATCH (p:Block {hash: b.prevHash}) WHERE p.height = b.height - 1 })
     RETURN ${headerColumns} ORDER BY b.height DESC, b.hash LIMIT 1`,
  );
  return found ? toHeader(found) : null;
}

function toHeader(found: HeaderRow): BlockHeaderRecord {
  return {
    hash: found.hash,
    height: num(found.height),
    version: num(found.version),
    prevHash: found.prevHash,
    merkleRoot: found.merkleRoot,
    time: num(found.time),
    bits: num(found.bits),
    nonce: num(found.nonce),
  };
}

function toOutputRecord(output: OutputRow, txid: string): OutputRecord {
  return {
    txid,
    vout: num(output.vout),
    value: num(output.value),
    scriptType: output.scriptType as ScriptType,
    scriptPubKey: output.script,
    address: output.address,
    spentBy: output.spender === null ? null : { txid: output.spender, vin: num(output.spenderVin) },
  };
}

function toChainPoint(point: Record<string, unknown> | null): ChainPoint | null {
  if (point === null) return null;
  return { txid: point['txid'] as string, height: numOrNull(point['height']), time: numOrNull(point['time']) };
}

function parseOutpoint(outpoint: string): { txid: string; vout: number } {
  const colon = outpoint.lastIndexOf(':');
  return { txid: outpoint.slice(0, colon), vout: Number(outpoint.slice(colon + 1)) };
}

