/**
 * The investigator reports as the API serves them (`GET /api/cases/:id/reports/payers|flows`,
 * the documents of @chaintrail/report through its `toWire`: satoshi sums as decimal strings,
 * single output values as numbers). Mirrored, not imported, like wire-types.ts;
 * test/viewer/wire-types-match.ts checks them against the report package's own types.
 */
import type { NodeRef, SatsText } from './wire-types.js';

export interface ComputedAtJson {
  readonly height: number | null;
  readonly hash: string | null;
  readonly time: number | null;
  readonly basis: 'store-tip' | 'highest-block-read' | 'none';
}

export interface MethodJson {
  readonly name: string;
  readonly version: number;
  readonly rule: string;
  readonly source: string;
}

export type ReportParameterJson = string | number | boolean | null | readonly string[];

export interface ReportHeaderJson {
  readonly format: 'chaintrail-report';
  readonly formatVersion: 1;
  readonly kind: 'payers' | 'flows';
  readonly generator: string;
  readonly case: { readonly id: string; readonly name: string };
  readonly computedAt: ComputedAtJson;
  readonly parameters: Readonly<Record<string, ReportParameterJson>>;
  readonly methods: readonly MethodJson[];
  readonly clustering: { readonly heuristics: readonly string[] | null; readonly coinjoinRulesMet: readonly string[] };
  readonly tagSources: readonly string[];
}

/** One output on a money path: `txid:vout` paid `address` `value` satoshis. */
export interface PathStepJson {
  readonly txid: string;
  readonly vout: number;
  readonly address: string | null;
  readonly value: number;
}

export interface TagSummaryJson {
  readonly label: string;
  readonly category: string | null;
  readonly source: string;
  readonly confidence: string | null;
  readonly addresses: number;
  readonly example: string;
}

export interface EntityRefJson {
  readonly node: NodeRef;
  readonly label: string | null;
  readonly category: string | null;
  readonly tags: readonly TagSummaryJson[];
  readonly conflicts: readonly unknown[];
}

export type PaymentStatusJson = 'attributed' | 'partial' | 'ambiguous' | 'coinjoin' | 'unattributed';
export type PayerSourceKindJson = 'service' | 'coinjoin' | 'site' | 'coinbase' | 'hop-limit' | 'not-ingested' | 'walk-limit';

export interface ServiceCandidateJson {
  readonly service: string;
  readonly category: string | null;
  readonly entities: readonly EntityRefJson[];
  readonly amount: SatsText;
  readonly share: number;
  readonly hops: number;
  /** Payment output first; the last step is the output of the service's own transaction. */
  readonly path: readonly PathStepJson[];
}

export interface SourceRowJson {
  readonly kind: PayerSourceKindJson;
  readonly amount: SatsText;
  readonly share: number;
  readonly hops: number;
  readonly path: readonly PathStepJson[];
  readonly entity: EntityRefJson | null;
  readonly coinjoin: { readonly txid: string; readonly rule: string } | null;
}

export interface PaymentRowJson {
  readonly seed: { readonly address: string; readonly line: number; readonly file: string | null; readonly tags: readonly TagSummaryJson[] };
  readonly txid: string;
  readonly vout: number;
  readonly height: number | null;
  readonly blockHash: string | null;
  readonly time: number | null;
  readonly value: SatsText;
  readonly btc: string;
  readonly fundedBy: (EntityRefJson & { readonly amount: SatsText; readonly share: number }) | null;
  readonly status: PaymentStatusJson;
  readonly reason: string | null;
  readonly attribution: ServiceCandidateJson | null;
  readonly candidates: readonly ServiceCandidateJson[];
  readonly sources: readonly SourceRowJson[];
  readonly flags: readonly string[];
}

export interface SubpoenaRequestJson {
  readonly seed: string;
  readonly paymentTxid: string;
  readonly paymentVout: number;
  readonly paymentValue: SatsText;
  readonly paymentTime: number | null;
  readonly status: PaymentStatusJson;
  readonly amount: SatsText;
  readonly share: number;
  readonly hops: number;
  readonly withdrawal: PathStepJson;
  readonly path: readonly PathStepJson[];
}

export interface ServiceGroupJson {
  readonly service: string;
  readonly category: string | null;
  readonly entities: readonly EntityRefJson[];
  readonly tagSources: readonly string[];
  readonly payments: number;
  readonly attributed: number;
  readonly payers: number;
  readonly amount: SatsText;
  readonly attributedAmount: SatsText;
  readonly requests: readonly SubpoenaRequestJson[];
}

export interface CountAndValueJson {
  readonly payments: number;
  readonly value: SatsText;
}

export interface PayerReportJson extends ReportHeaderJson {
  readonly summary: {
    readonly seeds: number;
    readonly seedsPaid: number;
    readonly payments: number;
    readonly value: SatsText;
    readonly byStatus: Readonly<Record<PaymentStatusJson, CountAndValueJson>>;
    readonly byReason: Readonly<Record<string, CountAndValueJson>>;
    readonly excluded: number;
  };
  readonly payments: readonly PaymentRowJson[];
  readonly services: readonly ServiceGroupJson[];
  readonly excluded: ReadonlyArray<{ readonly seed: string; readonly txid: string; readonly vout: number; readonly value: SatsText; readonly reason: string }>;
}

export type FlowModelNameJson = 'poison' | 'haircut' | 'fifo';

export interface HoldingJson {
  readonly holder: NodeRef | null;
  readonly txid: string;
  readonly vout: number;
  readonly address: string | null;
  readonly value: number;
  readonly tainted: SatsText;
  readonly height: number | null;
}

export interface DestinationRowJson {
  readonly entity: EntityRefJson;
  readonly hops: number;
  readonly received: SatsText;
  readonly share: number;
  readonly atService: SatsText;
  readonly unspent: SatsText;
  readonly passedOn: SatsText;
  readonly beyondHopLimit: SatsText;
  readonly intoCoinjoin: SatsText;
  readonly walkLimit: SatsText;
  readonly holdings: readonly HoldingJson[];
  /** The origin's transaction output first, the arrival at this entity last. */
  readonly path: readonly PathStepJson[];
}

export interface FlowReconciliationJson {
  readonly received: SatsText;
  readonly receipts: number;
  readonly returned: SatsText;
  readonly contaminated: SatsText;
  readonly tracedOut: SatsText;
  readonly fees: SatsText;
  readonly unspent: SatsText;
  readonly walkLimit: SatsText;
  readonly balanced: boolean;
  readonly downstream: {
    readonly contaminated: SatsText;
    readonly returned: SatsText;
    readonly atServices: SatsText;
    readonly unspent: SatsText;
    readonly beyondHopLimit: SatsText;
    readonly intoCoinjoin: SatsText;
    readonly fees: SatsText;
    readonly unspendable: SatsText;
    readonly walkLimit: SatsText;
    readonly balanced: boolean;
  };
}

export interface FlowModelResultJson {
  readonly model: { readonly name: FlowModelNameJson; readonly version: number; readonly rule: string; readonly source: string };
  readonly reconciliation: FlowReconciliationJson;
  readonly byHop: ReadonlyArray<{ readonly hop: number; readonly amount: SatsText; readonly share: number }>;
  readonly destinations: readonly DestinationRowJson[];
  readonly services: ReadonlyArray<{ readonly service: string; readonly category: string | null; readonly entities: readonly NodeRef[]; readonly amount: SatsText; readonly share: number }>;
  readonly holdings: readonly HoldingJson[];
  readonly txsProcessed: number;
}

export interface FlowReportJson extends ReportHeaderJson {
  readonly origin: { readonly entities: readonly EntityRefJson[]; readonly addresses: number };
  readonly results: readonly FlowModelResultJson[];
}
