/**
 * The current view as SVG: the same shapes, colours, widths and arrows as the canvas, for
 * what is inside the viewport, with a legend and a caption (case, time of export, filters),
 * so a figure pasted into a report explains itself.
 */
import { formatBtcCompact } from '../graph/btc-amount.js';
import { CATEGORIES, CATEGORY_LABELS } from '../graph/node-category.js';
import {
  annotationColourValue,
  BACKGROUND,
  CATEGORY_COLOURS,
  EDGE_COLOUR,
  MEMBER_EDGE_COLOUR,
  NODE_OUTLINE,
  PATH_COLOUR,
  SELECTION_COLOUR,
  edgeWidth,
  hexagonPoints,
  nodeRadius,
  shortLabel,
} from '../render/graph-style.js';
import type { Scene, Viewport } from '../render/scene.js';
import { escapeXml } from './graph-graphml.js';

const n = (value: number): string => (Math.round(value * 100) / 100).toString();

function shape(kind: 'address' | 'tx' | 'entity', x: number, y: number, r: number, fill: string): string {
  if (kind === 'address') return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${fill}"/>`;
  if (kind === 'tx') return `<rect x="${n(x - r)}" y="${n(y - r)}" width="${n(r * 2)}" height="${n(r * 2)}" fill="${fill}"/>`;
  return `<polygon points="${hexagonPoints(x, y, r)
    .map(([px, py]) => `${n(px)},${n(py)}`)
    .join(' ')}" fill="${fill}"/>`;
}

export function svgOfView(scene: Scene, viewport: Viewport, caption: readonly string[]): string {
  const { display, positions, marks } = scene;
  const { width, height, transform } = viewport;
  const { x: tx, y: ty, k } = transform;
  const sx = (x: number): number => x * k + tx;
  const sy = (y: number): number => y * k + ty;
  const inView = (i: number): boolean => {
    const x = sx(positions[i * 2]!);
    const y = sy(positions[i * 2 + 1]!);
    return x >= -30 && x <= width + 30 && y >= -30 && y <= height + 30;
  };
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif">`,
    `<title>${escapeXml(caption[0] ?? 'chaintrail graph')}</title>`,
    '<defs>',
    `<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="rgb(50,50,50)"/></marker>`,
    `<marker id="arrow-path" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${PATH_COLOUR}"/></marker>`,
    '</defs>',
    `<rect width="100%" height="100%" fill="${BACKGROUND}"/>`,
    '<g id="edges" fill="none">',
  ];
  const edgeLabels: string[] = [];
  const visibleEdges = display.edges.filter((edge) => inView(edge.source) || inView(edge.target));
  for (const edge of visibleEdges) {
    const x1 = sx(positions[edge.source * 2]!);
    const y1 = sy(positions[edge.source * 2 + 1]!);
    const x2 = sx(positions[edge.target * 2]!);
    const y2 = sy(positions[edge.target * 2 + 1]!);
    const length = Math.hypot(x2 - x1, y2 - y1);
    if (length < 0.5) continue;
    const ux = (x2 - x1) / length;
    const uy = (y2 - y1) / length;
    const r1 = nodeRadius(display.nodes[edge.source]!.kind, display.nodes[edge.source]!.node.size) * k;
    const r2 = nodeRadius(display.nodes[edge.target]!.kind, display.nodes[edge.target]!.node.size) * k;
    const highlighted = marks.pathEdges.has(edge.key);
    const member = edge.kind === 'member';
    const widthPx = Math.max(0.6, (member ? 1 : edgeWidth(edge.value) + (highlighted ? 2.5 : 0)) * k);
    const colour = highlighted ? PATH_COLOUR : member ? MEMBER_EDGE_COLOUR : EDGE_COLOUR;
    out.push(
      `<line x1="${n(x1 + ux * r1)}" y1="${n(y1 + uy * r1)}" x2="${n(x2 - ux * r2)}" y2="${n(y2 - uy * r2)}" stroke="${colour}" stroke-width="${n(widthPx)}"${member ? ' stroke-dasharray="4 3"' : ` marker-end="url(#${highlighted ? 'arrow-path' : 'arrow'})"`}/>`,
    );
    if (!member && visibleEdges.length <= 1000) {
      edgeLabels.push(`<text x="${n((x1 + x2) / 2)}" y="${n((y1 + y2) / 2)}">${formatBtcCompact(edge.value)} BTC</text>`);
    }
  }
  out.push('</g>', '<g id="nodes" stroke="' + NODE_OUTLINE + '" stroke-width="1">');
  const labels: string[] = [];
  const selected = new Set(marks.selected);
  display.nodes.forEach((node, i) => {
    if (!inView(i)) return;
    const x = sx(positions[i * 2]!);
    const y = sy(positions[i * 2 + 1]!);
    const r = nodeRadius(node.kind, node.node.size) * k;
    const mark = marks.annotations.get(node.key);
    out.push(`<g><title>${escapeXml(`${node.kind} ${node.id}${node.node.label !== null ? ` (${node.node.label})` : ''}`)}</title>${shape(node.kind, x, y, r, CATEGORY_COLOURS[node.category])}</g>`);
    if (mark?.colour !== undefined && mark.colour !== null) out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r + 3.5 * k)}" fill="none" stroke="${annotationColourValue(mark.colour)}" stroke-width="${n(3 * k)}"/>`);
    if (marks.pathNodes.has(node.key)) out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r + 6 * k)}" fill="none" stroke="${PATH_COLOUR}" stroke-width="${n(3 * k)}"/>`);
    if (selected.has(node.key)) out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="${n(r + 4.5 * k)}" fill="none" stroke="${SELECTION_COLOUR}" stroke-width="2.5"/>`);
    const text = shortLabel(node.kind, node.id, node.node.label) + (node.collapsedMembers > 0 ? ` (${node.collapsedMembers} addr.)` : '');
    labels.push(`<text x="${n(x)}" y="${n(y + r + 13)}">${escapeXml(text)}</text>`);
  });
  out.push('</g>');
  const halo = `stroke="${BACKGROUND}" stroke-width="3" paint-order="stroke" stroke-linejoin="round"`;
  out.push(`<g id="amounts" font-size="10.5" fill="#3d3d3d" text-anchor="middle" dominant-baseline="middle" ${halo}>`, ...edgeLabels, '</g>');
  out.push(`<g id="labels" font-size="11" fill="#1a1a1a" text-anchor="middle" ${halo}>`, ...labels, '</g>');
  out.push(legend(height), captionBlock(caption), '</svg>', '');
  return out.join('\n');
}

function legend(height: number): string {
  const rows = CATEGORIES.length + 3;
  const top = height - 16 - rows * 17;
  const parts = [`<g id="legend" font-size="11" fill="#1a1a1a" transform="translate(12, ${top})">`, `<rect x="-6" y="-14" width="270" height="${rows * 17 + 10}" fill="white" fill-opacity="0.9" stroke="#999"/>`];
  CATEGORIES.forEach((category, i) => {
    parts.push(`<circle cx="6" cy="${i * 17 - 4}" r="5.5" fill="${CATEGORY_COLOURS[category]}" stroke="${NODE_OUTLINE}"/>`, `<text x="18" y="${i * 17}">${escapeXml(CATEGORY_LABELS[category])}</text>`);
  });
  const base = CATEGORIES.length * 17;
  parts.push(
    `<text x="0" y="${base}">○ address  □ transaction  ⬡ entity</text>`,
    `<text x="0" y="${base + 17}">Arrows: direction of payment; width: value</text>`,
    `<line x1="0" y1="${base + 30}" x2="14" y2="${base + 30}" stroke="${PATH_COLOUR}" stroke-width="3"/><text x="18" y="${base + 34}">highlighted path</text>`,
    '</g>',
  );
  return parts.join('');
}

function captionBlock(caption: readonly string[]): string {
  return `<g id="caption" font-size="11" fill="#333">${caption.map((line, i) => `<text x="12" y="${18 + i * 15}">${escapeXml(line)}</text>`).join('')}</g>`;
}
