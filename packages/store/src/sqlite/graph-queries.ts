/**
 * Neighbour expansion, hop expansion for path search, and entity flows over the SQLite
 * store, with the edge semantics documented on NeighbourQuery and PathQuery.
 */
import type Database from 'better-sqlite3';
import type { EntityFlow, Neighbour, NeighbourQuery, NeighbourResult, NodeRef } from '../graph-store.js';
import type { PathStep } from '../path-search.js';
import { compareNeighbours } from '../neighbour-order.js';
import { ioMask, ioShift } from './tx-key.js';

/** The members of an entity-level node: an entity's addresses, or one unclustered address. */
const members = {
  entity: { rows: 'SELECT id FROM addresses WHERE entity_id = @member', other: '(ca.entity_id IS NULL OR ca.entity_id <> @member)' },
  address: { rows: 'SELECT @member AS id', other: '(ca.entity_id IS NOT NULL OR ca.id <> @member)' },
} as const;
type MemberKind = keyof typeof members;

const counterparty = `CASE WHEN ca.entity_id IS NULL THEN 'address' ELSE 'entity' END AS node_kind, coalesce(ca.entity_id, ca.address) AS node_id`;
const timeWindow = '(@from IS NULL OR x.time >= @from) AND (@to IS NULL OR x.time <= @to)';
const orderings = {
  time: 'ORDER BY first_time IS NULL, first_time, node_id, node_kind',
  value: 'ORDER BY CAST(value AS INTEGER) DESC, node_id, node_kind',
} as const;

/** Payments out of a member set, per tx and receiving entity/unclustered address. */
const entityOutSql = (kind: MemberKind): string => `
  WITH spends AS (
    SELECT DISTINCT o.spent_by >> ${ioShift} AS t FROM (${members[kind].rows}) m JOIN outputs o ON o.address_id = m.id
    WHERE o.spent_by IS NOT NULL),
  carried AS (
    SELECT s.t, x.time, ${counterparty}, sum(o2.value) AS v
    FROM spends s JOIN txs x ON x.id = s.t
    JOIN outputs o2 ON o2.id BETWEEN s.t << ${ioShift} AND (s.t << ${ioShift}) + ${ioMask}
    JOIN addresses ca ON ca.id = o2.address_id
    WHERE ${members[kind].other} AND ${timeWindow}
    GROUP BY s.t, node_kind, node_id)`;

/** Payments into a member set, per tx and paying entity/unclustered address. */
const entityInSql = (kind: MemberKind): string => `
  WITH received AS (
    SELECT o.id >> ${ioShift} AS t, sum(o.value) AS v FROM (${members[kind].rows}) m JOIN outputs o ON o.address_id = m.id GROUP BY t),
  payers AS (
    SELECT DISTINCT r.t, ${counterparty}
    FROM received r JOIN inputs i ON i.id BETWEEN r.t << ${ioShift} AND (r.t << ${ioShift}) + ${ioMask}
    JOIN outputs po ON po.id = i.prev_output_id
    JOIN addresses ca ON ca.id = po.address_id
    WHERE ${members[kind].other}),
  carried AS (
    SELECT y.t, x.time, y.node_kind, y.node_id, r.v FROM payers y JOIN received r ON r.t = y.t JOIN txs x ON x.id = y.t WHERE ${timeWindow})`;

const aggregateCarried = `SELECT node_kind, node_id, CAST(sum(v) AS TEXT) AS value, count(*) AS tx_count, min(time) AS first_time, max(time) AS last_time
  FROM carried GROUP BY node_kind, node_id HAVING sum(v) >= @min`;

/** Address ↔ tx edges: txs paying the address ('in') and txs spending from it ('out'). */
const addressEdgesSql = (direction: 'in' | 'out'): string => `
  SELECT 'tx' AS node_kind, lower(hex(x.txid)) AS node_id, CAST(g.v AS TEXT) AS value, 1 AS tx_count, x.time AS first_time, x.time AS last_time
  FROM (SELECT ${direction === 'in' ? 'o.id' : 'o.spent_by'} >> ${ioShift} AS t, sum(o.value) AS v
        FROM outputs o WHERE o.address_id = @member ${direction === 'out' ? 'AND o.spent_by IS NOT NULL' : ''} GROUP BY t) g
  JOIN txs x ON x.id = g.t
  WHERE g.v >= @min AND ${timeWindow}`;

/** Tx ↔ address edges: input addresses ('in', resolved inputs only) and output addresses ('out'). */
const txEdgesSql = (direction: 'in' | 'out'): string =>
  direction === 'out'
    ? `SELECT 'address' AS node_kind, a.address AS node_id, CAST(sum(o.value) AS TEXT) AS value, 1 AS tx_count, x.time AS first_time, x.time AS last_time
       FROM txs x JOIN outputs o ON o.id BETWEEN x.id << ${ioShift} AND (x.id << ${ioShift}) + ${ioMask}
       JOIN addresses a ON a.id = o.address_id
       WHERE x.id = @member AND ${timeWindow} GROUP BY o.address_id HAVING sum(o.value) >= @min`
    : `SELECT 'address' AS node_kind, a.address AS node_id, CAST(sum(o.value) AS TEXT) AS value, 1 AS tx_count, x.time AS first_time, x.time AS last_time
       FROM txs x JOIN inputs i ON i.id BETWEEN x.id << ${ioShift} AND (x.id << ${ioShift}) + ${ioMask}
       JOIN outputs o ON o.id = i.prev_output_id
       JOIN addresses a ON a.id = o.address_id
       WHERE x.id = @member AND ${timeWindow} GROUP BY o.address_id HAVING sum(o.value) >= @min`;

interface EdgeRow {
  node_kind: 'address' | 'tx' | 'entity';
  node_id: string;
  value: string;
  tx_count: number;
  first_time: number | null;
  last_time: number | null;
}

type EdgeStatements = Record<'in' | 'out', Record<'time' | 'value', Database.Statement>>;

export class GraphQueries {
  private readonly edges: Record<'address' | 'tx' | 'entity', EdgeStatements>;
  private readonly entityHopStatements: Record<MemberKind, Record<'in' | 'out', Database.Statement>>;
  private readonly flowTotal: Database.Statement;
  private readonly flowTxids: Database.Statement;

  constructor(db: Database.Database) {
    const statements = (sql: (direction: 'in' | 'out') => string): EdgeStatements => {
      const both = (direction: 'in' | 'out'): Record<'time' | 'value', Database.Statement> => ({
        time: db.prepare(`SELECT * FROM (${sql(direction)}) ${orderings.time} LIMIT @limit`),
        value: db.prepare(`SELECT * FROM (${sql(direction)}) ${orderings.value} LIMIT @limit`),
      });
      return { in: both('in'), out: both('out') };
    };
    this.edges = {
      address: statements(addressEdgesSql),
      tx: statements(txEdgesSql),
      entity: statements((direction) => `${direction === 'out' ? entityOutSql('entity') : entityInSql('entity')} ${aggregateCarried}`),
    };
    const hops = (kind: MemberKind): Record<'in' | 'out', Database.Statement> => ({
      out: db.prepare(`${entityOutSql(kind)} ${aggregateCarried}`),
      in: db.prepare(`${entityInSql(kind)} ${aggregateCarried}`),
    });
    this.entityHopStatements = { entity: hops('entity'), address: hops('address') };
    this.flowTotal = db.prepare(
      `${entityOutSql('entity')} SELECT CAST(coalesce(sum(v), 0) AS TEXT) AS value, count(*) AS tx_count FROM carried WHERE node_kind = 'entity' AND node_id = @target`,
    );
    this.flowTxids = db.prepare(
      `${entityOutSql('entity')} SELECT lower(hex(x.txid)) FROM carried c JOIN txs x ON x.id = c.t WHERE c.node_kind = 'entity' AND c.node_id = @target
       ORDER BY coalesce(x.height, 999999999), coalesce(x.position, 0), x.txid LIMIT @limit`,
    ).pluck();
  }

  /** `member`: address id, tx id or entity id, already checked to exist. */
  neighbours(subject: NodeRef, member: number | string, query: NeighbourQuery, limit: number): NeighbourResult {
    const order = query.order ?? 'time';
    const params = {
      member,
      min: query.minValue ?? 0n,
      from: query.fromTime ?? null,
      to: query.toTime ?? null,
      limit: limit + 1,
    };
    const directions: ('in' | 'out')[] = query.direction === 'both' ? ['in', 'out'] : [query.direction];
    const found: Neighbour[] = [];
    for (const direction of directions) {
      for (const row of this.edges[subject.kind][direction][order].all(params) as EdgeRow[]) {
        found.push({
          node: { kind: row.node_kind, id: row.node_id },
          direction,
          value: BigInt(row.value),
          txCount: row.tx_count,
          firstTime: row.first_time,
          lastTime: row.last_time,
        });
      }
    }
    found.sort(compareNeighbours(order));
    return { subject, neighbours: found.slice(0, limit), truncated: found.length > limit };
  }

  /** Entity-level path hops from an entity, or from an unclustered address (by id). */
  entityHops(kind: MemberKind, member: number | string, direction: 'in' | 'out', minValue: bigint): PathStep[] {
    const rows = this.entityHopStatements[kind][direction].all({ member, min: minValue, from: null, to: null }) as EdgeRow[];
    return rows.map((row) => ({ node: { kind: row.node_kind, id: row.node_id }, direction, value: BigInt(row.value) }));
  }

  entityFlow(from: string, to: string, txLimit: number): EntityFlow {
    const params = { member: from, target: to, from: null, to: null };
    const total = this.flowTotal.get(params) as { value: string; tx_count: number };
    const txids = txLimit > 0 ? (this.flowTxids.all({ ...params, limit: txLimit }) as string[]) : [];
    return { from, to, value: BigInt(total.value), txCount: total.tx_count, txids };
  }
}
