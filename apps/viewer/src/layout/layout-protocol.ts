/** Messages between the viewer and the layout worker. Positions travel as transferred Float32Arrays. */

export interface LayoutNodeInput {
  readonly key: string;
  /** Where to put a node the layout does not know yet (or every node, with `exact`). */
  readonly x: number;
  readonly y: number;
  readonly kind: 'address' | 'tx' | 'entity';
  /** Held in place (pinned, or being dragged). */
  readonly fixed: boolean;
}

export interface LayoutGraphInput {
  /** Increases with each graph; positions answer with the version they belong to. */
  readonly version: number;
  readonly nodes: readonly LayoutNodeInput[];
  /** Pairs of node indices. */
  readonly links: Uint32Array;
  /**
   * Take every given position as it is and do not move anything until asked (a saved view
   * restored exactly). Otherwise known nodes keep their positions and the layout runs.
   */
  readonly exact: boolean;
  /** How hard to shake the layout after the change (0 to 1). */
  readonly alpha: number;
}

export type LayoutCommand =
  | { readonly type: 'graph'; readonly graph: LayoutGraphInput }
  | { readonly type: 'fix'; readonly key: string; readonly x: number; readonly y: number }
  | { readonly type: 'release'; readonly key: string }
  | { readonly type: 'reheat'; readonly alpha: number }
  | { readonly type: 'stop' };

export interface LayoutPositions {
  readonly type: 'positions';
  readonly version: number;
  /** x0, y0, x1, y1, ... in the order of the graph's nodes. */
  readonly positions: Float32Array;
  readonly alpha: number;
  readonly running: boolean;
  /** Milliseconds the last tick took. */
  readonly tickMs: number;
}
