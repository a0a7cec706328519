/**
 * The live canvas: positions from the layout, pan and zoom (d3-zoom), node dragging, hit
 * testing, and drawing on animation frames only when something changed. React mounts it
 * and hands it scenes; nothing per frame goes through React.
 */
import { select, type Selection } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import type { DisplayGraph } from '../graph/graph-projection.js';
import type { NodeKey } from '../graph/node-key.js';
import { placeFree, placeNear } from '../layout/initial-placement.js';
import type { LayoutRunner } from '../layout/layout-runner.js';
import { drawScene, type DrawStats } from './canvas-renderer.js';
import { BACKGROUND, nodeRadius } from './graph-style.js';
import { NodeHitTester } from './hit-test.js';
import { fitTransform, NO_MARKS, type Scene, type SceneMarks, type ViewTransform, type Viewport } from './scene.js';

export interface CanvasCallbacks {
  onSelect(key: NodeKey | null, additive: boolean): void;
  onHover(key: NodeKey | null, clientX: number, clientY: number): void;
  onContextMenu(key: NodeKey, clientX: number, clientY: number): void;
}

export interface SceneUpdate {
  readonly display: DisplayGraph;
  readonly marks: SceneMarks;
  /** Take these positions and this zoom exactly, and keep the layout still (a saved view). */
  readonly exact?: { readonly positions: ReadonlyMap<NodeKey, readonly [number, number]>; readonly transform: ViewTransform };
}

export interface CanvasStats {
  /** Frames put on screen: full draws and quick redraws from the cached frame. */
  framesDrawn: number;
  fullDraws: number;
  lastDrawMs: number;
  layoutRunning: boolean;
  layoutTickMs: number;
  positionUpdates: number;
  lastDraw: DrawStats | null;
  /** Milliseconds per phase of the last full draw. */
  lastPhases: Record<string, number>;
}

/** CSS pixels drawn beyond each edge of the view, so a pan shows graph rather than blank at once. */
const CACHE_MARGIN = 64;
/** Graphs larger than this are drawn in draft while their layout moves (canvas-renderer DrawOptions.draft). */
const DRAFT_ABOVE = 1500;

const EMPTY_DISPLAY: DisplayGraph = { nodes: [], edges: [], index: new Map(), filteredOut: { nodes: 0, edges: 0 }, hiddenNodes: 0 };

export class CanvasView {
  private display: DisplayGraph = EMPTY_DISPLAY;
  private positions: Float32Array = new Float32Array(0);
  private marks: SceneMarks = NO_MARKS;
  private hover: NodeKey | null = null;
  private version = 0;
  /** Where every node ever drawn was last, so a node shown again returns to its place. */
  private readonly remembered = new Map<NodeKey, [number, number]>();
  private transform: ViewTransform = { x: 0, y: 0, k: 1 };
  private width = 0;
  private height = 0;
  private dpr = 1;
  private frame: number | null = null;
  private readonly hits = new NodeHitTester();
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly canvasSelection: Selection<HTMLCanvasElement, unknown, null, undefined>;
  private drag: { key: NodeKey; index: number; startX: number; startY: number; moved: boolean; pinned: boolean } | null = null;
  private press: { x: number; y: number } | null = null;
  /** Fit the view once the layout settles (after nodes were added and the user has not moved the view). */
  private fitWhenSettled = false;
  private freeOrdinal = 0;
  /**
   * The last full frame, drawn with a margin around the view: while the user pans and zooms,
   * frames between full draws move and scale this picture instead of drawing every node again.
   */
  private readonly cache: HTMLCanvasElement = document.createElement('canvas');
  private cached: { transform: ViewTransform; width: number; height: number } | null = null;
  /** Something other than the transform changed since the cached frame. */
  private stale = true;
  private lastInteraction = -Infinity;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFullAt = -Infinity;
  /** Milliseconds a full frame takes, smoothed. */
  private fullCost = 0;
  readonly stats: CanvasStats = { framesDrawn: 0, fullDraws: 0, lastDrawMs: 0, layoutRunning: false, layoutTickMs: 0, positionUpdates: 0, lastDraw: null, lastPhases: {} };

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly layout: LayoutRunner,
    private readonly callbacks: CanvasCallbacks,
  ) {
    layout.onPositions((message) => {
      if (message.version !== this.version || message.positions.length !== this.display.nodes.length * 2) return;
      this.positions = message.positions;
      if (this.drag !== null) {
        this.positions[this.drag.index * 2] = this.drag.startX;
        this.positions[this.drag.index * 2 + 1] = this.drag.startY;
      }
      this.stats.layoutRunning = message.running;
      this.stats.layoutTickMs = message.tickMs;
      this.stats.positionUpdates++;
      this.stale = true;
      if (!message.running && this.fitWhenSettled) {
        this.fitWhenSettled = false;
        if (this.someOutOfView() || this.drawnSmall()) this.fit(2);
      }
      this.requestDraw();
    });
    this.canvasSelection = select(canvas);
    this.zoomBehavior = d3zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.02, 8])
      .filter((event: MouseEvent | WheelEvent) => (!event.ctrlKey || event.type === 'wheel') && event.button === 0 && (event.type === 'wheel' || this.nodeAtEvent(event) === null))
      .on('zoom', (event: D3ZoomEvent<HTMLCanvasElement, unknown>) => {
        this.transform = { x: event.transform.x, y: event.transform.y, k: event.transform.k };
        if (event.sourceEvent !== null) {
          this.fitWhenSettled = false;
          this.lastInteraction = performance.now();
        }
        this.requestDraw();
      });
    this.canvasSelection.call(this.zoomBehavior).on('dblclick.zoom', null);
    canvas.addEventListener('pointerdown', this.onPointerDown);
    canvas.addEventListener('pointermove', this.onPointerMove);
    canvas.addEventListener('pointerup', this.onPointerUp);
    canvas.addEventListener('pointerleave', this.onPointerLeave);
    canvas.addEventListener('contextmenu', this.onContextMenu);
  }

  dispose(): void {
    if (this.frame !== null) cancelAnimationFrame(this.frame);
    if (this.settleTimer !== null) clearTimeout(this.settleTimer);
    this.canvasSelection.on('.zoom', null);
    this.canvas.removeEventListener('pointerdown', this.onPointerDown);
    this.canvas.removeEventListener('pointermove', this.onPointerMove);
    this.canvas.removeEventListener('pointerup', this.onPointerUp);
    this.canvas.removeEventListener('pointerleave', this.onPointerLeave);
    this.canvas.removeEventListener('contextmenu', this.onContextMenu);
    this.layout.dispose();
  }

  resize(width: number, height: number, dpr: number): void {
    const first = this.width === 0;
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    this.stale = true;
    if (first) this.setTransform({ x: width / 2, y: height / 2, k: 1 });
    this.requestDraw();
  }

  /** A new graph to draw: known nodes keep their place, new ones start next to where they came from. */
  setScene(update: SceneUpdate): void {
    const previous = this.display;
    const oldPositions = this.positions;
    previous.nodes.forEach((node, i) => this.remembered.set(node.key, [oldPositions[i * 2]!, oldPositions[i * 2 + 1]!]));
    const { display } = update;
    const positions = new Float32Array(display.nodes.length * 2);
    let added = 0;
    const placed = new Uint8Array(display.nodes.length);
    display.nodes.forEach((node, i) => {
      const known = update.exact?.positions.get(node.key) ?? this.remembered.get(node.key);
      if (known !== undefined) {
        positions[i * 2] = known[0];
        positions[i * 2 + 1] = known[1];
        placed[i] = 1;
      }
    });
    // New nodes go next to the node they were found from (or any neighbour already placed).
    const neighbour = new Map<number, number>();
    for (const edge of display.edges) {
      if (placed[edge.source] === 1 && placed[edge.target] !== 1) neighbour.set(edge.target, edge.source);
      if (placed[edge.target] === 1 && placed[edge.source] !== 1) neighbour.set(edge.source, edge.target);
    }
    display.nodes.forEach((node, i) => {
      if (placed[i] === 1) return;
      added++;
      const nearIndex = (node.node.near !== null ? display.index.get(node.node.near) : undefined) ?? neighbour.get(i);
      const [x, y] =
        nearIndex !== undefined && placed[nearIndex] === 1
          ? placeNear(node.key, positions[nearIndex * 2]!, positions[nearIndex * 2 + 1]!)
          : placeFree(this.freeOrdinal++);
      positions[i * 2] = x;
      positions[i * 2 + 1] = y;
      placed[i] = 1;
    });
    const links = new Uint32Array(display.edges.length * 2);
    display.edges.forEach((edge, i) => {
      links[i * 2] = edge.source;
      links[i * 2 + 1] = edge.target;
    });
    this.version++;
    this.display = display;
    this.positions = positions;
    this.marks = update.marks;
    this.stale = true;
    if (this.drag !== null) this.drag = null;
    const exact = update.exact !== undefined;
    const alpha = exact || added === 0 ? 0 : Math.min(0.7, 0.2 + added / Math.max(1, display.nodes.length));
    this.layout.send({
      type: 'graph',
      graph: {
        version: this.version,
        nodes: display.nodes.map((node, i) => ({ key: node.key, kind: node.kind, x: positions[i * 2]!, y: positions[i * 2 + 1]!, fixed: node.node.pinned })),
        links,
        exact,
        alpha,
      },
    });
    if (update.exact !== undefined) this.setTransform(update.exact.transform);
    else if (previous.nodes.length === 0 && display.nodes.length > 0) this.centreOnIndex(0);
    if (added > 0 && !exact) this.fitWhenSettled = true;
    this.requestDraw();
  }

  setMarks(marks: SceneMarks): void {
    this.marks = marks;
    this.stale = true;
    this.requestDraw();
  }

  scene(): Scene {
    return { display: this.display, positions: this.positions, marks: this.hover === null ? this.marks : { ...this.marks, hover: this.hover } };
  }

  viewport(): Viewport {
    return { width: this.width, height: this.height, dpr: this.dpr, transform: this.transform };
  }

  positionsByKey(): Map<NodeKey, [number, number]> {
    const out = new Map<NodeKey, [number, number]>();
    this.display.nodes.forEach((node, i) => out.set(node.key, [this.positions[i * 2]!, this.positions[i * 2 + 1]!]));
    return out;
  }

  /** `interactive`: the user is moving the view, so quick frames from the cached one will do. */
  setTransform(transform: ViewTransform, interactive = false): void {
    if (interactive) this.lastInteraction = performance.now();
    this.transform = transform;
    this.canvasSelection.call((selection) => this.zoomBehavior.transform(selection, zoomIdentity.translate(transform.x, transform.y).scale(transform.k)));
    this.requestDraw();
  }

  fit(maxScale = 2.5): void {
    this.setTransform(fitTransform(this.positions, this.width, this.height, 48, maxScale));
  }

  centreOn(key: NodeKey): void {
    const index = this.display.index.get(key);
    if (index !== undefined) this.centreOnIndex(index);
  }

  /** Where a node is drawn, in the page's client coordinates (for tests and tooltips). */
  clientPositionOf(key: NodeKey): { x: number; y: number } | null {
    const index = this.display.index.get(key);
    if (index === undefined) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + this.positions[index * 2]! * this.transform.k + this.transform.x, y: rect.top + this.positions[index * 2 + 1]! * this.transform.k + this.transform.y };
  }

  /** Stops the layout where it is. */
  stopLayout(): void {
    this.layout.send({ type: 'stop' });
  }

  reheat(): void {
    this.layout.send({ type: 'reheat', alpha: 0.5 });
  }

  /** Puts a frame on screen now, as the next animation frame would (the benchmark drives frames this way). */
  renderFrame(): void {
    if (this.frame !== null) {
      cancelAnimationFrame(this.frame);
      this.frame = null;
    }
    this.draw();
  }

  requestDraw(): void {
    if (this.frame === null) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = null;
    const context = this.canvas.getContext('2d');
    if (context === null || this.width === 0) return;
    const now = performance.now();
    const cached = this.cached;
    const moved = cached === null || cached.transform.x !== this.transform.x || cached.transform.y !== this.transform.y || cached.transform.k !== this.transform.k;
    if (!this.stale && !moved) return;
    const interacting = now - this.lastInteraction < 150;
    const ratio = cached === null ? 0 : this.transform.k / cached.transform.k;
    const cacheFits = cached !== null && cached.width === this.width && cached.height === this.height && ratio > 0.5 && ratio < 2;
    // While the user moves the view, full frames come only as often as they can be afforded.
    if (interacting && cached !== null && cacheFits && (!this.stale || now - this.lastFullAt < Math.max(40, this.fullCost * 3))) {
      this.blit(context, cached.transform);
      this.stats.framesDrawn++;
      // A full frame once the user stops moving the view (or its turn comes while a layout runs).
      if (this.settleTimer === null) {
        this.settleTimer = setTimeout(() => {
          this.settleTimer = null;
          this.requestDraw();
        }, 160);
      }
      return;
    }
    this.drawFull(context);
    const cost = performance.now() - now;
    this.fullCost = this.fullCost === 0 ? cost : this.fullCost * 0.7 + cost * 0.3;
    this.lastFullAt = now;
    this.stats.lastDrawMs = cost;
    this.stats.framesDrawn++;
    this.stats.fullDraws++;
  }

  /** Draws everything into the cache (the view plus a margin) and shows it. */
  private drawFull(context: CanvasRenderingContext2D): void {
    const margin = CACHE_MARGIN;
    const cache = this.cache;
    const width = Math.round((this.width + margin * 2) * this.dpr);
    const height = Math.round((this.height + margin * 2) * this.dpr);
    if (cache.width !== width || cache.height !== height) {
      cache.width = width;
      cache.height = height;
    }
    const cacheContext = cache.getContext('2d');
    if (cacheContext === null) return;
    const transform = { x: this.transform.x + margin, y: this.transform.y + margin, k: this.transform.k };
    const phases: Record<string, number> = {};
    const draft = this.stats.layoutRunning && this.display.nodes.length > DRAFT_ABOVE;
    this.stats.lastDraw = drawScene(cacheContext, this.scene(), { width: this.width + margin * 2, height: this.height + margin * 2, dpr: this.dpr, transform }, { timings: phases, draft });
    this.stats.lastPhases = phases;
    this.cached = { transform: this.transform, width: this.width, height: this.height };
    this.stale = false;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.drawImage(cache, -margin * this.dpr, -margin * this.dpr);
  }

  /** The cached frame, moved and scaled to the current transform. */
  private blit(context: CanvasRenderingContext2D, from: ViewTransform): void {
    const scale = this.transform.k / from.k;
    const margin = CACHE_MARGIN;
    context.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    context.fillStyle = BACKGROUND;
    context.fillRect(0, 0, this.width, this.height);
    const dx = this.transform.x - (from.x + margin) * scale;
    const dy = this.transform.y - (from.y + margin) * scale;
    context.drawImage(this.cache, dx, dy, (this.cache.width / this.dpr) * scale, (this.cache.height / this.dpr) * scale);
  }

  private centreOnIndex(index: number): void {
    const k = Math.max(this.transform.k, 1);
    this.setTransform({ k, x: this.width / 2 - this.positions[index * 2]! * k, y: this.height / 2 - this.positions[index * 2 + 1]! * k });
  }

  private someOutOfView(): boolean {
    const { x, y, k } = this.transform;
    for (let i = 0; i < this.positions.length; i += 2) {
      const sx = this.positions[i]! * k + x;
      const sy = this.positions[i + 1]! * k + y;
      if (sx < 10 || sy < 10 || sx > this.width - 10 || sy > this.height - 10) return true;
    }
    return false;
  }

  /** The graph covers less than a third of the view's width and height: zoom in to read it. */
  private drawnSmall(): boolean {
    const fit = fitTransform(this.positions, this.width, this.height, 48, 2);
    return fit.k > this.transform.k * 1.5;
  }

  private worldOf(event: { clientX: number; clientY: number }): [number, number] {
    const rect = this.canvas.getBoundingClientRect();
    return [(event.clientX - rect.left - this.transform.x) / this.transform.k, (event.clientY - rect.top - this.transform.y) / this.transform.k];
  }

  private nodeAtEvent(event: { clientX: number; clientY: number }): number | null {
    if (this.display.nodes.length === 0) return null;
    const [x, y] = this.worldOf(event);
    const index = this.hits.find(this.positions, x, y, Math.max(24, 8 / this.transform.k));
    if (index === null) return null;
    const node = this.display.nodes[index]!;
    const reach = nodeRadius(node.kind, node.node.size) + 4 / this.transform.k;
    return Math.hypot(this.positions[index * 2]! - x, this.positions[index * 2 + 1]! - y) <= reach ? index : null;
  }

  private readonly onPointerDown = (event: PointerEvent): void => {
    if (event.button !== 0) return;
    const index = this.nodeAtEvent(event);
    if (index === null) {
      this.press = { x: event.clientX, y: event.clientY };
      return;
    }
    const node = this.display.nodes[index]!;
    this.canvas.setPointerCapture(event.pointerId);
    this.drag = { key: node.key, index, startX: this.positions[index * 2]!, startY: this.positions[index * 2 + 1]!, moved: false, pinned: node.node.pinned };
    this.press = { x: event.clientX, y: event.clientY };
  };

  private readonly onPointerMove = (event: PointerEvent): void => {
    if (this.drag !== null && this.press !== null) {
      if (!this.drag.moved && Math.hypot(event.clientX - this.press.x, event.clientY - this.press.y) < 4) return;
      this.drag.moved = true;
      const [x, y] = this.worldOf(event);
      this.drag.startX = x;
      this.drag.startY = y;
      this.positions[this.drag.index * 2] = x;
      this.positions[this.drag.index * 2 + 1] = y;
      this.layout.send({ type: 'fix', key: this.drag.key, x, y });
      this.stale = true;
      this.requestDraw();
      return;
    }
    const index = this.nodeAtEvent(event);
    const key = index === null ? null : this.display.nodes[index]!.key;
    if (key !== this.hover) {
      this.hover = key;
      this.stale = true;
      this.requestDraw();
    }
    this.canvas.style.cursor = key === null ? 'grab' : 'pointer';
    this.callbacks.onHover(key, event.clientX, event.clientY);
  };

  private readonly onPointerUp = (event: PointerEvent): void => {
    const drag = this.drag;
    const press = this.press;
    this.drag = null;
    this.press = null;
    if (drag !== null) {
      if (this.canvas.hasPointerCapture(event.pointerId)) this.canvas.releasePointerCapture(event.pointerId);
      if (drag.moved) {
        if (!drag.pinned) this.layout.send({ type: 'release', key: drag.key });
        return;
      }
      this.callbacks.onSelect(drag.key, event.shiftKey || event.metaKey || event.ctrlKey);
      return;
    }
    if (press !== null && Math.hypot(event.clientX - press.x, event.clientY - press.y) < 4) this.callbacks.onSelect(null, false);
  };

  private readonly onPointerLeave = (): void => {
    if (this.hover !== null) {
      this.hover = null;
      this.stale = true;
      this.requestDraw();
    }
    this.callbacks.onHover(null, 0, 0);
  };

  private readonly onContextMenu = (event: MouseEvent): void => {
    const index = this.nodeAtEvent(event);
    if (index === null) return;
    event.preventDefault();
    this.callbacks.onContextMenu(this.display.nodes[index]!.key, event.clientX, event.clientY);
  };
}
