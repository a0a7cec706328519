/**
 * The reports panel: load the payers and flows reports of the open case from the API, and
 * put a row's money path on the canvas (its transactions and addresses with exact amounts,
 * the service or destination entity it names, highlighted, the side panel on it).
 */
import type { FlowReportQuery, PayerReportQuery } from '../api/api-client.js';
import type { FlowModelNameJson } from '../api/report-wire-types.js';
import { describeError, isAbort } from '../api/viewer-api-error.js';
import type { NodeRef, TransactionJson } from '../api/wire-types.js';
import { nodeKey, type NodeKey } from '../graph/node-key.js';
import { directSourceAddresses, flowsAlongPath, pathNodes, sourceEntities, sourceFlows, type ReportPath } from '../reports/report-path.js';
import { highlightFlows, select } from './graph-actions.js';
import { IDLE, type Loadable, type ReportsState, type ReportTab } from './report-state.js';
import { runTask } from './task-runner.js';
import type { ViewerContext } from './viewer-context.js';
import { postMessage } from './viewer-store.js';

/** Input addresses of a path's first transaction looked up to find the source's own (an exchange's hot wallet rarely has more). */
const MAX_SOURCE_LOOKUPS = 40;

function setReports(ctx: ViewerContext, patch: Partial<ReportsState>): void {
  ctx.store.setState((s) => ({ reports: { ...s.reports, ...patch } }));
}

export function openReports(ctx: ViewerContext, open: boolean, tab?: ReportTab): void {
  setReports(ctx, { open, ...(tab !== undefined ? { tab } : {}) });
}

export function chooseFlowModel(ctx: ViewerContext, flowModel: FlowModelNameJson): void {
  setReports(ctx, { flowModel, activeRow: null });
}

/** Loads one report into the panel: loading, then the report or what went wrong (a cancel leaves it as it was before). */
async function loadReport<K extends ReportTab>(ctx: ViewerContext, key: K, label: string, fetch: (caseId: string, signal: AbortSignal) => Promise<ReportsState[K] extends Loadable<infer T> ? T : never>): Promise<void> {
  const caseId = ctx.store.getState().caseId;
  if (caseId === null) return;
  const before = ctx.store.getState().reports[key];
  setReports(ctx, { [key]: { status: 'loading' }, activeRow: null });
  const stillOpen = (): boolean => ctx.store.getState().caseId === caseId;
  await runTask(ctx.store, label, async (signal) => {
    try {
      const data = await fetch(caseId, signal);
      if (stillOpen()) setReports(ctx, { [key]: { status: 'ready', data } });
    } catch (error) {
      if (stillOpen()) setReports(ctx, { [key]: isAbort(error) || signal.aborted ? (before.status === 'loading' ? IDLE : before) : { status: 'error', message: describeError(error) } });
      throw error;
    }
  });
}

export function loadPayerReport(ctx: ViewerContext, query: PayerReportQuery = {}): Promise<void> {
  return loadReport(ctx, 'payers', 'Payers report', (caseId, signal) => ctx.client.payerReport(caseId, query, { signal }));
}

export function loadFlowReport(ctx: ViewerContext, query: FlowReportQuery): Promise<void> {
  const from = query.from.length > 0 ? `from ${query.from.length === 1 ? query.from[0]! : `${query.from.length} origins`}` : "from the seeds' entities";
  return loadReport(ctx, 'flows', `Flows report ${from}`, (caseId, signal) => ctx.client.flowReport(caseId, query, { signal }));
}

/** A lookup that failed counts as "not known" (the path is drawn without it); a cancel stays a cancel. */
function unlessCancelled(error: unknown): null {
  if (isAbort(error)) throw error;
  return null;
}

/**
 * Which input addresses of the first transaction are the source's: those the report names,
 * and those whose entity it names (looked up), each with its entity.
 */
async function sourceMembers(ctx: ViewerContext, path: ReportPath, first: TransactionJson, signal: AbortSignal): Promise<Map<string, string | null>> {
  const members = new Map<string, string | null>([...directSourceAddresses(first, path.source)].map((a) => [a, null]));
  const entities = sourceEntities(path);
  if (entities.size === 0) return members;
  const inputs = [...new Set(first.inputs.map((i) => i.address).filter((a): a is string => a !== null && !members.has(a)))].slice(0, MAX_SOURCE_LOOKUPS);
  const summaries = await Promise.all(inputs.map((address) => ctx.client.address(address, { signal }).catch(unlessCancelled)));
  summaries.forEach((summary, i) => {
    if (summary?.entityId != null && entities.has(summary.entityId)) members.set(inputs[i]!, summary.entityId);
  });
  return members;
}

/** The destination entity, when the path's last address is (checked) one of its addresses. */
async function destinationMember(ctx: ViewerContext, path: ReportPath, signal: AbortSignal): Promise<[string, string] | null> {
  const last = path.steps.at(-1)?.address ?? null;
  if (path.destination?.kind !== 'entity' || last === null) return null;
  const summary = await ctx.client.address(last, { signal }).catch(unlessCancelled);
  return summary?.entityId === path.destination.id ? [last, path.destination.id] : null;
}

/** Puts a report row's path on the canvas, highlights it, and shows its service or destination in the side panel. */
export async function showReportPath(ctx: ViewerContext, rowId: string, path: ReportPath): Promise<void> {
  setReports(ctx, { activeRow: rowId });
  await runTask(ctx.store, `Path: ${path.description}`, async (signal, progress) => {
    const txids = [...new Set(path.steps.map((s) => s.txid))];
    const txs = new Map<string, TransactionJson>();
    await Promise.all(txids.map(async (txid) => txs.set(txid, await ctx.client.transaction(txid, { signal }))));
    progress(`${txs.size} transaction${txs.size === 1 ? '' : 's'} read`);
    const facts = flowsAlongPath(path, txs);
    const first = txs.get(path.steps[0]!.txid)!;
    const members = await sourceMembers(ctx, path, first, signal);
    facts.push(...sourceFlows(first, new Set(members.keys())));
    const destination = await destinationMember(ctx, path, signal);

    const { model } = ctx.store.getState();
    const near = pathNodes(path).map(nodeKey).find((key) => model.node(key) !== undefined) ?? null;
    const added = model.addFlows(facts, 'path', near);
    // Addresses drawn as their entity, as the report counts them: the service, the origin, the destination.
    const entities = new Set<string>();
    for (const [address, entityId] of [...members, ...(destination === null ? [] : [destination])]) {
      const node = model.node(nodeKey({ kind: 'address', id: address }));
      if (node === undefined || entityId === null) continue;
      node.entityId = entityId;
      entities.add(entityId);
    }
    for (const entityId of entities) added.push(model.collapse(entityId).key);
    ctx.details.want(added);
    highlightFlows(ctx, facts, path.description);

    const focusKey = drawnKey(ctx, path.focus) ?? nodeKey({ kind: 'tx', id: first.txid });
    select(ctx, focusKey, false);
    ctx.canvas.centreOn(focusKey);
    const missing = path.source.length > 0 && members.size === 0 ? ' The source named by the report was not found among the first transaction’s inputs.' : '';
    postMessage(ctx.store, missing === '' ? 'success' : 'info', `On the canvas: ${path.description}.${missing}`);
  });
}

/** The key a node is drawn under (its entity when collapsed), or null when it is not on the canvas. */
function drawnKey(ctx: ViewerContext, ref: NodeRef): NodeKey | null {
  const { model } = ctx.store.getState();
  const node = model.node(nodeKey(ref));
  return node === undefined ? null : model.representative(node);
}
