/**
 * The layout worker: runs ForceLayout off the main thread and posts positions after each
 * batch of ticks, so the canvas stays interactive while thousands of nodes settle.
 */
import { ForceLayout } from './force-layout.js';
import type { LayoutCommand, LayoutPositions } from './layout-protocol.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutCommand>) => void) | null;
  postMessage(message: LayoutPositions, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
const layout = new ForceLayout();
/** Ticks are batched up to this long before positions are posted (about one frame). */
const BATCH_MS = 14;
let scheduled = false;

function post(tickMs: number): void {
  const positions = layout.positions();
  scope.postMessage({ type: 'positions', version: layout.graphVersion, positions, alpha: layout.alpha, running: layout.running, tickMs }, [positions.buffer]);
}

function loop(): void {
  scheduled = false;
  if (!layout.running) return;
  const start = performance.now();
  let ticks = 0;
  do {
    layout.tick();
    ticks++;
  } while (layout.running && performance.now() - start < BATCH_MS);
  post((performance.now() - start) / ticks);
  schedule();
}

function schedule(): void {
  if (scheduled || !layout.running) return;
  scheduled = true;
  setTimeout(loop, 0);
}

scope.onmessage = (event) => {
  const command = event.data;
  switch (command.type) {
    case 'graph':
      layout.setGraph(command.graph);
      post(0);
      break;
    case 'fix':
      layout.fix(command.key, command.x, command.y);
      layout.reheat(0.1);
      break;
    case 'release':
      layout.release(command.key);
      break;
    case 'reheat':
      layout.reheat(command.alpha);
      break;
    case 'stop':
      layout.stop();
      post(0);
      break;
  }
  schedule();
};
