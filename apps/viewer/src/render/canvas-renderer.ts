/**
 * Draws a scene on a 2D canvas, batched so 20,000 nodes stay cheap: one path per edge width
 * and per node shape and colour, nodes outside the viewport skipped, and detail (outlines,
 * arrows, labels, amounts) added only when it is large enough on screen to read.
 */
import type { NodeKind } from '../api/wire-types.js';
import { formatBtcCompact } from '../graph/btc-amount.js';
import type { DisplayGraph } from '../graph/graph-projection.js';
import {
  ANNOTATION_COLOUR_VALUES,
  BACKGROUND,
  CATEGORY_COLOURS,
  EDGE_COLOUR,
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
}

export interface DrawStats {
  readonly nodes: number;
  readonly edges: number;
  readonly labels: number;
}

/** Past these counts in view, per-item text is left out: it would be unreadable and slow. */
const MAX_NODE_LABELS = 400;
const MAX_EDGE_LABELS = 250;
const MAX_ARROWS = 6000;

export function drawScene(ctx: CanvasRenderingContext2D, scene: Scene, viewport: Viewport, options: DrawOptions = {}): DrawStats {
  const { width, height, dpr, transform } = viewport;
  const { display, positions, marks } = scene;
  const k = transform.k;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, width, height);
  if (display.nodes.length === 0) return { nodes: 0, edges: 0, labels: 0 };

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
  const radii = new Float32Array(display.nodes.length);
  display.nodes.forEach((node, i) => (radii[i] = nodeRadius(node.kind, node.node.size)));

  ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * transform.x, dpr * transform.y);
  const visibleEdges = edgesInView(display, positions, inView, minX, minY, maxX, maxY);
  const arrows = visibleEdges.length <= MAX_ARROWS && k >= 0.3;
  drawEdges(ctx, scene, visibleEdges, radii, k, arrows);
  drawNodes(ctx, scene, inView, radii, k);

  let labels = 0;
  if (options.detail !== false) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (k >= 0.7 && visibleEdges.length <= MAX_EDGE_LABELS) labels += drawEdgeAmounts(ctx, scene, visibleEdges, viewport);
    labels += drawNodeLabels(ctx, scene, inView, radii, viewport, nodesInView);
  }
  return { nodes: nodesInView, edges: visibleEdges.length, labels };
}

function edgesInView(display: DisplayGraph, positions: Float32Array, inView: Uint8Array, minX: number, minY: number, maxX: number, maxY: number): number[] {
  const out: number[] = [];
  display.edges.forEach((edge, i) => {
    if (inView[edge.source] === 1 || inView[edge.target] === 1) {
      out.push(i);
      return;
    }
    const x1 = positions[edge.source * 2]!;
    const y1 = positions[edge.source * 2 + 1]!;
    const x2 = positions[edge.target * 2]!;
    const y2 = positions[edge.target * 2 + 1]!;
    // Both ends outside: drawn only if the segment may cross the view.
    if ((x1 < minX && x2 < minX) || (x1 > maxX && x2 > maxX) || (y1 < minY && y2 < minY) || (y1 > maxY && y2 > maxY)) return;
    out.push(i);
  });
  return out;
}

function drawEdges(ctx: CanvasRenderingContext2D, scene: Scene, indices: readonly number[], radii: Float32Array, k: number, arrows: boolean): void {
  const { display, positions, marks } = scene;
  const buckets = new Map<string, number[]>();
  for (const i of indices) {
    const edge = display.edges[i]!;
    const highlighted = marks.pathEdges.has(edge.key);
    const width = edge.kind === 'member' ? 1 : Math.round(edgeWidth(edge.value) * 2) / 2;
    const bucket = `${edge.kind}|${highlighted ? 1 : 0}|${width}`;
    let list = buckets.get(bucket);
    if (list === undefined) buckets.set(bucket, (list = []));
    list.push(i);
  }
  const minWidth = 0.6 / k;
  for (const [bucket, list] of buckets) {
    const [kind, highlighted, widthText] = bucket.split('|') as [string, string, string];
    const width = Number(widthText) + (highlighted === '1' ? 2.5 : 0);
    const colour = highlighted === '1' ? PATH_COLOUR : kind === 'member' ? MEMBER_EDGE_COLOUR : EDGE_COLOUR;
    ctx.strokeStyle = colour;
    ctx.lineWidth = Math.max(width, minWidth);
    ctx.setLineDash(kind === 'member' ? [4, 3] : []);
    ctx.beginPath();
    const heads: number[] = [];
    for (const i of list) {
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
      const arrowLength = arrows && kind === 'flow' ? Math.max(6, width * 2.2) : 0;
      const end = Math.max(0, length - radii[edge.target]! - arrowLength);
      ctx.moveTo(x1 + ux * radii[edge.source]!, y1 + uy * radii[edge.source]!);
      ctx.lineTo(x1 + ux * end, y1 + uy * end);
      if (arrowLength > 0 && length > radii[edge.source]! + radii[edge.target]! + arrowLength) heads.push(x1 + ux * end, y1 + uy * end, ux, uy, arrowLength);
    }
    ctx.stroke();
    if (heads.length > 0) {
      ctx.fillStyle = highlighted === '1' ? PATH_COLOUR : 'rgba(50, 50, 50, 0.8)';
      ctx.beginPath();
      for (let h = 0; h < heads.length; h += 5) {
        const [bx, by, ux, uy, len] = [heads[h]!, heads[h + 1]!, heads[h + 2]!, heads[h + 3]!, heads[h + 4]!];
        const half = len * 0.55;
        ctx.moveTo(bx + ux * len, by + uy * len);
        ctx.lineTo(bx - uy * half, by + ux * half);
        ctx.lineTo(bx + uy * half, by - ux * half);
        ctx.closePath();
      }
      ctx.fill();
    }
  }
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

function drawNodes(ctx: CanvasRenderingContext2D, scene: Scene, inView: Uint8Array, radii: Float32Array, k: number): void {
  const { display, positions, marks } = scene;
  const groups = new Map<string, number[]>();
  display.nodes.forEach((node, i) => {
    if (inView[i] !== 1) return;
    const group = `${node.kind}|${node.category}`;
    let list = groups.get(group);
    if (list === undefined) groups.set(group, (list = []));
    list.push(i);
  });
  const tiny = 6.5 * k < 1.6;
  const outline = !tiny;
  for (const [group, list] of groups) {
    const [kind, category] = group.split('|') as [NodeKind, keyof typeof CATEGORY_COLOURS];
    ctx.fillStyle = CATEGORY_COLOURS[category];
    if (tiny) {
      // Below about 1.5 screen pixels every shape is a dot; squares are far cheaper.
      for (const i of list) {
        const r = Math.max(radii[i]!, 1.2 / k);
        ctx.fillRect(positions[i * 2]! - r, positions[i * 2 + 1]! - r, r * 2, r * 2);
      }
      continue;
    }
    ctx.beginPath();
    for (const i of list) shapePath(ctx, kind, positions[i * 2]!, positions[i * 2 + 1]!, radii[i]!);
    ctx.fill();
    if (outline) {
      ctx.strokeStyle = NODE_OUTLINE;
      ctx.lineWidth = 1.1;
      ctx.stroke();
    }
  }

  // Marks: annotation colours, path, selection, pins, collapsed counts.
  for (const [key, mark] of marks.annotations) {
    const i = display.index.get(key);
    if (i === undefined || inView[i] !== 1) continue;
    const x = positions[i * 2]!;
    const y = positions[i * 2 + 1]!;
    const r = radii[i]!;
    if (mark.colour !== null) {
      ctx.strokeStyle = ANNOTATION_COLOUR_VALUES[mark.colour];
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
  display.nodes.forEach((node, i) => {
    if (inView[i] !== 1) return;
    if (node.node.pinned) {
      const x = positions[i * 2]!;
      const y = positions[i * 2 + 1]! - radii[i]! - 3;
      ctx.fillStyle = NODE_OUTLINE;
      ctx.beginPath();
      ctx.moveTo(x - 3, y - 5);
      ctx.lineTo(x + 3, y - 5);
      ctx.lineTo(x, y);
      ctx.closePath();
      ctx.fill();
    }
  });
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

function drawEdgeAmounts(ctx: CanvasRenderingContext2D, scene: Scene, indices: readonly number[], viewport: Viewport): number {
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
    const mx = ((positions[edge.source * 2]! + positions[edge.target * 2]!) / 2) * k + tx;
    const my = ((positions[edge.source * 2 + 1]! + positions[edge.target * 2 + 1]!) / 2) * k + ty;
    haloText(ctx, `${formatBtcCompact(edge.value)} BTC`, mx, my);
    drawn++;
  }
  return drawn;
}

function drawNodeLabels(ctx: CanvasRenderingContext2D, scene: Scene, inView: Uint8Array, radii: Float32Array, viewport: Viewport, nodesInView: number): number {
  const { display, positions, marks } = scene;
  const { x: tx, y: ty, k } = viewport.transform;
  const everyNode = k >= 0.75 && nodesInView <= MAX_NODE_LABELS;
  const selected = new Set(marks.selected);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.lineWidth = 3.5;
  ctx.strokeStyle = 'rgba(251, 251, 249, 0.92)';
  ctx.fillStyle = LABEL_COLOUR;
  let drawn = 0;
  display.nodes.forEach((node, i) => {
    if (inView[i] !== 1) return;
    // Named services, seeds, the selection and the path are labelled even when zoomed out.
    const important = selected.has(node.key) || marks.pathNodes.has(node.key) || (node.node.label !== null && k >= 0.3 && drawn < MAX_NODE_LABELS);
    if (!everyNode && !important) return;
    const x = positions[i * 2]! * k + tx;
    const y = (positions[i * 2 + 1]! + radii[i]!) * k + ty + 4;
    let text = shortLabel(node.kind, node.id, node.node.label);
    if (node.collapsedMembers > 0) text += ` (${node.collapsedMembers} addr.)`;
    haloText(ctx, text, x, y);
    drawn++;
  });
  return drawn;
}
