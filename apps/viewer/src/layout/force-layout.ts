/**
 * The force-directed layout (d3-force: links as springs, many-body repulsion by
 * Barnes-Hut, a weak pull to the centre). Runs in the layout worker; the benchmark also
 * runs it on the main thread to show what the worker saves.
 */
import { forceLink, forceManyBody, forceSimulation, forceX, forceY, forceCollide, type Simulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import type { LayoutGraphInput } from './layout-protocol.js';

interface LayoutNode extends SimulationNodeDatum {
  key: string;
  kind: 'address' | 'tx' | 'entity';
}

type LayoutLink = SimulationLinkDatum<LayoutNode>;

/** Above this many nodes, collision (O(n log n) per tick, but a large constant) is left out. */
const COLLIDE_LIMIT = 3000;

export class ForceLayout {
  private nodes: LayoutNode[] = [];
  private byKey = new Map<string, LayoutNode>();
  private version = 0;
  private readonly simulation: Simulation<LayoutNode, LayoutLink>;

  constructor() {
    this.simulation = forceSimulation<LayoutNode, LayoutLink>([]).stop();
  }

  get graphVersion(): number {
    return this.version;
  }

  get alpha(): number {
    return this.simulation.alpha();
  }

  get running(): boolean {
    return this.nodes.length > 0 && this.simulation.alpha() > this.simulation.alphaMin();
  }

  setGraph(graph: LayoutGraphInput): void {
    const next: LayoutNode[] = [];
    const byKey = new Map<string, LayoutNode>();
    for (const input of graph.nodes) {
      let node = this.byKey.get(input.key);
      if (node === undefined || graph.exact) {
        node = { key: input.key, kind: input.kind, x: input.x, y: input.y, vx: 0, vy: 0 };
      }
      node.kind = input.kind;
      node.fx = input.fixed ? (node.x ?? input.x) : null;
      node.fy = input.fixed ? (node.y ?? input.y) : null;
      next.push(node);
      byKey.set(input.key, node);
    }
    const links: LayoutLink[] = [];
    const degree = new Uint32Array(graph.nodes.length);
    for (let i = 0; i + 1 < graph.links.length; i += 2) {
      links.push({ source: graph.links[i]!, target: graph.links[i + 1]! });
      degree[graph.links[i]!]!++;
      degree[graph.links[i + 1]!]!++;
    }
    this.nodes = next;
    this.byKey = byKey;
    this.version = graph.version;

    const count = next.length;
    const big = count > 5000;
    this.simulation
      .nodes(next)
      .force(
        'link',
        forceLink<LayoutNode, LayoutLink>(links)
          .id((_, i) => i)
          // Long enough that an amount in BTC fits along an edge at 1.5x zoom, and longer
          // around hubs, so the many neighbours of an exchange or a site spread on a wide ring.
          .distance((link) => {
            const source = link.source as LayoutNode;
            const target = link.target as LayoutNode;
            const base = source.kind === 'tx' || target.kind === 'tx' ? 55 : 80;
            const hub = Math.max(degree[source.index ?? 0] ?? 1, degree[target.index ?? 0] ?? 1);
            return base * (1 + Math.sqrt(hub) / 5);
          }),
      )
      .force('charge', forceManyBody<LayoutNode>().strength(big ? -40 : -80).theta(big ? 1.2 : 0.9).distanceMax(big ? 400 : 800))
      .force('x', forceX<LayoutNode>(0).strength(0.02))
      .force('y', forceY<LayoutNode>(0).strength(0.02))
      .force('collide', count <= COLLIDE_LIMIT ? forceCollide<LayoutNode>((node) => (node.kind === 'entity' ? 22 : 12)) : null)
      // Big graphs settle in fewer, costlier ticks; small ones take the default ~300.
      .alphaDecay(big ? 0.06 : count > 1500 ? 0.035 : 0.0228)
      .velocityDecay(0.45);
    this.simulation.alpha(graph.exact ? 0 : Math.max(this.simulation.alpha(), graph.alpha));
  }

  tick(): void {
    if (this.running) this.simulation.tick();
  }

  fix(key: string, x: number, y: number): void {
    const node = this.byKey.get(key);
    if (node === undefined) return;
    node.fx = x;
    node.fy = y;
    node.x = x;
    node.y = y;
  }

  release(key: string): void {
    const node = this.byKey.get(key);
    if (node === undefined) return;
    node.fx = null;
    node.fy = null;
  }

  reheat(alpha: number): void {
    this.simulation.alpha(Math.max(this.simulation.alpha(), alpha));
  }

  stop(): void {
    this.simulation.alpha(0);
  }

  /** x0, y0, x1, y1, ... in graph order. */
  positions(): Float32Array {
    const out = new Float32Array(this.nodes.length * 2);
    this.nodes.forEach((node, i) => {
      out[i * 2] = node.x ?? 0;
      out[i * 2 + 1] = node.y ?? 0;
    });
    return out;
  }
}
