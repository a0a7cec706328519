/**
 * What "the current view" means for an evidence bundle: every node the canvas draws, and
 * the addresses drawn as a collapsed entity (their transactions are what the figure
 * stands on), as `{ kind, id }` objects, the shape the API's evidence route looks for in a
 * view's state (packages/evidence view-scope.ts).
 */
import type { NodeRef } from '../api/wire-types.js';
import type { GraphModel } from '../graph/graph-model.js';
import type { NodeKey } from '../graph/node-key.js';

export const EVIDENCE_VIEW_FORMAT = 'chaintrail-viewer-evidence-scope';

export interface EvidenceViewState {
  readonly format: typeof EVIDENCE_VIEW_FORMAT;
  readonly nodes: NodeRef[];
}

/** Nodes drawn (by key) and the visible addresses drawn as one of them, in the model's order. */
export function evidenceViewState(model: GraphModel, drawn: ReadonlySet<NodeKey>): EvidenceViewState {
  const nodes: NodeRef[] = [];
  for (const node of model.nodes.values()) {
    if (node.hidden || !drawn.has(model.representative(node))) continue;
    nodes.push({ kind: node.kind, id: node.id });
  }
  return { format: EVIDENCE_VIEW_FORMAT, nodes };
}
