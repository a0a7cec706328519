/**
 * The cluster links investigators vetoed, as the store records them (job checkpoints of
 * kind `cluster-vetoes`, written by @chaintrail/ingest's link-vetoes.ts). Clustering is per
 * store, so a bundle lists the vetoes of every case in it: each one shaped the entities.
 * Read leniently here: a checkpoint this build cannot read is named in the bundle's notes
 * rather than silently left out.
 */
import type { GraphStore } from '@chaintrail/store';
import { z } from 'zod';
import type { ManifestVeto } from './manifest.js';

const VETO_CHECKPOINT_KIND = 'cluster-vetoes';

const vetoState = z.object({
  vetoes: z.array(z.object({ txid: z.string(), heuristic: z.string().nullable(), reason: z.string().nullable(), recordedAt: z.string(), by: z.string().nullable() })),
});

export async function recordedVetoes(store: GraphStore): Promise<{ vetoes: ManifestVeto[]; notes: string[] }> {
  const vetoes: ManifestVeto[] = [];
  const notes: string[] = [];
  for (const checkpoint of await store.listCheckpoints()) {
    if (checkpoint.kind !== VETO_CHECKPOINT_KIND || checkpoint.caseId === null) continue;
    const parsed = vetoState.safeParse(checkpoint.state);
    if (!parsed.success) {
      notes.push(`the link vetoes of case ${checkpoint.caseId} (checkpoint ${checkpoint.jobId}) could not be read by this chaintrail and are not listed`);
      continue;
    }
    for (const v of parsed.data.vetoes) vetoes.push({ caseId: checkpoint.caseId, ...v });
  }
  vetoes.sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : (a.heuristic ?? '') < (b.heuristic ?? '') ? -1 : 1));
  return { vetoes, notes };
}
