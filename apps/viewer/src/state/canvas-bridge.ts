/** What the canvas offers the rest of the viewer: where nodes are drawn, the zoom, and the frame. */
import type { NodeKey } from '../graph/node-key.js';
import type { Scene, ViewTransform, Viewport } from '../render/scene.js';

export interface CanvasBridge {
  /** Drawn positions by node key. */
  positions(): Map<NodeKey, [number, number]>;
  viewport(): Viewport;
  scene(): Scene;
  setTransform(transform: ViewTransform): void;
  centreOn(key: NodeKey): void;
  fit(): void;
}

/** Until the canvas mounts: nothing drawn yet. */
export const NO_CANVAS: CanvasBridge = {
  positions: () => new Map(),
  viewport: () => ({ width: 0, height: 0, dpr: 1, transform: { x: 0, y: 0, k: 1 } }),
  scene: () => {
    throw new Error('The canvas is not ready yet.');
  },
  setTransform: () => undefined,
  centreOn: () => undefined,
  fit: () => undefined,
};
