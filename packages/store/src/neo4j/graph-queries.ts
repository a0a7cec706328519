/**
 * Neighbour expansion, hop expansion for path search, and entity flows in Cypher, with the
 * edge semantics documented on NeighbourQuery and PathQuery (the same answers as the
 * SQLite store, which the contract suite checks).
 */
import type { EntityFlow, Neighbour, NeighbourQuery, NeighbourResult, NodeRef } from '../graph-store.js';
import type { PathStep } from '../path-search.js';
import { compareNeighbours } from '../neighbour-order.js';
import { addressText, entityText, indexKey } from './index-key.js';
import { row, rows, type Tx } from './neo4j-connection.js';
import { big, int, intOrNull, num, numOrNull } from './neo4j-values.js';

/**
 * An entity-level node: an entity's member addresses, or one unclustered address. Every
 * fragment carries `member` (the node's index key) from row to row, so one statement can
 * expand one node (`WITH $member AS member`) or a whole frontier (`UNWIND $members AS member`).
 */
const members = {
  entity: { match: 'MATCH (:Entity {id: member})<-[:IN_ENTITY]-(m:Address)', other: '(ce IS NULL OR ce.id <> member)' },
  address: { match: 'MATCH (m:Address {address: member})', other: '(ce IS NOT NULL OR ca.address <> member)' },
} as const;
type MemberKind = keyof typeof members;

const timeWindow = '($from IS NULL OR x.time >= $from) AND ($to IS NULL OR x.time <= $to)';
const counterparty = `CASE WHEN ce IS NULL THEN 'address' ELSE 'entity' END AS kind, CASE WHEN ce IS NULL THEN ${addressText('ca')} ELSE ${entityText('ce')} END AS nodeId`;

/** Rows (member, x, kind, nodeId, v): per tx spending from the members, its outputs to each counterparty. */
const carriedOut = (kind: MemberKind): string => `
  ${members[kind].match}
  MATCH (m)<-[:LOCKED_BY]-(:Output)-[:SPENT_IN]->(x:Tx)
  WITH DISTINCT member, x
  WHERE ${timeWindow}
  MATCH (x)-[:OUTPUT]->(o2:Output)-[:LOCKED_BY]->(ca:Address)
  OPTIONAL MATCH (ca)-[:IN_ENTITY]->(ce:Entity)
  WITH member, x, o2, ca, ce WHERE ${members[kind].other}
  WITH member, x, ${counterparty}, sum(o2.value) AS v`;

/** Rows (member, x, kind, nodeId, v): per tx paying the members, each paying counterparty, credited with what the members received. */
const carriedIn = (kind: MemberKind): string => `
  ${members[kind].match}
  MATCH (m)<-[:LOCKED_BY]-(o:Output)<-[:OUTPUT]-(x:Tx)
  WITH member, x, sum(o.value) AS v
  WHERE ${timeWindow}
  UNWIND x.inOutpoints AS op
  MATCH (po:Output {id: op})-[:LOCKED_BY]->(ca:Address)
  OPTIONAL MATCH (ca)-[:IN_ENTITY]->(ce:Entity)
  WITH member, x, v, ca, ce WHERE ${members[kind].other}
  WITH DISTINCT member, x, v, ${counterparty}`;

/** Edge bodies end in the columns (member, kind, id, value, txCount, firstTime, lastTime); callers add the RETURN. */
const aggregateCarried = `
  WITH member, kind, nodeId AS id, sum(v) AS value, count(*) AS txCount, min(x.time) AS firstTime, max(x.time) AS lastTime
  WHERE value >= $min`;

/** Address ↔ tx edges: txs paying the address ('in') and txs spending from it ('out'). */
const addressEdges = {
  in: `
    MATCH (:Address {address: member})<-[:LOCKED_BY]-(o:Output)<-[:OUTPUT]-(x:Tx)
    WITH x, sum(o.value) AS value
    WHERE value >= $min AND ${timeWindow}
    WITH 'tx' AS kind, x.txid AS id, value, 1 AS txCount, x.time AS firstTime, x.time AS lastTime`,
  out: `
    MATCH (:Address {address: member})<-[:LOCKED_BY]-(o:Output)-[:SPENT_IN]->(x:Tx)
    WITH x, sum(o.value) AS value
    WHERE value >= $min AND ${timeWindow}
    WITH 'tx' AS kind, x.txid AS id, value, 1 AS txCount, x.time AS firstTime, x.time AS lastTime`,
};

/** Tx ↔ address edges: input addresses ('in', resolved inputs only) and output addresses ('out'). */
const txEdges = {
  in: `
    MATCH (x:Tx {txid: member}) WHERE ${timeWindow}
    UNWIND x.inOutpoints AS op
    MATCH (o:Output {id: op})-[:LOCKED_BY]->(a:Address)
    WITH x, a, sum(o.value) AS value WHERE value >= $min
    WITH 'address' AS kind, ${addressText('a')} AS id, value, 1 AS txCount, x.time AS firstTime, x.time AS lastTime`,
  out: `
    MATCH (x:Tx {txid: member}) WHERE ${timeWindow}
    MATCH (x)-[:OUTPUT]->(o:Output)-[:LOCKED_BY]->(a:Address)
    WITH x, a, sum(o.value) AS value WHERE value >= $min
    WITH 'address' AS kind, ${addressText('a')} AS id, value, 1 AS txCount, x.time AS firstTime, x.time AS lastTime`,
};

const orderings = {
  time: 'ORDER BY firstTime, id, kind LIMIT $limit',
  value: 'ORDER BY value DESC, id, kind LIMIT $limit',
} as const;

type Edges = Record<'in' | 'out', string>;
const edgeBodies: Record<NodeRef['kind'], Edges> = {
  address: addressEdges,
  tx: txEdges,
  entity: { in: `${carriedIn('entity')} ${aggregateCarried}`, out: `${carriedOut('entity')} ${aggregateCarried}` },
};

/** A 'subject' row when the node is stored: a missing node is told from one without neighbours in the same round trip. */
const subjectExists: Record<NodeRef['kind'], string> = {
  address: 'MATCH (:Address {address: $member})',
  tx: 'MATCH (:Tx {txid: $member})',
  entity: 'MATCH (e:Entity {id: $member}) WHERE e.labelled OR EXISTS { (e)<-[:IN_ENTITY]-(:Address) }',
};

const edgeColumns = 'kind, id, value, txCount, firstTime, lastTime';

/** One statement per node kind and order: the existence row, then each wanted direction's edges, cut at $limit. */
const neighbourQuery = (kind: NodeRef['kind'], order: 'time' | 'value'): string => `
  CALL () {
    ${subjectExists[kind]}
    RETURN 'subject' AS dir, null AS kind, null AS id, null AS value, null AS txCount, null AS firstTime, null AS lastTime
    UNION ALL
    WITH $member AS member WHERE $in
    ${edgeBodies[kind].in}
    RETURN 'in' AS dir, ${edgeColumns} ${orderings[order]}
    UNION ALL
    WITH $member AS member WHERE $out
    ${edgeBodies[kind].out}
    RETURN 'out' AS dir, ${edgeColumns} ${orderings[order]}
  }
  RETURN dir, ${edgeColumns}`;

const neighbourQueries = Object.fromEntries(
  (['address', 'tx', 'entity'] as const).map((kind) => [kind, { time: neighbourQuery(kind, 'time'), value: neighbourQuery(kind, 'value') }]),
) as Record<NodeRef['kind'], Record<'time' | 'value', string>>;

/** One hop of an address-level path, for a frontier of addresses: address → tx → another address. */
const addressHopQueries = {
  out: `
    UNWIND $members AS member
    MATCH (a:Address {address: member})<-[:LOCKED_BY]-(:Output)-[:SPENT_IN]->(x:Tx)
    WITH DISTINCT member, a, x
    MATCH (x)-[:OUTPUT]->(o2:Output)-[:LOCKED_BY]->(a2:Address) WHERE a2 <> a
    WITH member, x, a2, sum(o2.value) AS value WHERE value >= $min
    RETURN member, ${addressText('a2')} AS id, x.txid AS txid, value`,
  in: `
    UNWIND $members AS member
    MATCH (a:Address {address: member})<-[:LOCKED_BY]-(o:Output)<-[:OUTPUT]-(x:Tx)
    WITH member, a, x, sum(o.value) AS value WHERE value >= $min
    UNWIND x.inOutpoints AS op
    MATCH (:Output {id: op})-[:LOCKED_BY]->(a2:Address) WHERE a2 <> a
    RETURN DISTINCT member, ${addressText('a2')} AS id, x.txid AS txid, value`,
};

const entityHop = (body: string): string => `UNWIND $members AS member ${body} ${aggregateCarried} RETURN member, kind, id, value`;
const entityHopQueries: Record<MemberKind, Edges> = {
  entity: { out: entityHop(carriedOut('entity')), in: entityHop(carriedIn('entity')) },
  address: { out: entityHop(carriedOut('address')), in: entityHop(carriedIn('address')) },
};

const flowQuery = `
  WITH $member AS member
  ${carriedOut('entity')}
  WITH x, kind, nodeId, v WHERE kind = 'entity' AND nodeId = $target
  WITH x, v ORDER BY coalesce(x.height, 999999999), coalesce(x.position, 0), x.txid
  WITH collect(x.txid) AS txids, sum(v) AS value, count(*) AS txCount
  RETURN value, txCount, txids[0..$txLimit] AS txids`;

interface EdgeRow {
  kind: 'address' | 'tx' | 'entity';
  id: string;
  value: unknown;
  txCount: unknown;
  firstTime: unknown;
  lastTime: unknown;
}

/** Null when the subject is not stored (the caller says which NotFoundError). */
export async function neighbours(tx: Tx, subject: NodeRef, query: NeighbourQuery, limit: number): Promise<NeighbourResult | null> {
  const order = query.order ?? 'time';
  const found = await rows<EdgeRow & { dir: 'subject' | 'in' | 'out' }>(tx, neighbourQueries[subject.kind][order], {
    member: subject.kind === 'tx' ? subject.id : indexKey(subject.id),
    min: query.minValue ?? 0n,
    from: intOrNull(query.fromTime),
    to: intOrNull(query.toTime),
    limit: int(limit + 1),
    in: query.direction !== 'out',
    out: query.direction !== 'in',
  });
  if (!found.some((edge) => edge.dir === 'subject')) return null;
  const edges: Neighbour[] = [];
  for (const edge of found) {
    if (edge.dir === 'subject') continue;
    edges.push({
      node: { kind: edge.kind, id: edge.id },
      direction: edge.dir,
      value: big(edge.value),
      txCount: num(edge.txCount),
      firstTime: numOrNull(edge.firstTime),
      lastTime: numOrNull(edge.lastTime),
    });
  }
  edges.sort(compareNeighbours(order));
  return { subject, neighbours: edges.slice(0, limit), truncated: edges.length > limit };
}

/** Hops out of each node of a frontier, keyed by the node's id: addresses, or entities and unclustered addresses. */
export async function frontierHops(tx: Tx, level: 'address' | 'entity', nodes: readonly NodeRef[], direction: 'in' | 'out', minValue: bigint): Promise<Map<string, PathStep[]>> {
  const hops = new Map<string, PathStep[]>(nodes.map((node) => [`${node.kind}:${node.id}`, []]));
  const keyOf = new Map(nodes.map((node) => [`${node.kind}:${indexKey(node.id)}`, `${node.kind}:${node.id}`]));
  const take = (kind: NodeRef['kind'], member: string, step: PathStep): void => {
    hops.get(keyOf.get(`${kind}:${member}`)!)!.push(step);
  };
  if (level === 'address') {
    const found = await rows<{ member: string; id: string; txid: string; value: unknown }>(tx, addressHopQueries[direction], {
      members: nodes.map((node) => indexKey(node.id)),
      min: minValue,
    });
    for (const hop of found) take('address', hop.member, { node: { kind: 'address', id: hop.id }, direction, txid: hop.txid, value: big(hop.value) });
    return hops;
  }
  for (const kind of ['entity', 'address'] as const) {
    const group = nodes.filter((node) => node.kind === kind);
    if (group.length === 0) continue;
    const found = await rows<EdgeRow & { member: string }>(tx, entityHopQueries[kind][direction], {
      members: group.map((node) => indexKey(node.id)),
      min: minValue,
      from: null,
      to: null,
    });
    for (const hop of found) take(kind, hop.member, { node: { kind: hop.kind, id: hop.id }, direction, value: big(hop.value) });
  }
  return hops;
}

export async function entityFlow(tx: Tx, from: string, to: string, txLimit: number): Promise<EntityFlow> {
  const total = await row<{ value: unknown; txCount: unknown; txids: string[] }>(tx, flowQuery, {
    member: indexKey(from),
    target: to,
    from: null,
    to: null,
    txLimit: int(txLimit),
  });
  return { from, to, value: big(total.value), txCount: num(total.txCount), txids: total.txids };
}
