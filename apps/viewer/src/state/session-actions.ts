/** Signing in with a token, choosing a case, and loading what the case holds. */
import { ApiClient } from '../api/api-client.js';
import { describeError, isAbort, ViewerApiError } from '../api/viewer-api-error.js';
import { forgetToken, saveToken, type TokenStorage } from '../auth/token-session.js';
import { nodeKey, type NodeKey } from '../graph/node-key.js';
import { NO_CANVAS } from './canvas-bridge.js';
import { DetailLoader } from './detail-loader.js';
import { reportsForNewCase } from './report-state.js';
import { emptyCaseState, graphChanged, initialViewerState, postMessage, type ViewerStore } from './viewer-store.js';
import type { ViewerContext } from './viewer-context.js';

/** Seeds held for colouring at most; a seized list of a million lines is paged in the panel instead. */
const SEED_SET_LIMIT = 20_000;
const SEED_PAGE = 1000;
/** Seeds whose entity is looked up at once to find the site's wallet. */
const SITE_PROBES = 12;

export async function signIn(store: ViewerStore, token: string, storage: TokenStorage, baseUrl = ''): Promise<ViewerContext | null> {
  store.setState({ phase: 'signing-in', signInError: null });
  const client = new ApiClient({ token, baseUrl });
  try {
    const session = await client.session();
    saveToken(storage, token);
    const context: ViewerContext = { store, client, details: new DetailLoader(client, store), canvas: NO_CANVAS };
    store.setState({ phase: 'ready', session });
    await loadCases(context);
    return context;
  } catch (error) {
    forgetToken(storage);
    const message =
      error instanceof ViewerApiError && error.code === 'CHAINTRAIL_UNAUTHENTICATED'
        ? 'This token is not accepted: it is mistyped, revoked or expired (the token in the login URL ends when `chaintrail serve` stops). Start `chaintrail serve` again and open the new login URL, or paste a token from `chaintrail token create`.'
        : describeError(error);
    store.setState({ phase: 'signed-out', signInError: message });
    return null;
  }
}

export function signOut(ctx: ViewerContext, storage: TokenStorage): void {
  ctx.details.reset();
  forgetToken(storage);
  ctx.store.setState({ ...initialViewerState() });
}

export async function loadCases(ctx: ViewerContext): Promise<void> {
  try {
    const { cases } = await ctx.client.cases();
    ctx.store.setState({ cases, casesError: null });
    const remembered = sessionStorage.getItem('chaintrail.case');
    const pick = cases.find((c) => c.id === remembered) ?? (cases.length === 1 ? cases[0] : undefined);
    if (pick !== undefined) await openCase(ctx, pick.id);
  } catch (error) {
    ctx.store.setState({ casesError: describeError(error) });
  }
}

/** Opens a case on an empty canvas: its seeds, jobs, notes and saved views. */
export async function openCase(ctx: ViewerContext, caseId: string): Promise<void> {
  const { store, client } = ctx;
  ctx.details.reset();
  sessionStorage.setItem('chaintrail.case', caseId);
  store.setState({ ...emptyCaseState(), caseId, reports: reportsForNewCase(store.getState().reports) });
  graphChanged(store);
  const stillOpen = (): boolean => store.getState().caseId === caseId;
  await Promise.all([
    loadSeeds(ctx, caseId).catch((error: unknown) => stillOpen() && store.setState({ seedsError: describeError(error) })),
    client
      .jobs(caseId)
      .then(({ jobs }) => stillOpen() && store.setState({ jobs }))
      .catch((error: unknown) => stillOpen() && postMessage(store, 'error', `The case's job status could not be loaded: ${describeError(error)}`)),
    loadAnnotations(ctx, caseId),
    client
      .views(caseId)
      .then(({ views }) => stillOpen() && store.setState({ views }))
      .catch((error: unknown) => stillOpen() && postMessage(store, 'error', `Saved views could not be listed: ${describeError(error)}`)),
  ]);
}

async function loadSeeds(ctx: ViewerContext, caseId: string): Promise<void> {
  const { store, client } = ctx;
  const first = await client.seeds(caseId, { limit: SEED_PAGE });
  if (store.getState().caseId !== caseId) return;
  store.setState({ seeds: first.items, seedsNext: first.nextCursor, seedSet: new Set(first.items.map((s) => s.address)) });
  void findSiteEntities(ctx, caseId, first.items.slice(0, SITE_PROBES).map((s) => s.address));
  // The rest of the seed set, for colouring, in the background.
  let cursor = first.nextCursor;
  const all = new Set(first.items.map((s) => s.address));
  while (cursor !== null && all.size < SEED_SET_LIMIT && store.getState().caseId === caseId) {
    const page = await client.seeds(caseId, { limit: SEED_PAGE, cursor }, { priority: 'background' });
    for (const seed of page.items) all.add(seed.address);
    cursor = page.nextCursor;
    store.setState({ seedSet: new Set(all) });
  }
  if (cursor !== null) postMessage(store, 'info', `Only the first ${SEED_SET_LIMIT.toLocaleString('en-US')} seeds are coloured as seeds; the panel lists them all.`);
}

/** Entities holding seeds are the site's wallet (common-input ownership through its sweeps). */
async function findSiteEntities(ctx: ViewerContext, caseId: string, addresses: readonly string[]): Promise<void> {
  const found = await Promise.all(
    addresses.map((address) =>
      ctx.client
        .address(address, { priority: 'background' })
        .then((summary) => summary.entityId)
        .catch(() => null),
    ),
  );
  if (ctx.store.getState().caseId !== caseId) return;
  const ids = found.filter((id): id is string => id !== null);
  ctx.store.setState((s) => ({ siteEntities: new Set([...s.siteEntities, ...ids]) }));
}

export async function loadMoreSeeds(ctx: ViewerContext): Promise<void> {
  const { caseId, seedsNext } = ctx.store.getState();
  if (caseId === null || seedsNext === null) return;
  try {
    const page = await ctx.client.seeds(caseId, { limit: SEED_PAGE, cursor: seedsNext });
    ctx.store.setState((s) => ({ seeds: [...s.seeds, ...page.items], seedsNext: page.nextCursor }));
  } catch (error) {
    if (!isAbort(error)) ctx.store.setState({ seedsError: describeError(error) });
  }
}

export async function loadAnnotations(ctx: ViewerContext, caseId: string): Promise<void> {
  try {
    const { annotations } = await ctx.client.annotations(caseId);
    if (ctx.store.getState().caseId !== caseId) return;
    const byNode = new Map<NodeKey, typeof annotations>();
    for (const annotation of annotations) {
      const key = nodeKey(annotation.target);
      byNode.set(key, [...(byNode.get(key) ?? []), annotation]);
    }
    ctx.store.setState({ annotations: byNode });
  } catch (error) {
    postMessage(ctx.store, 'error', `Notes could not be loaded: ${describeError(error)}`);
  }
}
