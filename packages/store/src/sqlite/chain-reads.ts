/**
 * Reads of chain data from the SQLite store: transactions with resolved inputs, address
 * and entity summaries, paged histories and outputs. Totals are computed at read time from
 * outputs and their `spent_by`, so they never depend on the order data was written in.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
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
import { checkHeaderKey } from '../record-checks.js';
import { ChunkedLookup } from './chunked-statements.js';
import { scriptTypeOf } from './script-type-codes.js';
import { ioMask, ioShift, ioSpan, txKey } from './tx-key.js';

const zeroTxid = '0'.repeat(64);
/** Sort key of a tx in chain order; unconfirmed ones sort after every block. */
const chainKey = `(coalesce(x.height, 999999999) * ${2 ** ioShift} + coalesce(x.position, 0))`;

/** Outputs of a set of members: one address (`@member` = address id) or an entity's. */
export const memberOutputs = {
  address: 'outputs o WHERE o.address_id = @member',
  entity: 'addresses m JOIN outputs o ON o.address_id = m.id WHERE m.entity_id = @member',
} as const;
export type MemberKind = keyof typeof memberOutputs;

export interface MemberTotals {
  readonly received: bigint;
  readonly sent: bigint;
  readonly txCount: number;
  readonly outputCount: number;
  readonly unspentCount: number;
  readonly firstSeen: ChainPoint | null;
  readonly lastSeen: ChainPoint | null;
}

interface TxRow {
  id: number;
  txid: Buffer;
  version: number;
  locktime: number;
  is_coinbase: number;
  has_witness: number;
  size: number;
  weight: number;
  vsize: number;
  block_hash: Buffer | null;
  height: number | null;
  time: number | null;
  position: number | null;
  raw: Buffer;
  coinjoin: string | null;
}

interface OutputRow {
  id: number;
  value: number;
  script_type: number;
  script: Buffer;
  address: string | null;
  spent_by: number | null;
  spender: Buffer | null;
}

export class ChainReads {
  private readonly txByTxid: Database.Statement;
  private readonly txOutputs: Database.Statement;
  private readonly txInputs: Database.Statement;
  private readonly addressRow: Database.Statement;
  private readonly totals: Record<MemberKind, Database.Statement>;
  private readonly txCount: Record<MemberKind, Database.Statement>;
  private readonly seen: Record<MemberKind, Database.Statement>;
  private readonly history: Record<'asc' | 'desc', Database.Statement>;
  private readonly outputsOf: Database.Statement;
  private readonly missing: Database.Statement;
  private readonly stored: ChunkedLookup<{ txid: Buffer }>;
  private readonly headerByHash: Database.Statement;
  private readonly headerByHeight: Database.Statement;
  private readonly tipHeight: Database.Statement;
  private readonly tipAt: Database.Statement;

  constructor(db: Database.Database) {
    this.txByTxid = db.prepare(
      `SELECT x.*, r.raw, cj.rule AS coinjoin FROM txs x JOIN tx_raw r ON r.id = x.id
       LEFT JOIN coinjoin_verdicts cj ON cj.txid = x.txid WHERE x.txkey = ? AND x.txid = ?`,
    );
    this.txOutputs = db.prepare(
      `SELECT o.id, o.value, o.script_type, o.script, a.address, o.spent_by, s.txid AS spender
       FROM outputs o LEFT JOIN addresses a ON a.id = o.address_id LEFT JOIN txs s ON s.id = o.spent_by >> ${ioShift}
       WHERE o.id BETWEEN ? AND ? ORDER BY o.id`,
    );
    this.txInputs = db.prepare(
      `SELECT i.id, coalesce(i.prev_txid, p.txid) AS prev_txid, i.prev_vout, i.sequence, o.value, o.script_type, a.address
       FROM inputs i LEFT JOIN txs p ON p.id = i.prev_output_id >> ${ioShift} LEFT JOIN outputs o ON o.id = i.prev_output_id
       LEFT JOIN addresses a ON a.id = o.address_id
       WHERE i.id BETWEEN ? AND ? ORDER BY i.id`,
    );
    this.addressRow = db.prepare('SELECT id, script_type, entity_id FROM addresses WHERE address = ?');
    const txSet = (kind: MemberKind): string =>
      `SELECT o.id >> ${ioShift} AS t FROM ${memberOutputs[kind]}
       UNION SELECT o.spent_by >> ${ioShift} FROM ${memberOutputs[kind]} AND o.spent_by IS NOT NULL`;
    const perKind = (build: (kind: MemberKind) => string): Record<MemberKind, Database.Statement> => ({
      address: db.prepare(build('address')),
      entity: db.prepare(build('entity')),
    });
    this.totals = perKind(
      (kind) => `SELECT CAST(coalesce(sum(o.value), 0) AS TEXT) AS received,
        CAST(coalesce(sum(CASE WHEN o.spent_by IS NOT NULL THEN o.value END), 0) AS TEXT) AS sent,
        count(*) AS outputs, count(*) - count(o.spent_by) AS unspent FROM ${memberOutputs[kind]}`,
    );
    this.txCount = perKind((kind) => `SELECT count(*) FROM (${txSet(kind)})`);
    this.seen = perKind(
      (kind) => `WITH c AS MATERIALIZED (
          SELECT x.txid, x.height, x.position, x.time FROM (${txSet(kind)}) t JOIN txs x ON x.id = t.t WHERE x.height IS NOT NULL)
        SELECT * FROM (SELECT lower(hex(txid)) AS txid, height, time FROM c ORDER BY height, position, txid LIMIT 1)
        UNION ALL
        SELECT * FROM (SELECT lower(hex(txid)) AS txid, height, time FROM c ORDER BY height DESC, position DESC, txid DESC LIMIT 1)`,
    );
    const historySql = (order: 'asc' | 'desc'): string => {
      const [cmp, dir] = order === 'asc' ? ['>', 'ASC'] : ['<', 'DESC'];
      return `WITH e AS (
          SELECT o.id >> ${ioShift} AS t, o.value AS r, 0 AS s FROM outputs o WHERE o.address_id = @member
          UNION ALL
          SELECT o.spent_by >> ${ioShift}, 0, o.value FROM outputs o WHERE o.address_id = @member AND o.spent_by IS NOT NULL),
        g AS (SELECT t, sum(r) AS r, sum(s) AS s FROM e GROUP BY t)
        SELECT * FROM (
          SELECT lower(hex(x.txid)) AS txid, x.height, x.time, x.position, CAST(g.r AS TEXT) AS received, CAST(g.s AS TEXT) AS sent,
            ${chainKey} AS k
          FROM g JOIN txs x ON x.id = g.t)
        WHERE @k IS NULL OR k ${cmp} @k OR (k = @k AND txid ${cmp} @txid)
        ORDER BY k ${dir}, txid ${dir} LIMIT @limit`;
    };
    this.history = { asc: db.prepare(historySql('asc')), desc: db.prepare(historySql('desc')) };
    this.outputsOf = db.prepare(
      `SELECT * FROM (
         SELECT o.id, o.value, o.script_type, o.script, @address AS address, o.spent_by, s.txid AS spender,
           lower(hex(x.txid)) AS txhex, x.height, x.time, x.position, ${chainKey} AS k
         FROM outputs o JOIN txs x ON x.id = o.id >> ${ioShift} LEFT JOIN txs s ON s.id = o.spent_by >> ${ioShift}
         WHERE o.address_id = @member AND (@unspent = 0 OR o.spent_by IS NULL))
       WHERE @k IS NULL OR (k, txhex, id & ${ioMask}) > (@k, @txid, @vout)
       ORDER BY k, txhex, id & ${ioMask} LIMIT @limit`,
    );
    this.missing = db.prepare(
      // `prev_txid > @after` with an empty blob for the first page: a range seek, never a rescan.
      'SELECT DISTINCT lower(hex(prev_txid)) FROM pending_spends WHERE prev_txid > @after ORDER BY prev_txid LIMIT @limit',
    ).pluck();
    this.stored = new ChunkedLookup(db, 'SELECT txid FROM txs WHERE txkey IN (?)');
    this.headerByHash = db.prepare('SELECT * FROM block_headers WHERE hash = ?');
    this.headerByHeight = db.prepare('SELECT * FROM block_headers WHERE height = ? ORDER BY hash LIMIT 1');
    // "Links" as graph-store.ts defines it for chainTip; the height scan walks the index
    // down from the top and stops at the first linking header.
    const links = `(h.height = (SELECT min(height) FROM block_headers)
      OR EXISTS (SELECT 1 FROM block_headers p WHERE p.hash = h.prev_hash AND p.height = h.height - 1))`;
    this.tipHeight = db.prepare(`SELECT h.height FROM block_headers h WHERE ${links} ORDER BY h.height DESC LIMIT 1`).pluck();
    this.tipAt = db.prepare(`SELECT h.* FROM block_headers h WHERE h.height = ? AND ${links} ORDER BY h.hash LIMIT 1`);
  }

  getTransaction(txid: string): StoredTx {
    const id = normaliseTxid(txid);
    const row = this.txByTxid.get(txKey(id), Buffer.from(id, 'hex')) as TxRow | undefined;
    if (!row) throw new NotFoundError('transaction', id, 'Ingest it first (chaintrail ingest), or check the txid.');
    const base = row.id * ioSpan;
    const outputs = (this.txOutputs.all(base, base + ioMask) as OutputRow[]).map((output) => toOutputRecord(output, id));
    const isCoinbase = row.is_coinbase === 1;
    const inputs = (this.txInputs.all(base, base + ioMask) as InputRow[]).map((input): InputRecord => {
      const resolved = input.value !== null;
      return {
        vin: input.id - base,
        prevout: { txid: input.prev_txid === null ? zeroTxid : input.prev_txid.toString('hex'), vout: input.prev_vout },
        sequence: input.sequence,
        coinbase: isCoinbase,
        resolved,
        address: resolved ? input.address : null,
        value: input.value,
        scriptType: input.script_type === null ? null : scriptTypeOf(input.script_type),
      };
    });
    let fee: bigint | null = null;
    if (!isCoinbase && inputs.every((input) => input.resolved)) {
      fee = inputs.reduce((sum, input) => sum + BigInt(input.value!), 0n) - outputs.reduce((sum, output) => sum + BigInt(output.value), 0n);
    }
    return {
      txid: id,
      wtxid: row.has_witness === 1 ? doubleSha256Display(row.raw) : id,
      version: row.version,
      locktime: row.locktime,
      isCoinbase,
      hasWitness: row.has_witness === 1,
      size: row.size,
      weight: row.weight,
      vsize: row.vsize,
      placement:
        row.block_hash === null
          ? null
          : { blockHash: row.block_hash.toString('hex'), blockHeight: row.height!, blockTime: row.time!, position: row.position! },
      raw: row.raw.toString('hex'),
      inputs,
      outputs,
      fee,
      coinjoin: row.coinjoin,
    };
  }

  /** The address's row, or NotFoundError. */
  address(address: string): { id: number; script_type: number | null; entity_id: string | null } {
    const row = this.addressRow.get(address) as { id: number; script_type: number | null; entity_id: string | null } | undefined;
    if (!row) throw new NotFoundError('address', address, 'It appears in no stored transaction; ingest it first, or check the spelling.');
    return row;
  }

  memberTotals(kind: MemberKind, member: number | string): MemberTotals {
    const totals = this.totals[kind].get({ member }) as { received: string; sent: string; outputs: number; unspent: number };
    const txCount = this.txCount[kind].pluck().get({ member }) as number;
    const seen = this.seen[kind].all({ member }) as ChainPoint[];
    return {
      received: BigInt(totals.received),
      sent: BigInt(totals.sent),
      txCount,
      outputCount: totals.outputs,
      unspentCount: totals.unspent,
      firstSeen: seen[0] ?? null,
      lastSeen: seen[1] ?? null,
    };
  }

  addressHistory(address: string, query: HistoryQuery): Page<AddressTxEntry> {
    const limit = checkLimit('address history', query.limit, maxPageLimit);
    const member = this.address(address).id;
    const [k, txid] = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : [null, null];
    const rows = this.history[query.order ?? 'asc'].all({ member, k, txid, limit: limit + 1 }) as (HistoryRow & { k: number })[];
    const items = rows.slice(0, limit).map(
      (row): AddressTxEntry => ({
        txid: row.txid,
        height: row.height,
        time: row.time,
        position: row.position,
        received: BigInt(row.received),
        sent: BigInt(row.sent),
      }),
    );
    const last = rows[limit - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.k, last.txid]) : null };
  }

  addressOutputs(address: string, query: AddressOutputsQuery): Page<AddressOutputRecord> {
    const limit = checkLimit('address outputs', query.limit, maxPageLimit);
    const member = this.address(address).id;
    const [k, txid, vout] = query.cursor ? decodeCursor(query.cursor, ['number', 'string', 'number']) : [null, null, null];
    const rows = this.outputsOf.all({ member, address, unspent: query.unspentOnly ? 1 : 0, k, txid, vout, limit: limit + 1 }) as (OutputRow & {
      txhex: string;
      height: number | null;
      time: number | null;
      position: number | null;
      k: number;
    })[];
    const items = rows.slice(0, limit).map((row): AddressOutputRecord => ({ ...toOutputRecord(row, row.txhex), height: row.height, time: row.time, position: row.position }));
    const last = rows[limit - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.k, last.txhex, last.id % ioSpan]) : null };
  }

  missingParents(query: PageQuery): Page<string> {
    const limit = checkLimit('missing parents', query.limit, maxPageLimit);
    const after = query.cursor ? Buffer.from(normaliseCursorTxid(query.cursor), 'hex') : Buffer.alloc(0);
    const rows = this.missing.all({ after, limit: limit + 1 }) as string[];
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? (items.at(-1) ?? null) : null };
  }

  hasTransactions(txids: readonly string[]): string[] {
    const wanted = txids.map(normaliseTxid);
    const found = new Set(this.stored.all([...new Set(wanted.map(txKey))]).map((row) => row.txid.toString('hex')));
    return wanted.filter((txid) => found.has(txid));
  }

  blockHeader(hashOrHeight: string | number): BlockHeaderRecord {
    const key = checkHeaderKey(hashOrHeight);
    const row = ('height' in key ? this.headerByHeight.get(key.height) : this.headerByHash.get(Buffer.from(key.hash, 'hex'))) as HeaderRow | undefined;
    if (!row) throw new NotFoundError('block header', String(hashOrHeight), 'Ingest the block or its header first.');
    return toHeader(row);
  }

  chainTip(): BlockHeaderRecord | null {
    const height = this.tipHeight.get() as number | undefined;
    if (height === undefined) return null;
    return toHeader(this.tipAt.get(height) as HeaderRow);
  }
}

function toHeader(row: HeaderRow): BlockHeaderRecord {
  return {
    hash: row.hash.toString('hex'),
    height: row.height,
    version: row.version,
    prevHash: row.prev_hash.toString('hex'),
    merkleRoot: row.merkle_root.toString('hex'),
    time: row.time,
    bits: row.bits,
    nonce: row.nonce,
  };
}

interface InputRow {
  id: number;
  prev_txid: Buffer | null;
  prev_vout: number;
  sequence: number;
  value: number | null;
  script_type: number | null;
  address: string | null;
}

interface HistoryRow {
  txid: string;
  height: number | null;
  time: number | null;
  position: number | null;
  received: string;
  sent: string;
}

interface HeaderRow {
  hash: Buffer;
  height: number;
  version: number;
  prev_hash: Buffer;
  merkle_root: Buffer;
  time: number;
  bits: number;
  nonce: number;
}

/** BIP141: the wtxid hashes the whole serialization, witness included; shown byte-reversed. */
function doubleSha256Display(bytes: Buffer): string {
  const once = createHash('sha256').update(bytes).digest();
  return createHash('sha256').update(once).digest().reverse().toString('hex');
}

function toOutputRecord(row: OutputRow, txid: string): OutputRecord {
  return {
    txid,
    vout: row.id % ioSpan,
    value: row.value,
    scriptType: scriptTypeOf(row.script_type),
    scriptPubKey: row.script.toString('hex'),
    address: row.address,
    spentBy: row.spent_by === null || row.spender === null ? null : { txid: row.spender.toString('hex'), vin: row.spent_by % ioSpan },
  };
}

function normaliseCursorTxid(cursor: string): string {
  if (!/^[0-9a-f]{64}$/.test(cursor)) throw new BadQueryError('page cursor', 'pass back the nextCursor of the previous page unchanged');
  return cursor;
}
