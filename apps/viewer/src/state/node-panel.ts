/**
 * The side panel of the selected node: totals, first and last seen, tags with their sources,
 * the entity, and why the address is in that entity (the chain of linking transactions).
 */
import { describeError, isAbort, ViewerApiError } from '../api/viewer-api-error.js';
import type { AddressSummaryJson, ClusterLinkJson, EntityJson, TagJson, TransactionJson } from '../api/wire-types.js';
import { refOfKey, type NodeKey } from '../graph/node-key.js';
import type { ViewerContext } from './viewer-context.js';

export interface ClusterExplanationPanel {
  /** The other address of the entity the explanation joins this one to. */
  readonly other: string;
  readonly candidates: readonly string[];
  readonly links: readonly ClusterLinkJson[] | null;
  readonly loading: boolean;
  readonly error: string | null;
}

export interface NodePanel {
  readonly key: NodeKey;
  readonly loading: boolean;
  readonly error: string | null;
  /** The address is not in the store (seen only as a counterparty, or a typo). */
  readonly unknown: boolean;
  readonly summary: AddressSummaryJson | null;
  readonly entity: EntityJson | null;
  /** Tags on the address itself. */
  readonly tags: readonly TagJson[] | null;
  /** Tags on the entity's member addresses. */
  readonly entityTags: readonly TagJson[] | null;
  readonly members: readonly string[] | null;
  readonly tx: TransactionJson | null;
  readonly explanation: ClusterExplanationPanel | null;
}

const EMPTY = { loading: true, error: null, unknown: false, summary: null, entity: null, tags: null, entityTags: null, members: null, tx: null, explanation: null };

let current: AbortController | null = null;

/** Loads the panel for `key`, replacing (and cancelling) the one before. */
export async function loadPanel(ctx: ViewerContext, key: NodeKey): Promise<void> {
  current?.abort(new DOMException('another node selected', 'AbortError'));
  const controller = new AbortController();
  current = controller;
  const signal = controller.signal;
  const update = (patch: Partial<NodePanel>): void => {
    if (signal.aborted) return;
    ctx.store.setState((s) => (s.panel?.key === key ? { panel: { ...s.panel, ...patch } } : {}));
  };
  ctx.store.setState({ panel: { key, ...EMPTY } });
  const ref = refOfKey(key);
  const options = { signal, priority: 'interactive' as const };
  try {
    if (ref.kind === 'tx') {
      update({ tx: await ctx.client.transaction(ref.id, options), loading: false });
      return;
    }
    if (ref.kind === 'entity') {
      const [entity, tags, members] = await Promise.all([
        ctx.details.entity(ref.id, 'interactive'),
        ctx.client.tags(ref, options),
        ctx.client.entityMembers(ref.id, { limit: 20 }, options),
      ]);
      update({ entity, entityTags: tags.tags, members: members.items, loading: false });
      return;
    }
    let summary: AddressSummaryJson;
    try {
      summary = await ctx.client.address(ref.id, options);
    } catch (error) {
      if (error instanceof ViewerApiError && error.code === 'CHAINTRAIL_NOT_FOUND') {
        update({ unknown: true, loading: false, tags: (await ctx.client.tags(ref, options)).tags });
        return;
      }
      throw error;
    }
    update({ summary });
    const tags = ctx.client.tags(ref, options);
    if (summary.entityId === null) {
      update({ tags: (await tags).tags, loading: false });
      return;
    }
    const entityRef = { kind: 'entity' as const, id: summary.entityId };
    const [entity, own, entityTags, members] = await Promise.all([
      ctx.details.entity(summary.entityId, 'interactive'),
      tags,
      ctx.client.tags(entityRef, options),
      ctx.client.entityMembers(summary.entityId, { limit: 6 }, options),
    ]);
    update({ entity, tags: own.tags, entityTags: entityTags.tags, members: members.items, loading: false });
    if (entity.size > 1) {
      const onCanvas = ctx.store
        .getState()
        .model.membersOf(summary.entityId)
        .map((n) => n.id);
      const candidates = [...new Set([...onCanvas, ...members.items])].filter((a) => a !== ref.id);
      if (candidates.length > 0) await explain(ctx, key, candidates[0]!, candidates);
    }
  } catch (error) {
    if (isAbort(error)) return;
    update({ loading: false, error: describeError(error) });
  }
}

/** Why the selected address and `other` are one entity. */
export async function explain(ctx: ViewerContext, key: NodeKey, other: string, candidates?: readonly string[]): Promise<void> {
  const address = refOfKey(key).id;
  const set = (explanation: Partial<ClusterExplanationPanel>): void =>
    ctx.store.setState((s) => {
      if (s.panel?.key !== key) return {};
      const before = s.panel.explanation ?? { other, candidates: candidates ?? [], links: null, loading: true, error: null };
      return { panel: { ...s.panel, explanation: { ...before, ...explanation } } };
    });
  set({ other, ...(candidates !== undefined ? { candidates } : {}), loading: true, error: null, links: null });
  try {
    const { explanation } = await ctx.client.clusterExplanation(address, other, { signal: current?.signal });
    set({ loading: false, links: explanation?.links ?? [] });
  } catch (error) {
    if (isAbort(error)) return;
    set({ loading: false, error: describeError(error) });
  }
}
