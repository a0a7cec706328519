/**
 * Draws a scene on a 2D canvas, batched so 20,000 nodes stay cheap: one path per edge width
 * and per node shape and colour, nodes outside the viewport skipped, and detail (outlines,
 * arrows, labels, amounts) added only when it is large enough on screen to read.
 */
import type { NodeKind } from '../api/wire-types.js';
import { formatBtcCompact } from '../graph/btc-amount.js';
import type { DisplayGraph } from '../graph/graph-projection.js';
import { CATEGORIES, type Category } from '../graph/node-category.js';
import {
  annotationColourValue,
  BACKGROUND,
  CATEGORY_COLOURS,
  EDGE_COLOUR,
  EDGE_COLOUR_FADED,
  LABEL_COLOUR,
  MEMBER_EDGE_COLOUR,
  NODE_OUTLINE,
  PATH_COLOUR,
  SELECTION_COLOUR,
  edgeWidth,
  nodeRadius,
  shortLabel,
} from './graph-style.js';
import type { Scene, Viewport } from './scene.js';

export interface DrawOptions {
  /** Labels and amounts when zoomed in enough (default true). */
  readonly detail?: boolean;
  /** Filled with milliseconds per phase (profiling). */
  readonly timings?: Record<string, number>;
  /**
   * While a large layout is still moving: hairline edges without arrows, nodes without
   * outlines, labels only for the selection. The full detail returns when it settles.
   */
  readonly draft?: boolean;
}

export interface DrawStats {
  readonly nodes: number;
  readonly edges: number;
  readonly labels: number;
}

/** Past these counts in view, per-item text is left out: it would be unreadable and slow. */
const MAX_NODE_LABELS = 400;
const MAX_EDGE_LABELS = 250;
const MAX_ARROWS = 1500;
/** More edges than this in view: only wide flows are drawn wide. */
const CROWDED_EDGES = 1500;
/** World units: edges at least this wide (about 1 BTC and more) keep their width in a crowded view. */
const WIDE_FLOW = 4;
const SEGMENTS_PER_PATH = 200;
const WIDE_SEGMENTS_PER_PATH = 24;
const OUTLINED_NODES = 1500;
/** Where an amount may go: fraction along the edge, and offset to its side. */
const AMOUNT_SPOTS: readonly (readonly [number, number])[] = [
  [0.5, 0],
  [0.5, 1],
  [0.5, -1],
  [0.35, 0],
  [0.65, 0],
];
const LABEL_FONT = '11px system-ui, sans-serif';

/** What a scene needs per node and edge that does not change while it is drawn frame after frame. */
interface SceneStatics {
  readonly radii: Float32Array;
  /** kind × category, as an index into GROUPS. */
  readonly nodeGroup: Uint8Array;
  /** Flow edges: width in half units (1 to 16); member edges: 0. */
  readonly edgeBucket: Uint8Array;
}

const KINDS: readonly NodeKind[] = ['address', 'tx', 'entity'];
const GROUPS: readonly { kind: NodeKind; category: Category }[] = KINDS.flatMap((kind) => CATEGORIES.map((category) => ({ kind, category })));
const BUCKETS = 17;
const statics = new WeakMap<DisplayGraph, SceneStatics>();

function staticsOf(display: DisplayGraph): SceneStatics {
  let found = statics.get(display);
  if (found !== undefined) return found;
  const radii = new Float32Array(display.nodes.length);
  const nodeGroup = new Uint8Array(display.nodes.length);
  display.nodes.forEach((node, i) => {
    radii[i] = nodeRadius(node.kind, node.node.size);
    nodeGroup[i] = KINDS.indexOf(node.kind) * CATEGORIES.length + CATEGORIES.indexOf(node.category);
  });
  const edgeBucket = new Uint8Array(display.edges.length);
  display.edges.forEach((edge, i) => {
    edgeBucket[i] = edge.kind === 'member' ? 0 : Math.min(BUCKETS - 1, Math.max(1, Math.round(edgeWidth(edge.value) * 2)));
  });
  found = { radii, nodeGroup, edgeBucket };
  statics.set(display, found);
  return found;
}

export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, viewport: Viewport, options: DrawOptions = {}): DrawStats {
  const { width, height, dpr, transform } = viewport;
  const { display, positions } = scene;
  const k = transform.k;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  if (display.nodes.length === 0) return { nodes: 0, edges: 0, labels: 0 };
  const { radii, nodeGroup, edgeBucket } = staticsOf(display);

  const margin = 30 / k;
  const minX = -transform.x / k - margin;
  const minY = -transform.y / k - margin;
  const maxX = (width - transform.x) / k + margin;
  const maxY = (height - transform.y) / k + margin;
  const inView = new Uint8Array(display.nodes.length);
  let nodesInView = 0;
  for (let i = 0; i < display.nodes.length; i++) {
    const x = positions[i * 2]!;
    const y = positions[i * 2 + 1]!;
    if (x >= minX && x <= maxX && y >= minY && y <= maxY) {
      inView[i] = 1;
      nodesInView++;
    }
  }

  ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * transform.x, dpr * transform.y);
  const visibleEdges = edgesInView(display, positions, inView, minX, minY, maxX, maxY);
  const draft = options.draft === true;
  const arrows = !draft && visibleEdges.length <= MAX_ARROWS && k >= 0.3;
  // Profiling reads a pixel after each phase: canvases record commands and rasterise them
  // later, so only a read makes the time of a phase visible.
  const flush = options.timings === undefined ? (): void => undefined : (): void => void ctx.getImageData(0, 0, 1, 1);
  flush();
  const t0 = performance.now();
  drawEdges(ctx, scene, visibleEdges, edgeBucket, radii, k, arrows, draft);
  flush();
  const t1 = performance.now();
  drawNodes(ctx, scene, inView, nodeGroup, radii, k, draft ? Infinity : nodesInView);
  flush();
  const t2 = performance.now();

  let labels = 0;
  if (options.detail !== false && !draft) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const space = new LabelSpace();
    // Node names claim their space before amounts do.
    ctx.font = LABEL_FONT;
    labels += drawNodeLabels(ctx, scene, inView, radii, viewport, nodesInView, space);
    if (k >= 0.7 && visibleEdges.length <= MAX_EDGE_LABELS) labels += drawEdgeAmounts(ctx, scene, visibleEdges, viewport, space);
  }
  flush();
  if (options.timings !== undefined) Object.assign(options.timings, { edges: t1 - t0, nodes: t2 - t1, labels: performance.now() - t2 });
  return { nodes: nodesInView, edges: visibleEdges.length, labels };
}

function edgesInView(display: DisplayGraph, positions: Float32Array, inView: Uint8Array, minX: number, minY: number, maxX: number, maxY: number): number[] {
  const out: number[] = [];
  const edges = display.edges;
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i]!;
    if (inView[edge.source] === 1 || inView[edge.target] === 1) {
      out.push(i);
      continue;
    }
    const x1 = positions[edge.source * 2]!;
    const y1 = positions[edge.source * 2 + 1]!;
    const x2 = positions[edge.target * 2]!;
    const y2 = positions[edge.target * 2 + 1]!;
    // Both ends outside: drawn only if the segment may cross the view.
    if ((x1 < minX && x2 < minX) || (x1 > maxX && x2 > maxX) || (y1 < minY && y2 < minY) || (y1 > maxY && y2 > maxY)) continue;
    out.push(i);
  }
  return out;
}

function drawEdges(ctx: CanvasRenderingContext2D, scene: Scene, indices: readonly number[], edgeBucket: Uint8Array, radii: Float32Array, k: number, arrows: boolean, draft: boolean): void {
  const { display, positions, marks } = scene;
  const buckets: number[][] = Array.from({ length: BUCKETS }, () => []);
  const highlighted: number[] = [];
  const anyPath = marks.pathEdges.size > 0;
  for (const i of indices) {
    if (anyPath && marks.pathEdges.has(display.edges[i]!.key)) highlighted.push(i);
    else buckets[edgeBucket[i]!]!.push(i);
  }
  const minWidth = 0.6 / k;
  // Software canvases stroke lines wider than a pixel far more slowly than hairlines (Skia
  // turns them into filled paths); in a crowded view only the large flows keep their width.
  const crowded = draft || indices.length > CROWDED_EDGES;
  const heads: number[] = [];
  const stroke = (list: readonly number[], width: number, colour: string, member: boolean, headColour: string): void => {
    if (list.length === 0) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = Math.max(crowded && (draft || width < WIDE_FLOW) ? Math.min(width, 1 / k) : width, minWidth);
    ctx.setLineDash(member ? [4, 3] : []);
    ctx.beginPath();
    heads.length = 0;
    const arrowLength = arrows && !member ? Math.max(6, width * 2.2) : 0;
    let inPath = 0;
    // Translucent strokes wider than a pixel are filled as one shape per path, overlaps
    // resolved; that work grows faster than the path, so wide ones go a few at a time.
    const perPath = Math.max(width, minWidth) * k > 1.2 ? WIDE_SEGMENTS_PER_PATH : SEGMENTS_PER_PATH;
    for (const i of list) {
      if (++inPath > perPath) {
        ctx.stroke();
        ctx.beginPath();
        inPath = 1;
      }
      const edge = display.edges[i]!;
      const x1 = positions[edge.source * 2]!;
      const y1 = positions[edge.source * 2 + 1]!;
      const x2 = positions[edge.target * 2]!;
      const y2 = positions[edge.target * 2 + 1]!;
      const dx = x2 - x1;
      const dy = y2 - y1;
      const length = Math.hypot(dx, dy);
      if (length < 0.01) continue;
      const ux = dx / length;
      const uy = dy / length;
      const rs = radii[edge.source]!;
      const rt = radii[edge.target]!;
      const end = Math.max(0, length - rt - arrowLength);
      ctx.moveTo(x1 + ux * rs, y1 + uy * rs);
      ctx.lineTo(x1 + ux * end, y1 + uy * end);
      if (arrowLength > 0 && length > rs + rt + arrowLength) heads.push(x1 + ux * end, y1 + uy * end, ux, uy);
    }
    ctx.stroke();
    if (heads.length === 0) return;
    ctx.fillStyle = headColour;
    ctx.beginPath();
    const half = arrowLength * 0.55;
    for (let h = 0; h < heads.length; h += 4) {
      const bx = heads[h]!;
      const by = heads[h + 1]!;
      const ux = heads[h + 2]!;
      const uy = heads[h + 3]!;
      ctx.moveTo(bx + ux * arrowLength, by + uy * arrowLength);
      ctx.lineTo(bx - uy * half, by + ux * half);
      ctx.lineTo(bx + uy * half, by - ux * half);
      ctx.closePath();
    }
    ctx.fill();
  };
  stroke(buckets[0]!, 1, MEMBER_EDGE_COLOUR, true, MEMBER_EDGE_COLOUR);
  // With a path highlighted, the other edges step back.
  const colour = anyPath ? EDGE_COLOUR_FADED : EDGE_COLOUR;
  for (let b = 1; b < BUCKETS; b++) stroke(buckets[b]!, b / 2, colour, false, anyPath ? EDGE_COLOUR_FADED : 'rgba(50, 50, 50, 0.8)');
  // The highlighted path on top, each edge at its own width.
  for (const i of highlighted) stroke([i], (display.edges[i]!.kind === 'member' ? 1 : edgeWidth(display.edges[i]!.value)) + 2.5, PATH_COLOUR, false, PATH_COLOUR);
  ctx.setLineDash([]);
}

function shapePath(ctx: CanvasRenderingContext2D, kind: NodeKind, x: number, y: number, r: number): void {
  if (kind === 'address') {
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, Math.PI * 2);
  } else if (kind === 'tx') {
    ctx.rect(x - r, y - r, r * 2, r * 2);
  } else {
    for (let i = 0; i < 6; i++) {
      const angle = (Math.PI / 3) * i;
      if (i === 0) ctx.moveTo(x + r, y);
      else ctx.lineTo(x + r * Math.cos(angle), y + r * Math.sin(angle));
    }
    ctx.closePath();
  }
}

function drawNodes(ctx: CanvasRenderingContext2D, scene: Scene, inView: Uint8Array, nodeGroup: Uint8Array, radii: Float32Array, k: number, nodesInView: number): void {
  const { display, positions, marks } = scene;
  const groups: number[][] = GROUPS.map(() => []);
  for (let i = 0; i < display.nodes.length; i++) if (inView[i] === 1) groups[nodeGroup[i]!]!.push(i);
  const tiny = 6.5 * k < 1.6;
  // Outlines double the fill work; with many nodes in view they are lost in the crowd anyway.
  const outline = !tiny && nodesInView <= OUTLINED_NODES;
  groups.forEach((list, g) => {
    if (list.length === 0) return;
    const { kind, category } = GROUPS[g]!;
    ctx.fillStyle = CATEGORY_COLOURS[category];
    if (tiny) {
      // Below about 1.5 screen pixels every shape is a dot; squares are far cheaper.
      for (const i of list) {
        const r = Math.max(radii[i]!, 1.2 / k);
        ctx.fillRect(positions[i * 2]! - r, positions[i * 2 + 1]! - r, r * 2, r * 2);
      }
      return;
    }
    ctx.strokeStyle = NODE_OUTLINE;
    ctx.lineWidth = 1.1;
    for (let start = 0; start < list.length; start += SEGMENTS_PER_PATH) {
      ctx.beginPath();
      for (let j = start; j < Math.min(list.length, start + SEGMENTS_PER_PATH); j++) {
        const i = list[j]!;
        shapePath(ctx, kind, positions[i * 2]!, positions[i * 2 + 1]!, radii[i]!);
      }
      ctx.fill();
      if (outline) ctx.stroke();
    }
  });

  // Marks: annotation colours, path, selection, pins, collapsed counts.
  for (const [key, mark] of marks.annotations) {
    const i = display.index.get(key);
    if (i === undefined || inView[i] !== 1) continue;
    const x = positions[i * 2]!;
    const y = positions[i * 2 + 1]!;
    const r = radii[i]!;
    if (mark.colour !== null) {
      ctx.strokeStyle = annotationColourValue(mark.colour);
      ctx.lineWidth = 3;
      ctx.beginPath();
      ctx.arc(x, y, r + 3.5, 0, Math.PI * 2);
      ctx.stroke();
    }
    if (mark.note) {
      ctx.fillStyle = '#fff59d';
      ctx.strokeStyle = NODE_OUTLINE;
      ctx.lineWidth = 0.8;
      ctx.beginPath();
      ctx.rect(x + r * 0.6, y - r - 5, 5, 5);
      ctx.fill();
      ctx.stroke();
    }
  }
  for (const key of marks.pathNodes) {
    const i = display.index.get(key);
    if (i === undefined || inView[i] !== 1) continue;
    ctx.strokeStyle = PATH_COLOUR;
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.arc(positions[i * 2]!, positions[i * 2 + 1]!, radii[i]! + 6, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.fillStyle = NODE_OUTLINE;
  ctx.beginPath();
  display.nodes.forEach((node, i) => {
    if (inView[i] !== 1 || !node.node.pinned) return;
    const x = positions[i * 2]!;
    const y = positions[i * 2 + 1]! - radii[i]! - 3;
    ctx.moveTo(x - 3, y - 5);
    ctx.lineTo(x + 3, y - 5);
    ctx.lineTo(x, y);
    ctx.closePath();
  });
  ctx.fill();
  marks.selected.forEach((key, order) => {
    const i = display.index.get(key);
    if (i === undefined) return;
    ctx.strokeStyle = SELECTION_COLOUR;
    ctx.lineWidth = Math.max(2.5, 2 / k);
    ctx.setLineDash(order === 0 ? [] : [5, 3]);
    ctx.beginPath();
    ctx.arc(positions[i * 2]!, positions[i * 2 + 1]!, radii[i]! + 4.5, 0, Math.PI * 2);
    ctx.stroke();
  });
  ctx.setLineDash([]);
  if (marks.hover !== null) {
    const i = display.index.get(marks.hover);
    if (i !== undefined) {
      ctx.strokeStyle = 'rgba(0, 0, 0, 0.45)';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(positions[i * 2]!, positions[i * 2 + 1]!, radii[i]! + 3, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
}

function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number): void {
  ctx.strokeText(text, x, y);
  ctx.fillText(text, x, y);
}

/** Screen boxes of the labels drawn so far; a label that would overlap one is left out. */
class LabelSpace {
  private readonly boxes: number[] = [];

  take(x: number, y: number, width: number, height: number): boolean {
    const b = this.boxes;
    for (let i = 0; i < b.length; i += 4) {
      if (x < b[i]! + b[i + 2]! && x + width > b[i]! && y < b[i + 1]! + b[i + 3]! && y + height > b[i + 1]!) return false;
    }
    b.push(x, y, width, height);
    return true;
  }
}

function drawEdgeAmounts(ctx: CanvasRenderingContext2D, scene: Scene, indices: readonly number[], viewport: Viewport, space: LabelSpace): number {
  const { display, positions } = scene;
  const { x: tx, y: ty, k } = viewport.transform;
  ctx.font = '10.5px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(251, 251, 249, 0.9)';
  ctx.fillStyle = '#3d3d3d';
  let drawn = 0;
  for (const i of indices) {
    const edge = display.edges[i]!;
    if (edge.kind !== 'flow') continue;
    const x1 = positions[edge.source * 2]! * k + tx;
    const y1 = positions[edge.source * 2 + 1]! * k + ty;
    const x2 = positions[edge.target * 2]! * k + tx;
    const y2 = positions[edge.target * 2 + 1]! * k + ty;
    const text = `${formatBtcCompact(edge.value)} BTC`;
    const width = ctx.measureText(text).width;
    // On an edge shorter than its amount the text would cover the nodes it joins.
    if (Math.hypot(x2 - x1, y2 - y1) < width * 0.6) continue;
    // The middle of the edge, else a little to either side of it, else along it.
    const length = Math.hypot(x2 - x1, y2 - y1);
    const nx = (-(y2 - y1) / length) * 11;
    const ny = ((x2 - x1) / length) * 11;
    for (const [t, side] of AMOUNT_SPOTS) {
      const mx = x1 + (x2 - x1) * t + nx * side;
      const my = y1 + (y2 - y1) * t + ny * side;
      if (!space.take(mx - width / 2, my - 7, width, 14)) continue;
      haloText(ctx, text, mx, my);
      drawn++;
      break;
    }
  }
  return drawn;
}

function drawNodeLabels(ctx: CanvasRenderingContext2D, scene: Scene, inView: Uint8Array, radii: Float32Array, viewport: Viewport, nodesInView: number, space: LabelSpace): number {
  const { display, positions, marks } = scene;
  const { x: tx, y: ty, k } = viewport.transform;
  const everyNode = k >= 0.75 && nodesInView <= MAX_NODE_LABELS;
  const selected = new Set(marks.selected);
  ctx.font = LABEL_FONT;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.lineWidth = 3.5;
  ctx.strokeStyle = 'rgba(251, 251, 249, 0.92)';
  ctx.fillStyle = LABEL_COLOUR;
  let drawn = 0;
  // The selection, the path and named services first: when labels collide, theirs stay.
  const rank = (i: number): number => {
    const node = display.nodes[i]!;
    return selected.has(node.key) ? 0 : marks.pathNodes.has(node.key) ? 1 : node.node.label !== null ? 2 : 3;
  };
  const order: number[] = [];
  for (let i = 0; i < display.nodes.length; i++) if (inView[i] === 1) order.push(i);
  order.sort((a, b) => rank(a) - rank(b));
  for (const i of order) {
    const node = display.nodes[i]!;
    const level = rank(i);
    // Named services, the selection and the path are labelled even when zoomed out.
    if (!everyNode && !(level <= 1 || (level === 2 && k >= 0.3))) continue;
    if (drawn >= MAX_NODE_LABELS) break;
    const x = positions[i * 2]! * k + tx;
    // Below the node and clear of its selection ring.
    const y = (positions[i * 2 + 1]! + radii[i]! + 4.5) * k + ty + 3;
    let text = shortLabel(node.kind, node.id, node.node.label);
    if (node.collapsedMembers > 0) text += ` (${node.collapsedMembers} addr.)`;
    const width = ctx.measureText(text).width;
    if (!space.take(x - width / 2, y, width, 13) && level > 0) continue;
    haloText(ctx, text, x, y);
    drawn++;
  }
  return drawn;
}
