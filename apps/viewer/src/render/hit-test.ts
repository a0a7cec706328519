/** Which node is under the pointer: a quadtree over the drawn positions, rebuilt when they move. */
import { quadtree, type Quadtree } from 'd3-quadtree';

export class NodeHitTester {
  private tree: Quadtree<number> | null = null;
  private positions: Float32Array | null = null;

  /** Index of the nearest node within `radius` world units of (x, y), or null. */
  find(positions: Float32Array, x: number, y: number, radius: number): number | null {
    if (this.positions !== positions || this.tree === null) {
      const count = positions.length / 2;
      this.tree = quadtree<number>()
        .x((i) => positions[i * 2]!)
        .y((i) => positions[i * 2 + 1]!)
        .addAll(Array.from({ length: count }, (_, i) => i));
      this.positions = positions;
    }
    return this.tree.find(x, y, radius) ?? null;
  }
}
