/** Keyboard shortcuts for the frequent actions; ignored while typing in a field. */
import { useEffect } from 'react';
import { highlightPath, select, showHidden } from '../state/graph-actions.js';
import { openReports } from '../state/report-actions.js';
import type { ViewerContext } from '../state/viewer-context.js';
import { useViewerStore } from '../state/viewer-store.js';
import type { NodeKey } from '../graph/node-key.js';
import { actionsFor } from './node-actions.js';

export function useShortcuts(ctx: ViewerContext): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement | null;
      if (target !== null && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const state = useViewerStore.getState();
      if (state.helpOpen && event.key !== '?') return;
      const primary = state.selection.at(-1);
      const general: Record<string, () => void> = {
        '/': () => window.dispatchEvent(new Event('chaintrail:focus-search')),
        '?': () => useViewerStore.setState((s) => ({ helpOpen: !s.helpOpen })),
        z: () => ctx.canvas.fit(),
        H: () => showHidden(ctx),
        l: () => void highlightPath(ctx),
        r: () => openReports(ctx, !state.reports.open),
        Escape: () => select(ctx, null, false),
        // Without a mouse: step through the drawn nodes.
        ']': () => step(ctx, primary, 1),
        '[': () => step(ctx, primary, -1),
      };
      const run = general[event.key];
      if (run !== undefined) {
        event.preventDefault();
        run();
        return;
      }
      if (primary === undefined) return;
      const action = actionsFor(state.model, primary).find((a) => a.key === event.key);
      if (action !== undefined) {
        event.preventDefault();
        void action.run(ctx, primary);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [ctx]);
}

/** Selects the next (or previous) drawn node, in the order they came onto the canvas. */
function step(ctx: ViewerContext, from: NodeKey | undefined, direction: 1 | -1): void {
  const { display } = ctx.canvas.scene();
  const count = display.nodes.length;
  if (count === 0) return;
  const at = from === undefined ? undefined : display.index.get(from);
  const next = display.nodes[at === undefined ? (direction === 1 ? 0 : count - 1) : (at + direction + count) % count]!;
  select(ctx, next.key, false);
  ctx.canvas.centreOn(next.key);
}
