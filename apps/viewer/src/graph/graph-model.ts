/**
 * The investigation graph as the viewer holds it: every node and edge learned from the API,
 * with what the investigator did to them (hidden, pinned, collapsed into entities). It only
 * grows by facts; what is drawn is a projection of it (graph-projection.ts), so collapsing,
 * hiding and filtering never lose anything and can be undone exactly.
 *
 * Mutable on purpose: graphs of 20,000 nodes are updated many times a second while details
 * arrive, and copying them for each update would cost more than drawing them. `version`
 * counts changes so the UI knows when to project again.
 */
import type { NodeKind, NodeRef } from '../api/wire-types.js';
import type { FlowFact } from './flow-facts.js';
import { edgeKey, nodeKey, type NodeKey } from './node-key.js';

/** How a node came onto the canvas; seeds and search results stay when filters thin the graph. */
export type NodeOrigin = 'seed' | 'search' | 'expansion' | 'path' | 'member';

export interface GraphNode {
  readonly key: NodeKey;
  readonly kind: NodeKind;
  readonly id: string;
  origin: NodeOrigin;
  hidden: boolean;
  pinned: boolean;
  expandedIn: boolean;
  expandedOut: boolean;
  /** Address: its entity (null when unclustered); undefined until its summary is loaded. */
  entityId: string | null | undefined;
  /** Entity label, or the label of the address's tag. */
  label: string | null;
  /** Category text from the node's tags or its entity. */
  tagCategory: string | null;
  /** Transaction: the CoinJoin rule that flagged it. */
  coinjoin: string | null;
  /** Transaction: block time. */
  time: number | null;
  /** Entity: member addresses. */
  size: number | null;
  detailsLoaded: boolean;
  /** The node it was found from, to place it nearby. */
  near: NodeKey | null;
}

export type EdgeKind = 'flow' | 'member';

export interface GraphEdge {
  readonly key: string;
  readonly from: NodeKey;
  readonly to: NodeKey;
  /** 'flow': money from `from` to `to`; 'member': entity `from` holds address `to`. */
  readonly kind: EdgeKind;
  value: bigint;
  txCount: number | null;
  firstTime: number | null;
  lastTime: number | null;
}

export type NodeDetails = Partial<Pick<GraphNode, 'entityId' | 'label' | 'tagCategory' | 'coinjoin' | 'time' | 'size'>>;

const ANCHORS: ReadonlySet<NodeOrigin> = new Set(['seed', 'search']);

export class GraphModel {
  readonly nodes = new Map<NodeKey, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  /** Entities whose addresses are drawn as the entity. */
  readonly collapsed = new Set<string>();
  version = 0;

  get size(): number {
    return this.nodes.size;
  }

  node(key: NodeKey): GraphNode | undefined {
    return this.nodes.get(key);
  }

  /**
   * Adds a node, or returns the one there. A node the investigator asks for again (search,
   * seed) is shown again if hidden and becomes an anchor.
   */
  addNode(ref: NodeRef, origin: NodeOrigin, near: NodeKey | null = null): GraphNode {
    const key = nodeKey(ref);
    const existing = this.nodes.get(key);
    if (existing !== undefined) {
      if (ANCHORS.has(origin)) {
        if (!ANCHORS.has(existing.origin)) existing.origin = origin;
        existing.hidden = false;
      }
      this.version++;
      return existing;
    }
    const node: GraphNode = {
      key,
      kind: ref.kind,
      id: ref.id,
      origin,
      hidden: false,
      pinned: false,
      expandedIn: false,
      expandedOut: false,
      entityId: ref.kind === 'address' ? undefined : null,
      label: null,
      tagCategory: null,
      coinjoin: null,
      time: null,
      size: null,
      detailsLoaded: false,
      near,
    };
    this.nodes.set(key, node);
    this.version++;
    return node;
  }

  /**
   * Records flows, adding their end nodes next to `near`. The same flow learned twice (from
   * either end) is one edge holding the latest answer, never a sum. Returns the new nodes.
   */
  addFlows(facts: readonly FlowFact[], origin: NodeOrigin, near: NodeKey | null): NodeKey[] {
    const added: NodeKey[] = [];
    for (const fact of facts) {
      for (const ref of [fact.from, fact.to]) {
        const key = nodeKey(ref);
        if (!this.nodes.has(key)) {
          this.addNode(ref, origin, near);
          added.push(key);
        }
      }
      const from = nodeKey(fact.from);
      const to = nodeKey(fact.to);
      const key = edgeKey(from, to);
      const edge = this.edges.get(key);
      if (edge === undefined) {
        this.edges.set(key, { key, from, to, kind: 'flow', value: fact.value, txCount: fact.txCount, firstTime: fact.firstTime, lastTime: fact.lastTime });
      } else {
        edge.value = fact.value;
        edge.txCount = fact.txCount ?? edge.txCount;
        edge.firstTime = fact.firstTime ?? edge.firstTime;
        edge.lastTime = fact.lastTime ?? edge.lastTime;
      }
    }
    this.version++;
    return added;
  }

  /** Puts an entity's member addresses on the canvas, each tied to the entity. */
  addMembers(entityId: string, addresses: readonly string[]): NodeKey[] {
    const entityKey = nodeKey({ kind: 'entity', id: entityId });
    if (!this.nodes.has(entityKey)) this.addNode({ kind: 'entity', id: entityId }, 'member');
    this.collapsed.delete(entityId);
    const added: NodeKey[] = [];
    for (const address of addresses) {
      const key = nodeKey({ kind: 'address', id: address });
      let node = this.nodes.get(key);
      if (node === undefined) {
        node = this.addNode({ kind: 'address', id: address }, 'member', entityKey);
        added.push(key);
      }
      node.entityId = entityId;
      node.hidden = false;
      const key2 = edgeKey(entityKey, key);
      if (!this.edges.has(key2)) this.edges.set(key2, { key: key2, from: entityKey, to: key, kind: 'member', value: 0n, txCount: null, firstTime: null, lastTime: null });
    }
    this.version++;
    return added;
  }

  setDetails(key: NodeKey, details: NodeDetails): void {
    const node = this.nodes.get(key);
    if (node === undefined) return;
    Object.assign(node, details);
    node.detailsLoaded = true;
    this.version++;
  }

  markExpanded(key: NodeKey, direction: 'in' | 'out' | 'both'): void {
    const node = this.nodes.get(key);
    if (node === undefined) return;
    if (direction !== 'out') node.expandedIn = true;
    if (direction !== 'in') node.expandedOut = true;
    this.version++;
  }

  setHidden(keys: Iterable<NodeKey>, hidden: boolean): void {
    for (const key of keys) {
      const node = this.nodes.get(key);
      if (node !== undefined) node.hidden = hidden;
    }
    this.version++;
  }

  /** Shows every hidden node again; returns how many there were. */
  showAll(): number {
    let shown = 0;
    for (const node of this.nodes.values()) {
      if (node.hidden) {
        node.hidden = false;
        shown++;
      }
    }
    this.version++;
    return shown;
  }

  setPinned(key: NodeKey, pinned: boolean): void {
    const node = this.nodes.get(key);
    if (node === undefined) return;
    node.pinned = pinned;
    this.version++;
  }

  /**
   * Draws the entity's addresses as the entity. The entity node is added when missing, so
   * the caller loads its details.
   */
  collapse(entityId: string): GraphNode {
    const entity = this.addNode({ kind: 'entity', id: entityId }, 'expansion');
    entity.hidden = false;
    this.collapsed.add(entityId);
    this.version++;
    return entity;
  }

  uncollapse(entityId: string): void {
    this.collapsed.delete(entityId);
    this.version++;
  }

  /** The node a node is drawn as: its entity when collapsed, else itself. */
  representative(node: GraphNode): NodeKey {
    if (node.kind === 'address' && typeof node.entityId === 'string' && this.collapsed.has(node.entityId)) return `entity:${node.entityId}`;
    return node.key;
  }

  /** Addresses on the canvas that belong to the entity. */
  membersOf(entityId: string): GraphNode[] {
    return [...this.nodes.values()].filter((node) => node.kind === 'address' && node.entityId === entityId);
  }

  /** Nodes with an edge to or from `key`. */
  neighbourKeys(key: NodeKey): NodeKey[] {
    const found: NodeKey[] = [];
    for (const edge of this.edges.values()) {
      if (edge.from === key) found.push(edge.to);
      else if (edge.to === key) found.push(edge.from);
    }
    return found;
  }

  isAnchor(node: GraphNode): boolean {
    return ANCHORS.has(node.origin) || node.pinned;
  }
}
