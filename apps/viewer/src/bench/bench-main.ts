/**
 * The benchmark page (bench.html, built by vite.bench.config.ts; driven by
 * bench/viewer.bench.ts): the viewer's canvas and layout on a synthetic graph of
 * `?nodes=N` nodes, the layout in the worker or, as the baseline, on the main thread
 * (`?layout=main`). It measures frames per second while the layout runs and while the
 * user pans and zooms, and the time to the first drawn frame.
 */
import { NO_FILTERS } from '../graph/graph-filters.js';
import { projectGraph } from '../graph/graph-projection.js';
import { mainThreadLayout, workerLayout } from '../layout/layout-runner.js';
import { CanvasView } from '../render/canvas-view.js';
import { fitTransform, NO_MARKS, type ViewTransform } from '../render/scene.js';
import { syntheticGraph } from './synthetic-graph.js';

interface FrameReport {
  /** Frames put on screen per second (full draws and moves of the cached frame). */
  readonly fps: number;
  readonly frames: number;
  /** Frames that drew every node again, per second. */
  readonly fullFps: number;
  /** Milliseconds of script per frame, mean. */
  readonly meanDrawMs: number;
  /** Position batches from the layout shown during the measurement. */
  readonly layoutUpdates: number;
}

const params = new URLSearchParams(location.search);
const size = Number(params.get('nodes') ?? '1000');
const layoutWhere = params.get('layout') === 'main' ? 'main' : 'worker';
const canvas = document.getElementById('canvas') as HTMLCanvasElement;
const view = new CanvasView(canvas, layoutWhere === 'main' ? mainThreadLayout() : workerLayout(), { onSelect: () => undefined, onHover: () => undefined, onContextMenu: () => undefined });
view.resize(window.innerWidth, window.innerHeight, 1);

const model = syntheticGraph(size);
const display = projectGraph(model, NO_FILTERS, { seeds: new Set(), siteEntities: new Set() });
view.setScene({ display, marks: NO_MARKS });
view.setTransform(fitTransform(view.scene().positions, window.innerWidth, window.innerHeight));
view.renderFrame();
const firstRenderMs = performance.now();

/** Draws every animation frame for `ms`, moving the view with `move(t)`; counts frames. */
function frames(ms: number, move: (t: number, base: ViewTransform) => ViewTransform | null): Promise<FrameReport> {
  return new Promise((resolve) => {
    const base = view.viewport().transform;
    const start = performance.now();
    const updates = view.stats.positionUpdates;
    const fullDraws = view.stats.fullDraws;
    let count = 0;
    let drawMs = 0;
    const frame = (now: number): void => {
      const t = now - start;
      if (t >= ms) {
        const seconds = (performance.now() - start) / 1000;
        resolve({ fps: count / seconds, frames: count, fullFps: (view.stats.fullDraws - fullDraws) / seconds, meanDrawMs: count === 0 ? 0 : drawMs / count, layoutUpdates: view.stats.positionUpdates - updates });
        return;
      }
      const next = move(t, base);
      if (next !== null) view.setTransform(next, true);
      const before = performance.now();
      view.renderFrame();
      drawMs += performance.now() - before;
      count++;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

const bench = {
  /** For poking at by hand in the console. */
  view,
  size,
  layout: layoutWhere,
  nodes: display.nodes.length,
  edges: display.edges.length,
  firstRenderMs,
  /** While the layout runs, with the user panning slowly (the main thread must keep drawing). */
  duringLayout: (ms: number) => {
    view.reheat();
    return frames(ms, (t, base) => ({ ...base, x: base.x + Math.sin(t / 400) * 40 }));
  },
  /** Layout stopped; the view pans across and zooms between the whole graph and 4x closer. */
  duringPanZoom: (ms: number) => {
    view.stopLayout();
    return frames(ms, (t, base) => {
      const zoom = 1 + 1.5 * (1 - Math.cos(t / 700));
      const cx = window.innerWidth / 2;
      const cy = window.innerHeight / 2;
      return { k: base.k * zoom, x: cx - (cx - base.x) * zoom + Math.sin(t / 500) * 120, y: cy - (cy - base.y) * zoom + Math.cos(t / 650) * 80 };
    });
  },
};

(window as unknown as { chaintrailBench: typeof bench }).chaintrailBench = bench;
