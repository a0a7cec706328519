/**
 * How the graph looks, shared by the canvas, the SVG export and the legend: shape by kind,
 * colour by category, edge width by value. Colours are picked to differ for the common
 * colour-vision deficiencies and to reach 3:1 against the canvas background (WCAG 1.4.11);
 * every node also has a dark outline, so shape alone tells kinds apart.
 */
import type { AnnotationColour, AnnotationPaletteColour, NodeKind } from '../api/wire-types.js';
import type { Category } from '../graph/node-category.js';

export const BACKGROUND = '#fbfbf9';
export const NODE_OUTLINE = '#222222';
export const EDGE_COLOUR = 'rgba(60, 60, 60, 0.55)';
/** Edges off the highlighted path. */
export const EDGE_COLOUR_FADED = 'rgba(60, 60, 60, 0.22)';
export const MEMBER_EDGE_COLOUR = 'rgba(90, 90, 160, 0.55)';
export const PATH_COLOUR = '#009e8f';
export const SELECTION_COLOUR = '#111111';
export const LABEL_COLOUR = '#1a1a1a';

export const CATEGORY_COLOURS: Readonly<Record<Category, string>> = {
  seed: '#d81b60',
  site: '#7b3fa0',
  exchange: '#1565c0',
  mixer: '#e66100',
  sanctioned: '#8b0000',
  unknown: '#8a8a8a',
};

export const ANNOTATION_COLOUR_VALUES: Readonly<Record<AnnotationPaletteColour, string>> = {
  red: '#e53935',
  orange: '#fb8c00',
  yellow: '#fdd835',
  green: '#43a047',
  blue: '#1e88e5',
  purple: '#8e24aa',
  grey: '#757575',
};

/** What a colour label draws as: the palette's value, or the `#rrggbb` itself (a name this viewer does not know: grey). */
export function annotationColourValue(colour: AnnotationColour): string {
  if (/^#[0-9a-f]{6}$/i.test(colour)) return colour;
  return (ANNOTATION_COLOUR_VALUES as Readonly<Record<string, string>>)[colour] ?? ANNOTATION_COLOUR_VALUES.grey;
}

export const KIND_LABELS: Readonly<Record<NodeKind, string>> = {
  address: 'Address (circle)',
  tx: 'Transaction (square)',
  entity: 'Entity / cluster (hexagon)',
};

/** World-space radius of a node; entities grow with the number of addresses they hold. */
export function nodeRadius(kind: NodeKind, size: number | null): number {
  if (kind === 'tx') return 4.5;
  if (kind === 'address') return 6.5;
  return Math.min(22, 10 + Math.log2(Math.max(1, size ?? 1)) * 1.2);
}

/**
 * Width by value on a log scale: 0.001 BTC is a hairline, 1 BTC about 4 units, 1,000 BTC
 * the widest, so one large flow does not hide the rest.
 */
export function edgeWidth(sats: bigint): number {
  const btc = Number(sats) / 1e8;
  return Math.min(8, 0.75 + 1.5 * Math.log10(1 + btc * 100));
}

/** The points of a hexagon (flat top) of radius r around (x, y). */
export function hexagonPoints(x: number, y: number, r: number): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 0; i < 6; i++) {
    const angle = (Math.PI / 3) * i;
    points.push([x + r * Math.cos(angle), y + r * Math.sin(angle)]);
  }
  return points;
}

/** A short name for a node on the canvas. */
export function shortLabel(kind: NodeKind, id: string, label: string | null): string {
  if (label !== null && label !== '') return label.length > 28 ? `${label.slice(0, 27)}…` : label;
  if (kind === 'tx') return `tx ${id.slice(0, 8)}…`;
  if (kind === 'entity') return id.length > 12 ? `${id.slice(0, 10)}…` : id;
  return id.length > 14 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}
