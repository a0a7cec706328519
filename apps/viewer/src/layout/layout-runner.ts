/**
 * Where the layout runs: in a worker (the viewer) or on the main thread (the benchmark's
 * baseline). Both take the same commands and report positions the same way.
 */
import { ForceLayout } from './force-layout.js';
import type { LayoutCommand, LayoutPositions } from './layout-protocol.js';

export interface LayoutRunner {
  send(command: LayoutCommand): void;
  onPositions(listener: (positions: LayoutPositions) => void): void;
  dispose(): void;
}

export function workerLayout(): LayoutRunner {
  const worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module', name: 'chaintrail-layout' });
  let listener: ((positions: LayoutPositions) => void) | null = null;
  worker.onmessage = (event: MessageEvent<LayoutPositions>) => listener?.(event.data);
  return {
    send: (command) => worker.postMessage(command),
    onPositions: (next) => {
      listener = next;
    },
    dispose: () => worker.terminate(),
  };
}

/** The same layout ticking on the main thread, one batch per animation frame. */
export function mainThreadLayout(): LayoutRunner {
  const layout = new ForceLayout();
  let listener: ((positions: LayoutPositions) => void) | null = null;
  let frame: number | null = null;
  const post = (tickMs: number): void => listener?.({ type: 'positions', version: layout.graphVersion, positions: layout.positions(), alpha: layout.alpha, running: layout.running, tickMs });
  const loop = (): void => {
    frame = null;
    if (!layout.running) return;
    const start = performance.now();
    layout.tick();
    post(performance.now() - start);
    frame = requestAnimationFrame(loop);
  };
  const schedule = (): void => {
    if (frame === null && layout.running) frame = requestAnimationFrame(loop);
  };
  return {
    send: (command) => {
      if (command.type === 'graph') {
        layout.setGraph(command.graph);
        post(0);
      } else if (command.type === 'fix') layout.fix(command.key, command.x, command.y);
      else if (command.type === 'release') layout.release(command.key);
      else if (command.type === 'reheat') layout.reheat(command.alpha);
      else {
        layout.stop();
        post(0);
      }
      schedule();
    },
    onPositions: (next) => {
      listener = next;
    },
    dispose: () => {
      if (frame !== null) cancelAnimationFrame(frame);
    },
  };
}
