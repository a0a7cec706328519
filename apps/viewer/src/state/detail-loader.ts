/**
 * Loads what colours and names a node (an address's entity, an entity's label and
 * category, a transaction's CoinJoin verdict and time) in the background, newest nodes
 * first, at background priority so clicks go ahead. Each entity is asked for once.
 */
import type { ApiClient } from '../api/api-client.js';
import { describeError, isAbort, ViewerApiError } from '../api/viewer-api-error.js';
import type { EntityJson, TagJson } from '../api/wire-types.js';
import { categoryOfTag } from '../graph/node-category.js';
import { refOfKey, type NodeKey } from '../graph/node-key.js';
import { graphChanged, postMessage, type ViewerStore } from './viewer-store.js';

/** Requests of this loader in flight at most; the API client bounds all of them together too. */
const PARALLEL = 4;
/** Changes are shown in batches, not one redraw per answer. */
const NOTIFY_MS = 200;

export class DetailLoader {
  private readonly pending: NodeKey[] = [];
  private readonly queued = new Set<NodeKey>();
  private readonly entities = new Map<string, Promise<EntityJson>>();
  private running = 0;
  private failures = 0;
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private controller = new AbortController();

  constructor(
    private readonly client: ApiClient,
    private readonly store: ViewerStore,
  ) {}

  /** Queues the nodes whose details are not loaded yet. */
  want(keys: Iterable<NodeKey>): void {
    const model = this.store.getState().model;
    for (const key of keys) {
      const node = model.node(key);
      if (node === undefined || node.detailsLoaded || this.queued.has(key)) continue;
      this.queued.add(key);
      this.pending.push(key);
    }
    this.pump();
  }

  get backlog(): number {
    return this.pending.length + this.running;
  }

  /** An entity, asked for once per session of the case. */
  entity(entityId: string, priority: 'interactive' | 'background' = 'background'): Promise<EntityJson> {
    let found = this.entities.get(entityId);
    if (found === undefined) {
      found = this.client.entity(entityId, { priority, signal: this.controller.signal });
      found.catch(() => this.entities.delete(entityId));
      this.entities.set(entityId, found);
    }
    return found;
  }

  /** Forgets everything (another case was opened). */
  reset(): void {
    this.controller.abort(new DOMException('case closed', 'AbortError'));
    this.controller = new AbortController();
    this.pending.length = 0;
    this.queued.clear();
    this.entities.clear();
    this.failures = 0;
  }

  private pump(): void {
    while (this.running < PARALLEL && this.pending.length > 0) {
      const key = this.pending.pop()!;
      this.running++;
      const signal = this.controller.signal;
      this.load(key, signal)
        .catch((error: unknown) => {
          if (isAbort(error) || signal.aborted) return;
          this.failures++;
          if (this.failures === 1) postMessage(this.store, 'error', `Details of some nodes could not be loaded (they stay grey): ${describeError(error)}`);
        })
        .finally(() => {
          this.queued.delete(key);
          this.running--;
          this.pump();
        });
    }
  }

  private async load(key: NodeKey, signal: AbortSignal): Promise<void> {
    const ref = refOfKey(key);
    const options = { priority: 'background' as const, signal };
    const model = (): ReturnType<ViewerStore['getState']>['model'] => this.store.getState().model;
    if (ref.kind === 'address') {
      let entityId: string | null = null;
      try {
        entityId = (await this.client.address(ref.id, options)).entityId;
      } catch (error) {
        // An address the store never saw has no summary: an answer, not a failure.
        if (!(error instanceof ViewerApiError && error.code === 'CHAINTRAIL_NOT_FOUND')) throw error;
      }
      if (entityId !== null && this.store.getState().seedSet.has(ref.id) && !this.store.getState().siteEntities.has(entityId)) {
        this.store.setState((s) => ({ siteEntities: new Set([...s.siteEntities, entityId]) }));
      }
      if (entityId !== null) {
        const entity = await this.entity(entityId);
        model().setDetails(key, { entityId, label: entity.label, tagCategory: entity.category });
      } else {
        const { tags } = await this.client.tags(ref, options);
        const tag = strongestTag(tags);
        model().setDetails(key, { entityId: null, label: tag?.label ?? null, tagCategory: tag?.category ?? null });
      }
    } else if (ref.kind === 'entity') {
      const entity = await this.entity(ref.id);
      model().setDetails(key, { label: entity.label, tagCategory: entity.category, size: entity.size });
    } else {
      const tx = await this.client.transaction(ref.id, options);
      model().setDetails(key, { coinjoin: tx.coinjoin, time: tx.placement?.blockTime ?? null });
    }
    this.notify();
  }

  private notify(): void {
    if (this.notifyTimer !== null) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      graphChanged(this.store);
    }, NOTIFY_MS);
  }
}

/** The tag that decides an address's colour: sanctions first, then any known category. */
export function strongestTag(tags: readonly TagJson[]): TagJson | undefined {
  return tags.find((t) => categoryOfTag(t.category) === 'sanctioned') ?? tags.find((t) => categoryOfTag(t.category) !== null) ?? tags[0];
}
