import { useEffect, useRef, useState } from 'react';
import { CATEGORY_LABELS } from '../graph/node-category.js';
import type { NodeKey } from '../graph/node-key.js';
import { workerLayout } from '../layout/layout-runner.js';
import { CanvasView } from '../render/canvas-view.js';
import { shortLabel } from '../render/graph-style.js';
import { select } from '../state/graph-actions.js';
import { useViewerStore } from '../state/viewer-store.js';
import { NodeContextMenu } from './NodeContextMenu.js';
import { useDisplayGraph, useSceneMarks } from './use-display-graph.js';
import { useViewer } from './viewer-context-react.js';

interface Hover {
  readonly key: NodeKey;
  readonly x: number;
  readonly y: number;
}

/** The graph canvas with its tooltip, context menu and empty and loading states. */
export function GraphCanvas() {
  const ctx = useViewer();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<CanvasView | null>(null);
  const display = useDisplayGraph();
  const marks = useSceneMarks();
  const restore = useViewerStore((s) => s.restore);
  const tasks = useViewerStore((s) => s.tasks);
  const [hover, setHover] = useState<Hover | null>(null);
  const [menu, setMenu] = useState<Hover | null>(null);
  const appliedRestore = useRef<number | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const wrap = wrapRef.current!;
    const view = new CanvasView(canvas, workerLayout(), {
      onSelect: (key, additive) => {
        setMenu(null);
        select(ctx, key, additive);
      },
      onHover: (key, x, y) => setHover(key === null ? null : { key, x, y }),
      onContextMenu: (key, x, y) => {
        select(ctx, key, false);
        setMenu({ key, x, y });
      },
    });
    viewRef.current = view;
    ctx.canvas = {
      positions: () => view.positionsByKey(),
      viewport: () => view.viewport(),
      scene: () => view.scene(),
      setTransform: (t) => view.setTransform(t),
      centreOn: (key) => view.centreOn(key),
      fit: () => view.fit(),
    };
    // For end-to-end tests and the console: where nodes are, read-only.
    (window as unknown as { chaintrailCanvas?: unknown }).chaintrailCanvas = {
      nodeClientPosition: (key: string) => view.clientPositionOf(key),
      drawnNodes: () =>
        view.scene().display.nodes.map((n) => ({ key: n.key, category: n.category, label: n.node.label, expandedIn: n.node.expandedIn, expandedOut: n.node.expandedOut, detailsLoaded: n.node.detailsLoaded })),
      drawnEdges: () => view.scene().display.edges.map((e) => ({ key: e.key, value: e.value.toString(), kind: e.kind })),
      stats: () => ({ ...view.stats }),
      viewport: () => view.viewport(),
      positions: () => Object.fromEntries(view.positionsByKey()),
    };
    const resize = (): void => {
      const rect = wrap.getBoundingClientRect();
      view.resize(rect.width, rect.height, window.devicePixelRatio || 1);
    };
    const observer = new ResizeObserver(resize);
    observer.observe(wrap);
    resize();
    return () => {
      observer.disconnect();
      view.dispose();
      viewRef.current = null;
    };
  }, [ctx]);

  useEffect(() => {
    const view = viewRef.current;
    if (view === null) return;
    if (restore !== null && appliedRestore.current !== restore.token) {
      appliedRestore.current = restore.token;
      view.setScene({ display, marks, exact: { positions: restore.positions, transform: restore.transform } });
    } else {
      view.setScene({ display, marks });
    }
    // Marks change alone far more often than the graph; they have their own effect.
  }, [display, restore]);

  useEffect(() => viewRef.current?.setMarks(marks), [marks]);

  const busy = tasks.length > 0;
  const hovered = hover === null ? undefined : display.nodes[display.index.get(hover.key) ?? -1];
  return (
    <div className="canvas-wrap" ref={wrapRef}>
      <canvas
        ref={canvasRef}
        className="graph-canvas"
        tabIndex={0}
        role="img"
        aria-label={`Payment graph: ${display.nodes.length} nodes and ${display.edges.length} edges drawn. Select nodes with the mouse; the side panel lists the selected node's details and actions.`}
        data-testid="graph-canvas"
      />
      {display.nodes.length === 0 && (
        <div className="canvas-empty" role="status">
          {busy ? (
            <p>Loading…</p>
          ) : (
            <>
              <p className="canvas-empty-title">Nothing on the canvas yet</p>
              <p>Search for an address, transaction, tag or entity above, or add the case&apos;s seized addresses from the panel on the right.</p>
              {display.hiddenNodes + display.filteredOut.nodes > 0 && (
                <p>
                  {display.hiddenNodes} hidden and {display.filteredOut.nodes} filtered-out nodes are not drawn.
                </p>
              )}
            </>
          )}
        </div>
      )}
      {hovered !== undefined && hover !== null && menu === null && (
        <div className="tooltip" style={{ left: hover.x + 14, top: hover.y + 10 }} role="tooltip">
          <strong>{shortLabel(hovered.kind, hovered.id, hovered.node.label)}</strong>
          <span>
            {hovered.kind === 'tx' ? 'transaction' : hovered.kind} · {CATEGORY_LABELS[hovered.category]}
            {hovered.collapsedMembers > 0 ? ` · ${hovered.collapsedMembers} addresses collapsed` : ''}
          </span>
        </div>
      )}
      {menu !== null && <NodeContextMenu nodeKey={menu.key} x={menu.x} y={menu.y} onClose={() => setMenu(null)} />}
    </div>
  );
}
