/**
 * The graph of the exported scope, at address level: address → transaction (its resolved
 * inputs in it) and transaction → address (the outputs paying it), as the store models it
 * (DESIGN.md, "Model"). Each address carries its entity and first tag, so Gephi can
 * partition or colour by them.
 */
import type { CollectedEvidence } from './collect-evidence.js';
import type { BuiltTables } from './build-tables.js';
import { utc } from './build-tables.js';

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly kind: 'tx' | 'address';
  readonly entityId: string | null;
  readonly entityLabel: string | null;
  readonly tag: string | null;
  readonly seed: boolean;
  readonly height: number | null;
  readonly timeUtc: string | null;
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly kind: 'input' | 'output';
  /** Satoshis. */
  readonly value: bigint;
}

export interface EvidenceGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const txNode = (txid: string): string => `tx:${txid}`;
const addressNode = (address: string): string => `address:${address}`;

export function buildEvidenceGraph(evidence: CollectedEvidence, tables: BuiltTables): EvidenceGraph {
  const firstTag = new Map<string, string>();
  for (const t of evidence.tags) if (!firstTag.has(t.address)) firstTag.set(t.address, t.label);
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const address = (a: string): string => {
    const id = addressNode(a);
    if (!nodes.has(id)) {
      const entityId = evidence.entityOf.get(a) ?? null;
      const entityLabel = entityId === null ? null : (evidence.entities.get(entityId)?.entity.label ?? null);
      nodes.set(id, { id, label: a, kind: 'address', entityId, entityLabel, tag: firstTag.get(a) ?? null, seed: evidence.seeds.has(a), height: null, timeUtc: null });
    }
    return id;
  };
  for (const { tx, placement } of tables.order) {
    if (!evidence.txs.get(tx.txid)?.roles.has('scope')) continue;
    const id = txNode(tx.txid);
    nodes.set(id, { id, label: `${tx.txid.slice(0, 12)}…`, kind: 'tx', entityId: null, entityLabel: null, tag: null, seed: false, height: placement?.blockHeight ?? null, timeUtc: utc(placement?.blockTime ?? null) });
    const spent = new Map<string, bigint>();
    for (const input of tx.inputs) if (input.address !== null) spent.set(input.address, (spent.get(input.address) ?? 0n) + BigInt(input.value ?? 0));
    for (const [a, value] of spent) edges.push({ id: `e${edges.length}`, source: address(a), target: id, kind: 'input', value });
    const paid = new Map<string, bigint>();
    for (const output of tx.outputs) if (output.address !== null) paid.set(output.address, (paid.get(output.address) ?? 0n) + BigInt(output.value));
    for (const [a, value] of paid) edges.push({ id: `e${edges.length}`, source: id, target: address(a), kind: 'output', value });
  }
  return { nodes: [...nodes.values()], edges };
}
