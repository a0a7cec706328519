/**
 * The forfeiture report: from the site's entities forward, per flow model, where its money
 * went: per destination entity the amount traced, its share of the site's receipts, what
 * still sits unspent there (seizable now, with the outputs), and the tagged services that
 * hold it; then the totals, which reconcile to the satoshi (see flow-trace.ts).
 */
import { FLOW_MODEL_NAMES, FLOW_MODELS, type FlowModelInfo, type FlowModelName } from '@chaintrail/core';
import { NotFoundError, type CaseRecord, type GraphStore, type NodeRef } from '@chaintrail/store';
import { caseSeedList } from './case-seeds.js';
import { shareOf } from './amounts.js';
import { entityRef, serviceName, type EntityRef } from './entity-ref.js';
import { traceFlows, type DestinationTally, type FlowTrace, type Holding, type Origin } from './flow-trace.js';
import type { PathStep } from './payer-walk.js';
import { BadReportOptionsError, UnknownOriginError } from './report-errors.js';
import { reportHeader, type ReportHeader } from './report-header.js';
import { cmp, isTagged, nodeKey, StoreView } from './store-view.js';

export interface FlowReportOptions {
  /** Entity ids or addresses (an address stands for its entity). */
  readonly from?: readonly string[];
  /** Also start from the entity (or lone address) of every seed of the case. */
  readonly fromSeeds?: boolean;
  /** Default: all three, side by side (courts prefer the most conservative). */
  readonly models?: readonly FlowModelName[];
  /** Default 8. */
  readonly hopLimit?: number;
  /** Transactions processed per model before stopping. Default 200,000. */
  readonly maxTxs?: number;
  /** Transaction ids listed per flow edge (the rest are counted). Default 20. */
  readonly edgeTxids?: number;
}

export const FLOW_DEFAULTS = { hopLimit: 8, maxTxs: 200_000, edgeTxids: 20 } as const;

export interface DestinationRow {
  readonly entity: EntityRef;
  /** Nearest hop (transactions from the origin) at which traced money reached it. */
  readonly hops: number;
  readonly received: bigint;
  /** received / the site's receipts. */
  readonly share: number;
  /** It is a tagged service: the money is in its hands (an account to freeze, not a coin). */
  readonly atService: bigint;
  /** Still unspent in its outputs: seizable now (see holdings). */
  readonly unspent: bigint;
  readonly passedOn: bigint;
  readonly beyondHopLimit: bigint;
  readonly intoCoinjoin: bigint;
  readonly walkLimit: bigint;
  readonly holdings: readonly Holding[];
  /** Outputs from the origin's transaction to this entity, the largest arrival at the nearest hop. */
  readonly path: readonly PathStep[];
}

export interface FlowReconciliation {
  /** The site's receipts. */
  readonly received: bigint;
  readonly receipts: number;
  /** Traced money that came back to the site. */
  readonly returned: bigint;
  /** Poison only: clean satoshis the rule counts as tainted in the site's own transactions. */
  readonly contaminated: bigint;
  readonly tracedOut: bigint;
  readonly fees: bigint;
  readonly unspent: bigint;
  readonly walkLimit: bigint;
  /** received + returned + contaminated = tracedOut + fees + unspent + walkLimit. */
  readonly balanced: boolean;
  readonly downstream: {
    readonly contaminated: bigint;
    readonly returned: bigint;
    readonly atServices: bigint;
    readonly unspent: bigint;
    readonly beyondHopLimit: bigint;
    readonly intoCoinjoin: bigint;
    readonly fees: bigint;
    readonly unspendable: bigint;
    readonly walkLimit: bigint;
    /** tracedOut + contaminated = returned + atServices + unspent + beyondHopLimit + intoCoinjoin + fees + unspendable + walkLimit. */
    readonly balanced: boolean;
  };
}

export interface FlowEdgeRow {
  readonly from: NodeRef | null;
  readonly to: NodeRef;
  readonly amount: bigint;
  readonly hop: number;
  readonly txCount: number;
  readonly txids: readonly string[];
}

export interface ServiceHolding {
  readonly service: string;
  readonly category: string | null;
  readonly entities: readonly NodeRef[];
  readonly amount: bigint;
  readonly share: number;
}

export interface FlowModelResult {
  readonly model: FlowModelInfo;
  readonly reconciliation: FlowReconciliation;
  readonly byHop: ReadonlyArray<{ readonly hop: number; readonly amount: bigint; readonly share: number }>;
  readonly destinations: readonly DestinationRow[];
  readonly services: readonly ServiceHolding[];
  /** Every traced output still unspent, the site's own included: what can be seized now. */
  readonly holdings: readonly Holding[];
  readonly edges: readonly FlowEdgeRow[];
  readonly coinjoins: ReadonlyArray<{ readonly txid: string; readonly rule: string; readonly amount: bigint }>;
  /** Transactions whose missing inputs were valued as outputs minus known inputs. */
  readonly estimated: readonly string[];
  readonly txsProcessed: number;
}

export type FlowReport = ReportHeader & {
  readonly origin: { readonly entities: readonly EntityRef[]; readonly addresses: number };
  readonly results: readonly FlowModelResult[];
};

function checkOptions(options: FlowReportOptions): { hopLimit: number; maxTxs: number; edgeTxids: number; models: FlowModelName[] } {
  const hopLimit = options.hopLimit ?? FLOW_DEFAULTS.hopLimit;
  const maxTxs = options.maxTxs ?? FLOW_DEFAULTS.maxTxs;
  const edgeTxids = options.edgeTxids ?? FLOW_DEFAULTS.edgeTxids;
  if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 50) throw new BadReportOptionsError(`hop limit must be a whole number from 1 to 50, not ${hopLimit}`);
  if (!Number.isInteger(maxTxs) || maxTxs < 1) throw new BadReportOptionsError(`transaction limit must be a whole number of at least 1, not ${maxTxs}`);
  if (!Number.isInteger(edgeTxids) || edgeTxids < 0) throw new BadReportOptionsError(`transactions per edge must be a whole number, not ${edgeTxids}`);
  const models = options.models === undefined || options.models.length === 0 ? [...FLOW_MODEL_NAMES] : [...new Set(options.models)];
  for (const m of models) if (!(FLOW_MODEL_NAMES as readonly string[]).includes(m)) throw new BadReportOptionsError(`unknown flow model "${m}"; choose from ${FLOW_MODEL_NAMES.join(', ')}`);
  if ((options.from ?? []).length === 0 && options.fromSeeds !== true) throw new BadReportOptionsError('name where to start: --from ENTITY (or an address of it), or --from-seeds');
  return { hopLimit, maxTxs, edgeTxids, models };
}

async function resolveNode(store: GraphStore, view: StoreView, text: string): Promise<NodeRef> {
  try {
    return { kind: 'entity', id: (await store.getEntity(text)).id };
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  try {
    await store.addressSummary(text);
  } catch (error) {
    if (error instanceof NotFoundError) throw new UnknownOriginError(text);
    throw error;
  }
  return view.nodeOf(text);
}

function byAmount<T>(amount: (t: T) => bigint, key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = amount(a);
    const y = amount(b);
    return x === y ? cmp(key(a), key(b)) : x > y ? -1 : 1;
  };
}

const holdingOrder = byAmount<Holding>((h) => h.tainted, (h) => `${h.txid}:${String(h.vout).padStart(10, '0')}`);

async function modelResult(view: StoreView, trace: FlowTrace, edgeTxids: number): Promise<FlowModelResult> {
  const { site, downstream } = trace;
  const received = site.received;
  const holdings = [...trace.holdings].sort(holdingOrder);
  const destinations: DestinationRow[] = [];
  const services = new Map<string, { service: string; category: string | null; entities: NodeRef[]; amount: bigint }>();
  const tallies = [...trace.destinations.values()].sort(byAmount<DestinationTally>((d) => d.received, (d) => nodeKey(d.node)));
  for (const d of tallies) {
    const info = await view.shown(d.node);
    destinations.push({
      entity: entityRef(info),
      hops: d.hops,
      received: d.received,
      share: shareOf(d.received, received),
      atService: d.atService,
      unspent: d.unspent,
      passedOn: d.passedOn,
      beyondHopLimit: d.beyondHopLimit,
      intoCoinjoin: d.intoCoinjoin,
      walkLimit: d.walkLimit,
      holdings: holdings.filter((h) => h.holder !== null && nodeKey(h.holder) === nodeKey(d.node)),
      path: d.path,
    });
    if (d.atService > 0n && isTagged(info)) {
      const name = serviceName(info);
      const s = services.get(name) ?? { service: name, category: info.category, entities: [], amount: 0n };
      s.entities.push(d.node);
      s.amount += d.atService;
      services.set(name, s);
    }
  }
  const tracedBalanced = received + site.returned + site.contaminated === site.tracedOut + site.fees + site.unspent + site.walkLimit;
  const downstreamBalanced =
    site.tracedOut + downstream.contaminated ===
    site.returned + downstream.atServices + downstream.unspent + downstream.beyondHopLimit + downstream.intoCoinjoin + downstream.fees + downstream.unspendable + downstream.walkLimit;
  return {
    model: FLOW_MODELS[trace.model],
    reconciliation: {
      received,
      receipts: site.receipts,
      returned: site.returned,
      contaminated: site.contaminated,
      tracedOut: site.tracedOut,
      fees: site.fees,
      unspent: site.unspent,
      walkLimit: site.walkLimit,
      balanced: tracedBalanced,
      downstream: { ...downstream, returned: site.returned, balanced: downstreamBalanced },
    },
    byHop: [...trace.hops.entries()].sort(([a], [b]) => a - b).map(([hop, amount]) => ({ hop, amount, share: shareOf(amount, received) })),
    destinations,
    services: [...services.values()].sort(byAmount((s) => s.amount, (s) => s.service)).map((s) => ({ ...s, share: shareOf(s.amount, received) })),
    holdings,
    edges: [...trace.edges.values()]
      .map((e) => ({ key: `${e.from === 'origin' ? '' : nodeKey(e.from)}>${nodeKey(e.to)}`, e }))
      .sort((a, b) => a.e.hop - b.e.hop || (a.e.amount === b.e.amount ? cmp(a.key, b.key) : a.e.amount > b.e.amount ? -1 : 1))
      .map(({ e }) => ({ from: e.from === 'origin' ? null : e.from, to: e.to, amount: e.amount, hop: e.hop, txCount: e.txids.size, txids: [...e.txids].sort(cmp).slice(0, edgeTxids) })),
    coinjoins: [...trace.coinjoins.entries()].sort(([a], [b]) => cmp(a, b)).map(([txid, c]) => ({ txid, rule: c.rule, amount: c.amount })),
    estimated: trace.estimated,
    txsProcessed: trace.txsProcessed,
  };
}

export async function buildFlowReport(store: GraphStore, record: CaseRecord, options: FlowReportOptions): Promise<FlowReport> {
  const o = checkOptions(options);
  const view = new StoreView(store);
  const nodes = new Map<string, NodeRef>();
  for (const text of options.from ?? []) {
    const node = await resolveNode(store, view, text);
    nodes.set(nodeKey(node), node);
  }
  if (options.fromSeeds === true) {
    for (const seed of await caseSeedList(store, record.id)) {
      const node = await view.nodeOf(seed.address);
      nodes.set(nodeKey(node), node);
    }
  }
  const originNodes = [...nodes.entries()].sort(([a], [b]) => cmp(a, b)).map(([, n]) => n);
  const addresses = new Set<string>();
  for (const node of originNodes) for (const a of await view.members(node)) addresses.add(a);
  const origin: Origin = { nodes: originNodes, addresses };
  const results: FlowModelResult[] = [];
  for (const model of o.models) results.push(await modelResult(view, await traceFlows(view, origin, { model, hopLimit: o.hopLimit, maxTxs: o.maxTxs }), o.edgeTxids));
  const entities: EntityRef[] = [];
  for (const node of originNodes) entities.push(entityRef(await view.shown(node)));
  const parameters = {
    from: [...(options.from ?? [])].sort(cmp),
    fromSeeds: options.fromSeeds === true,
    models: o.models,
    hopLimit: o.hopLimit,
    maxTxs: o.maxTxs,
    edgeTxids: o.edgeTxids,
  };
  const header = await reportHeader(store, view, record, 'flows', parameters, o.models.map((m) => FLOW_MODELS[m]));
  return { ...header, origin: { entities, addresses: addresses.size }, results };
}
