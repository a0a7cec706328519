/** What one frame draws: the projected graph, where its nodes are, and what is marked. */
import type { AnnotationColour } from '../api/wire-types.js';
import type { DisplayGraph } from '../graph/graph-projection.js';
import type { NodeKey } from '../graph/node-key.js';

export interface NodeMark {
  readonly colour: AnnotationColour | null;
  readonly note: boolean;
}

export interface SceneMarks {
  readonly selected: readonly NodeKey[];
  readonly pathNodes: ReadonlySet<NodeKey>;
  readonly pathEdges: ReadonlySet<string>;
  readonly annotations: ReadonlyMap<NodeKey, NodeMark>;
  readonly hover: NodeKey | null;
}

export interface Scene {
  readonly display: DisplayGraph;
  /** x0, y0, x1, y1, ... aligned with display.nodes. */
  readonly positions: Float32Array;
  readonly marks: SceneMarks;
}

export interface ViewTransform {
  readonly x: number;
  readonly y: number;
  readonly k: number;
}

export interface Viewport {
  /** CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  readonly transform: ViewTransform;
}

export const NO_MARKS: SceneMarks = { selected: [], pathNodes: new Set(), pathEdges: new Set(), annotations: new Map(), hover: null };

/** The transform that fits every node into the viewport with a margin. */
export function fitTransform(positions: Float32Array, width: number, height: number, margin = 40, maxScale = 2.5): ViewTransform {
  if (positions.length === 0) return { x: width / 2, y: height / 2, k: 1 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < positions.length; i += 2) {
    const x = positions[i]!;
    const y = positions[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const spanX = Math.max(1, maxX - minX);
  const spanY = Math.max(1, maxY - minY);
  const k = Math.min(maxScale, Math.max(0.02, Math.min((width - margin * 2) / spanX, (height - margin * 2) / spanY)));
  return { k, x: width / 2 - ((minX + maxX) / 2) * k, y: height / 2 - ((minY + maxY) / 2) * k };
}
