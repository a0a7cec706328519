import { openChainSource, type ChainSource } from '@chaintrail/chain';
import type { Network } from '@chaintrail/core';
import type { GraphStore } from '@chaintrail/store';

/**
 * The chain source a case was ingested from, as its ingest checkpoint (`ingest:<case id>`)
 * records it, opened again for proofs; null with the reason when there is none or it cannot
 * be opened (block files moved, a server gone), so the bundle can say why its proofs are
 * missing.
 */
export async function openRecordedProofSource(
  store: GraphStore,
  caseId: string,
  options: { readonly network: Network; readonly cacheDir?: string },
): Promise<{ readonly source: ChainSource | null; readonly reason: string }> {
  const state = (await store.getCheckpoint(`ingest:${caseId}`))?.state as { source?: unknown } | null | undefined;
  const spec = typeof state?.source === 'string' ? state.source : null;
  if (spec === null) return { source: null, reason: 'the case has no recorded ingestion to name its chain source' };
  try {
    return { source: await openChainSource(spec, { network: options.network, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) }), reason: '' };
  } catch (error) {
    return { source: null, reason: `the chain source the case was ingested from (${spec}) could not be opened: ${(error as Error).message}` };
  }
}
