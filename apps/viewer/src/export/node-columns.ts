/** The facts exported for each drawn node and edge, in one place for CSV and GraphML. */
import { formatBtc } from '../graph/btc-amount.js';
import type { DisplayEdge, DisplayGraph, DisplayNode } from '../graph/graph-projection.js';
import type { NodeMark } from '../render/scene.js';

export interface ExportContext {
  readonly display: DisplayGraph;
  readonly positions: Float32Array;
  readonly annotations: ReadonlyMap<string, NodeMark & { readonly text: string }>;
}

export interface NodeRow {
  readonly key: string;
  readonly kind: string;
  readonly id: string;
  readonly label: string;
  readonly category: string;
  readonly entity: string;
  readonly collapsedAddresses: number;
  readonly note: string;
  readonly colour: string;
  readonly x: number;
  readonly y: number;
}

export interface EdgeRow {
  readonly source: string;
  readonly target: string;
  readonly kind: string;
  readonly valueSats: string;
  readonly valueBtc: string;
  readonly txCount: string;
  readonly firstTime: string;
  readonly lastTime: string;
}

export function nodeRows(context: ExportContext): NodeRow[] {
  return context.display.nodes.map((node: DisplayNode, i) => {
    const mark = context.annotations.get(node.key);
    return {
      key: node.key,
      kind: node.kind,
      id: node.id,
      label: node.node.label ?? '',
      category: node.category,
      entity: node.kind === 'address' ? (node.node.entityId ?? '') : '',
      collapsedAddresses: node.collapsedMembers,
      note: mark?.text ?? '',
      colour: mark?.colour ?? '',
      x: round(context.positions[i * 2] ?? 0),
      y: round(context.positions[i * 2 + 1] ?? 0),
    };
  });
}

export function edgeRows(context: ExportContext): EdgeRow[] {
  return context.display.edges.map((edge: DisplayEdge) => ({
    source: context.display.nodes[edge.source]!.key,
    target: context.display.nodes[edge.target]!.key,
    kind: edge.kind,
    valueSats: edge.kind === 'flow' ? edge.value.toString() : '',
    valueBtc: edge.kind === 'flow' ? formatBtc(edge.value) : '',
    txCount: edge.txCount === null ? '' : String(edge.txCount),
    firstTime: isoTime(edge.firstTime),
    lastTime: isoTime(edge.lastTime),
  }));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Block time as ISO 8601 UTC, '' when unknown. */
export function isoTime(unixSeconds: number | null): string {
  return unixSeconds === null ? '' : new Date(unixSeconds * 1000).toISOString().replace('.000Z', 'Z');
}
