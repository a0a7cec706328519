/**
 * The actions on a node, with their keyboard shortcuts: one list for the side panel, the
 * context menu, the shortcuts and the help.
 */
import type { NodeKind } from '../api/wire-types.js';
import type { GraphModel } from '../graph/graph-model.js';
import { refOfKey, type NodeKey } from '../graph/node-key.js';
import { collapseToEntity, expand, expandEntity, hide, togglePin, uncollapse } from '../state/graph-actions.js';
import type { ViewerContext } from '../state/viewer-context.js';

export interface NodeAction {
  readonly id: string;
  readonly label: string;
  /** What the key does, for the help; `key` is what KeyboardEvent.key reports. */
  readonly key: string;
  readonly kinds: readonly NodeKind[];
  readonly run: (ctx: ViewerContext, key: NodeKey) => void | Promise<void>;
  /** Hidden when this says no (e.g. "Expand entity" on an uncollapsed entity). */
  readonly when?: (model: GraphModel, key: NodeKey) => boolean;
}

const all: readonly NodeKind[] = ['address', 'tx', 'entity'];

export const NODE_ACTIONS: readonly NodeAction[] = [
  { id: 'back-1', label: 'Who paid in (1 hop back)', key: 'b', kinds: all, run: (ctx, key) => expand(ctx, key, 'in', 1) },
  { id: 'forward-1', label: 'Where it went (1 hop forward)', key: 'f', kinds: all, run: (ctx, key) => expand(ctx, key, 'out', 1) },
  { id: 'back-n', label: 'Back N hops (settings below)', key: 'B', kinds: all, run: (ctx, key) => expand(ctx, key, 'in') },
  { id: 'forward-n', label: 'Forward N hops (settings below)', key: 'F', kinds: all, run: (ctx, key) => expand(ctx, key, 'out') },
  { id: 'members', label: "Show the entity's addresses", key: 'e', kinds: ['address', 'entity'], run: (ctx, key) => expandEntity(ctx, key) },
  {
    id: 'collapse',
    label: 'Collapse into its entity',
    key: 'c',
    kinds: ['address'],
    run: (ctx, key) => collapseToEntity(ctx, key),
  },
  {
    id: 'uncollapse',
    label: 'Draw its addresses separately',
    key: 'x',
    kinds: ['entity'],
    run: (ctx, key) => uncollapse(ctx, refOfKey(key).id),
    when: (model, key) => model.collapsed.has(refOfKey(key).id),
  },
  { id: 'pin', label: 'Pin / unpin in place', key: 'p', kinds: all, run: (ctx, key) => togglePin(ctx, key) },
  { id: 'hide', label: 'Hide', key: 'h', kinds: all, run: (ctx, key) => hide(ctx, [key]) },
];

export function actionsFor(model: GraphModel, key: NodeKey): NodeAction[] {
  const kind = refOfKey(key).kind;
  return NODE_ACTIONS.filter((action) => action.kinds.includes(kind) && (action.when?.(model, key) ?? true));
}
