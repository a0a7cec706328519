/** Saved views: save the canvas as it is, list, reopen exactly, delete. */
import { describeError } from '../api/viewer-api-error.js';
import { loadPanel } from './node-panel.js';
import { restoreView, serialiseView, viewBytes } from './saved-view.js';
import { runTask } from './task-runner.js';
import type { ViewerContext } from './viewer-context.js';
import { graphChanged, newId, postMessage } from './viewer-store.js';

/** The API refuses bodies past 1 MiB by default (apps/api api-config bodyLimitBytes). */
const BODY_LIMIT = 1024 * 1024;

function snapshotState(ctx: ViewerContext) {
  const state = ctx.store.getState();
  return serialiseView({
    model: state.model,
    positions: ctx.canvas.positions(),
    filters: state.filters,
    transform: ctx.canvas.viewport().transform,
    selection: state.selection,
    path: state.path === null ? null : { nodes: [...state.path.nodes], edges: [...state.path.edges] },
  });
}

/** Saves the canvas under `name`; replaces the open view when `replace` is set. */
export async function saveView(ctx: ViewerContext, name: string, replace: boolean): Promise<void> {
  const { caseId, currentView } = ctx.store.getState();
  if (caseId === null) return;
  const state = snapshotState(ctx);
  const bytes = viewBytes(state);
  if (bytes > BODY_LIMIT - 1024) {
    postMessage(ctx.store, 'error', `This view is ${(bytes / 1024 / 1024).toFixed(1)} MB, more than the API accepts (1 MB). Hide nodes you do not need, or collapse addresses into entities, and save again.`);
    return;
  }
  await runTask(ctx.store, `Save view "${name}"`, async (signal) => {
    const saved =
      replace && currentView !== null
        ? await ctx.client.replaceView(caseId, currentView.id, { name, state }, { signal })
        : await ctx.client.saveView(caseId, { name, state }, { signal });
    ctx.store.setState((s) => ({
      currentView: { id: saved.id, name: saved.name },
      views: [...(s.views ?? []).filter((v) => v.id !== saved.id), saved],
    }));
    postMessage(ctx.store, 'success', `View "${saved.name}" saved (${state.nodes.length} nodes).`);
  });
}

/** Reopens a view exactly: same nodes, positions, zoom, filters, selection and path. */
export async function openView(ctx: ViewerContext, viewId: string): Promise<void> {
  const { caseId } = ctx.store.getState();
  if (caseId === null) return;
  await runTask(ctx.store, 'Open saved view', async (signal) => {
    const view = await ctx.client.view(caseId, viewId, { signal });
    let restored;
    try {
      restored = restoreView(view.state, view.name);
    } catch (error) {
      postMessage(ctx.store, 'error', describeError(error));
      return;
    }
    ctx.details.reset();
    ctx.store.setState({
      model: restored.model,
      filters: restored.filters,
      selection: restored.selection,
      path: restored.path === null ? null : { nodes: new Set(restored.path.nodes), edges: new Set(restored.path.edges), description: `path saved with "${view.name}"` },
      currentView: { id: view.id, name: view.name },
      panel: null,
      restore: { positions: restored.positions, transform: restored.transform, token: newId() },
    });
    graphChanged(ctx.store);
    const primary = restored.selection.at(-1);
    if (primary !== undefined) void loadPanel(ctx, primary);
    // Nodes whose details had not arrived when the view was saved are asked for now.
    ctx.details.want([...restored.model.nodes.values()].filter((n) => !n.detailsLoaded).map((n) => n.key));
    postMessage(ctx.store, 'success', `View "${view.name}" opened (${restored.model.size} nodes).`);
  });
}

export async function deleteView(ctx: ViewerContext, viewId: string): Promise<void> {
  const { caseId } = ctx.store.getState();
  if (caseId === null) return;
  await runTask(ctx.store, 'Delete saved view', async (signal) => {
    await ctx.client.deleteView(caseId, viewId, { signal });
    ctx.store.setState((s) => ({ views: (s.views ?? []).filter((v) => v.id !== viewId), currentView: s.currentView?.id === viewId ? null : s.currentView }));
  });
}
