import type { NodeKind, NodeRef } from '../api/wire-types.js';

/** `kind:id`, e.g. `address:1A1z...`, `tx:4a5e...`, `entity:E3ef...`; ids may hold colons (`script:<hash>`). */
export type NodeKey = string;

const KINDS: readonly NodeKind[] = ['address', 'tx', 'entity'];

export function nodeKey(ref: NodeRef): NodeKey {
  return `${ref.kind}:${ref.id}`;
}

export function refOfKey(key: NodeKey): NodeRef {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon) as NodeKind;
  if (colon < 1 || !KINDS.includes(kind)) throw new Error(`not a node key: ${JSON.stringify(key)}`);
  return { kind, id: key.slice(colon + 1) };
}

/** Money moves from `from` to `to`. */
export function edgeKey(from: NodeKey, to: NodeKey): string {
  return `${from}>${to}`;
}
