/**
 * What every report states about itself, so that it can be checked and rerun: the case,
 * the chain tip it was computed at (never the wall clock: the same data gives the same
 * bytes), its parameters, the methods with their versions and sources, the clustering
 * heuristics behind its entities and the tag sources behind its labels.
 */
import { readFileSync } from 'node:fs';
import { NotFoundError, type CaseRecord, type GraphStore, type JobCheckpoint } from '@chaintrail/store';
import type { StoreView } from './store-view.js';

export interface ComputedAt {
  readonly height: number | null;
  readonly hash: string | null;
  /** Block time, Unix seconds. */
  readonly time: number | null;
  /**
   * 'store-tip': the store's chain tip (GraphStore.chainTip: its best linking header).
   * 'highest-block-read': the store holds no block header, so the highest block among the
   * transactions the report read stands in for it. 'none': neither exists.
   */
  readonly basis: 'store-tip' | 'highest-block-read' | 'none';
}

export interface MethodRecord {
  readonly name: string;
  readonly version: number;
  readonly rule: string;
  readonly source: string;
}

export type ReportParameter = string | number | boolean | null | readonly string[];

export interface ReportHeader {
  readonly format: 'chaintrail-report';
  readonly formatVersion: 1;
  readonly kind: 'payers' | 'flows';
  /** `@chaintrail/report <version>`. */
  readonly generator: string;
  readonly case: { readonly id: string; readonly name: string };
  readonly computedAt: ComputedAt;
  readonly parameters: Readonly<Record<string, ReportParameter>>;
  readonly methods: readonly MethodRecord[];
  readonly clustering: {
    /** Heuristics of the case's last clustering run, from its checkpoint; null when none is recorded. */
    readonly heuristics: readonly string[] | null;
    /** CoinJoin rules that flagged transactions the report met. */
    readonly coinjoinRulesMet: readonly string[];
  };
  /** Sources of every tag the report shows or relied on. */
  readonly tagSources: readonly string[];
}

function generator(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
    return `${pkg.name} ${pkg.version}`;
  } catch {
    return '@chaintrail/report';
  }
}

/**
 * The chain tip a report stands on: the store's, so that a report rerun on the same store
 * states the same tip whatever it read (issue 9), and a later ingestion that moves the tip
 * shows in the report.
 */
export async function computedAt(store: GraphStore, view: StoreView): Promise<ComputedAt> {
  const tip = await store.chainTip();
  if (tip) return { height: tip.height, hash: tip.hash, time: tip.time, basis: 'store-tip' };
  const height = view.highestHeight;
  if (height === null) return { height: null, hash: null, time: null, basis: 'none' };
  try {
    const header = await store.blockHeader(height);
    return { height, hash: header.hash, time: header.time, basis: 'highest-block-read' };
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    return { height, hash: null, time: null, basis: 'highest-block-read' };
  }
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : null;
}

/**
 * The heuristics of the case's clustering, as its last run recorded them: the `cluster`
 * command's checkpoint, else the clustering the ingestion ran.
 */
export function clusteringHeuristics(checkpoints: readonly JobCheckpoint[]): string[] | null {
  const state = (c: JobCheckpoint | undefined): Record<string, unknown> => (c?.state !== null && typeof c?.state === 'object' && !Array.isArray(c.state) ? c.state : {});
  const cluster = state(checkpoints.find((c) => c.kind === 'cluster'))['report'];
  const fromCluster = cluster !== null && typeof cluster === 'object' ? stringList((cluster as Record<string, unknown>)['heuristics']) : null;
  if (fromCluster) return fromCluster;
  const ingest = state(checkpoints.find((c) => c.kind === 'ingest'))['cluster'];
  return ingest !== null && typeof ingest === 'object' ? stringList((ingest as Record<string, unknown>)['heuristics']) : null;
}

export async function reportHeader(
  store: GraphStore,
  view: StoreView,
  record: CaseRecord,
  kind: ReportHeader['kind'],
  parameters: Readonly<Record<string, ReportParameter>>,
  methods: readonly MethodRecord[],
): Promise<ReportHeader> {
  return {
    format: 'chaintrail-report',
    formatVersion: 1,
    kind,
    generator: generator(),
    case: { id: record.id, name: record.name },
    computedAt: await computedAt(store, view),
    parameters,
    methods,
    clustering: { heuristics: clusteringHeuristics(await store.listCheckpoints(record.id)), coinjoinRulesMet: view.coinjoinRules },
    tagSources: view.tagSources,
  };
}
