/**
 * Vetoed cluster links, remembered in the store (issue 5, "Guards against super-clusters";
 * METHODS.md: a few false links collapse the graph, Meiklejohn et al., CACM 2016). An
 * investigator who rejects the links of a transaction records a veto; every clustering run
 * reads the vetoes of every case in the store and never applies those links, so the entity
 * stays split after re-clustering and after re-ingestion.
 *
 * They live in a job checkpoint per case (kind `cluster-vetoes`) rather than a table of
 * their own: checkpoints are in both stores already, travel with the store, and evidence
 * bundles record every checkpoint of the case. Clustering is per store, not per case, so a
 * run applies the vetoes of all cases in the store.
 */
import { ChaintrailError, CHANGE_HEURISTICS, COMMON_INPUT, P2SH_WRAPPED, type LinkHeuristic, type LinkVeto } from '@chaintrail/core';
import type { GraphStore } from '@chaintrail/store';
import { z } from 'zod';

export const VETO_CHECKPOINT_KIND = 'cluster-vetoes';

export function vetoJobId(caseId: string): string {
  return `${VETO_CHECKPOINT_KIND}:${caseId}`;
}

const LINK_HEURISTICS = [COMMON_INPUT.name, P2SH_WRAPPED.name, ...Object.keys(CHANGE_HEURISTICS)] as [LinkHeuristic, ...LinkHeuristic[]];

const recordedVetoSchema = z.object({
  txid: z.string().regex(/^[0-9a-f]{64}$/),
  /** Only this heuristic's links of the transaction; null for all of them. */
  heuristic: z.enum(LINK_HEURISTICS).nullable(),
  reason: z.string().nullable(),
  /** ISO time the veto was recorded. */
  recordedAt: z.string(),
  /** Who recorded it, when stated. */
  by: z.string().nullable(),
});

const vetoStateSchema = z.object({ vetoes: z.array(recordedVetoSchema) });

export type RecordedVeto = z.infer<typeof recordedVetoSchema>;

/** A recorded veto with the case it was recorded in. */
export interface CaseVeto extends RecordedVeto {
  readonly caseId: string;
}

/** The vetoes recorded in one case, in the order recorded. */
export async function caseVetoes(store: GraphStore, caseId: string): Promise<RecordedVeto[]> {
  const checkpoint = await store.getCheckpoint(vetoJobId(caseId));
  return checkpoint === null ? [] : parseVetoState(checkpoint.state);
}

/** Every veto of every case in the store: what a clustering run applies. */
export async function storedVetoes(store: GraphStore): Promise<CaseVeto[]> {
  const all: CaseVeto[] = [];
  for (const checkpoint of await store.listCheckpoints()) {
    if (checkpoint.kind !== VETO_CHECKPOINT_KIND || checkpoint.caseId === null) continue;
    for (const veto of parseVetoState(checkpoint.state)) all.push({ ...veto, caseId: checkpoint.caseId });
  }
  return all;
}

/** A stored veto as core's clusterer takes it. */
export function linkVetoOf(veto: RecordedVeto): LinkVeto {
  return { txid: veto.txid, ...(veto.heuristic !== null ? { heuristic: veto.heuristic } : {}), ...(veto.reason !== null ? { reason: veto.reason } : {}) };
}

/**
 * Records a veto in the case; a veto of the same transaction and heuristic replaces the
 * earlier one (a new reason). Returns the case's vetoes after the change.
 */
export async function recordVeto(store: GraphStore, caseId: string, veto: RecordedVeto): Promise<RecordedVeto[]> {
  const parsed = recordedVetoSchema.parse(veto);
  const kept = (await caseVetoes(store, caseId)).filter((v) => !(v.txid === parsed.txid && v.heuristic === parsed.heuristic));
  return writeVetoes(store, caseId, [...kept, parsed]);
}

/**
 * Removes the case's vetoes of `txid` (only those of `heuristic` when given); returns the
 * vetoes removed, [] when there was none.
 */
export async function removeVeto(store: GraphStore, caseId: string, txid: string, heuristic?: LinkHeuristic): Promise<RecordedVeto[]> {
  const all = await caseVetoes(store, caseId);
  const matches = (v: RecordedVeto): boolean => v.txid === txid && (heuristic === undefined || v.heuristic === heuristic);
  const removed = all.filter(matches);
  if (removed.length > 0) await writeVetoes(store, caseId, all.filter((v) => !matches(v)));
  return removed;
}

async function writeVetoes(store: GraphStore, caseId: string, vetoes: RecordedVeto[]): Promise<RecordedVeto[]> {
  await store.setCheckpoint({ jobId: vetoJobId(caseId), caseId, kind: VETO_CHECKPOINT_KIND, state: { vetoes } });
  return vetoes;
}

function parseVetoState(state: unknown): RecordedVeto[] {
  const parsed = vetoStateSchema.safeParse(state);
  // A checkpoint this build cannot read is not silently dropped: a lost veto would merge a split entity again.
  if (!parsed.success) throw new UnreadableVetoesError(parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data.vetoes;
}

/** The vetoes checkpoint holds something this build cannot read. */
export class UnreadableVetoesError extends ChaintrailError {
  constructor(detail: string) {
    super('CHAINTRAIL_STORE_VETOES', `The link vetoes recorded in the store cannot be read (${detail}). Clustering stops rather than merge vetoed links again; use the chaintrail version that recorded them.`);
  }
}
