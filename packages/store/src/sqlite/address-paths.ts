/**
 * Address-level shortest paths in SQLite (hop: address → tx → address). The search runs in
 * row ids, a whole frontier per query, and carries nothing but ids: an exchange hot wallet
 * can put tens of thousands of addresses in one frontier. Addresses, txids and hop values
 * are looked up only for the path found.
 */
import type Database from 'better-sqlite3';
import type { FlowDirection, GraphPath, NodeRef, PathHop } from '../graph-store.js';
import { bidirectionalShortestPath, type PathStep } from '../path-search.js';
import { ioMask, ioShift } from './tx-key.js';

type Hop = 'in' | 'out';
type Variant = 'any' | 'min';

/** Txs spending from each frontier address ('out') or paying it ('in'), as (src, t). */
const carrying = (direction: Hop, variant: Variant): string =>
  direction === 'out'
    ? `SELECT DISTINCT f.value AS src, o.spent_by >> ${ioShift} AS t FROM json_each(@ids) f JOIN outputs o ON o.address_id = f.value WHERE o.spent_by IS NOT NULL`
    : variant === 'any'
      ? `SELECT DISTINCT f.value AS src, o.id >> ${ioShift} AS t FROM json_each(@ids) f JOIN outputs o ON o.address_id = f.value`
      : `SELECT f.value AS src, o.id >> ${ioShift} AS t FROM json_each(@ids) f JOIN outputs o ON o.address_id = f.value GROUP BY src, t HAVING sum(o.value) >= @min`;

/** The other end of each carrying tx: its payees ('out') or its payers ('in'). */
const otherEnd = (direction: Hop): string =>
  direction === 'out'
    ? `JOIN outputs x ON x.id BETWEEN s.t << ${ioShift} AND (s.t << ${ioShift}) + ${ioMask}`
    : `JOIN inputs i ON i.id BETWEEN s.t << ${ioShift} AND (s.t << ${ioShift}) + ${ioMask} JOIN outputs x ON x.id = i.prev_output_id`;

const hopsSql = (direction: Hop, variant: Variant): string =>
  direction === 'out' && variant === 'min'
    ? `SELECT s.src, x.address_id AS dst, s.t FROM (${carrying(direction, variant)}) s ${otherEnd(direction)}
       WHERE x.address_id IS NOT NULL AND x.address_id <> s.src GROUP BY s.src, s.t, x.address_id HAVING sum(x.value) >= @min`
    : `SELECT DISTINCT s.src, x.address_id AS dst, s.t FROM (${carrying(direction, variant)}) s ${otherEnd(direction)}
       WHERE x.address_id IS NOT NULL AND x.address_id <> s.src`;

export class AddressPaths {
  private readonly hops: Record<Hop, Record<Variant, Database.Statement>>;
  private readonly fanOut: Record<Hop, Database.Statement>;
  private readonly addressId: Database.Statement;
  private readonly addressById: Database.Statement;
  private readonly txidById: Database.Statement;
  private readonly paidTo: Database.Statement;

  constructor(db: Database.Database) {
    const variants = (direction: Hop): Record<Variant, Database.Statement> => ({
      any: db.prepare(hopsSql(direction, 'any')),
      min: db.prepare(hopsSql(direction, 'min')),
    });
    this.hops = { in: variants('in'), out: variants('out') };
    const fanOut = (direction: Hop) => db.prepare(`SELECT count(*) FROM (${carrying(direction, 'any')}) s ${otherEnd(direction)}`).pluck();
    this.fanOut = { in: fanOut('in'), out: fanOut('out') };
    this.addressId = db.prepare('SELECT id FROM addresses WHERE address = ?').pluck();
    this.addressById = db.prepare('SELECT address FROM addresses WHERE id = ?').pluck();
    this.txidById = db.prepare('SELECT lower(hex(txid)) FROM txs WHERE id = ?').pluck();
    this.paidTo = db.prepare(
      `SELECT CAST(coalesce(sum(value), 0) AS TEXT) FROM outputs WHERE id BETWEEN @t << ${ioShift} AND (@t << ${ioShift}) + ${ioMask} AND address_id = @receiver`,
    ).pluck();
  }

  /** Both ends must be stored addresses (the caller has checked). */
  async shortestPath(from: string, to: string, options: { maxHops: number; direction: FlowDirection; maxVisited: number }, minValue: bigint): Promise<GraphPath | null> {
    const byId = (address: string): NodeRef => ({ kind: 'address', id: String(this.addressId.get(address)) });
    const directions = (direction: FlowDirection): Hop[] => (direction === 'both' ? ['in', 'out'] : [direction]);
    const hops = this.hops;
    const path = await bidirectionalShortestPath(byId(from), byId(to), options, {
      *expandFrontier(nodes, direction): Generator<readonly [number, PathStep]> {
        const ids = nodes.map((n) => Number(n.id));
        const index = new Map(ids.map((id, i) => [id, i]));
        for (const hop of directions(direction)) {
          const statement = hops[hop][minValue > 0n ? 'min' : 'any'];
          for (const row of statement.iterate({ ids: JSON.stringify(ids), min: minValue }) as Iterable<{ src: number; dst: number; t: number }>) {
            yield [index.get(row.src)!, { node: { kind: 'address', id: String(row.dst) }, direction: hop, txid: String(row.t), value: 0n }];
          }
        }
      },
      estimateCost: (nodes, direction) => {
        const ids = JSON.stringify(nodes.map((n) => Number(n.id)));
        return directions(direction).reduce((sum, hop) => sum + (this.fanOut[hop].get({ ids }) as number), 0);
      },
    });
    return path && this.named(path);
  }

  /** The path with addresses, txids and the value each hop paid its receiving address. */
  private named(path: GraphPath): GraphPath {
    const address = (node: NodeRef): NodeRef => ({ kind: 'address', id: this.addressById.get(Number(node.id)) as string });
    const hops = path.hops.map((hop): PathHop => {
      const receiver = hop.direction === 'out' ? hop.to : hop.from;
      const t = Number(hop.txid);
      return {
        from: address(hop.from),
        to: address(hop.to),
        direction: hop.direction,
        txid: this.txidById.get(t) as string,
        value: BigInt(this.paidTo.get({ t, receiver: Number(receiver.id) }) as string),
      };
    });
    return { nodes: path.nodes.map(address), hops };
  }
}
