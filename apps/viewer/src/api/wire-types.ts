/**
 * The JSON the API serves, as the viewer reads it (apps/api/src/schemas, wire side: sums of
 * satoshis are decimal strings because JSON numbers lose precision past 2^53). Mirrored
 * here rather than imported, because the API's schemas pull zod and @chaintrail/core into
 * the bundle; test/viewer/wire-types-match.ts fails the root typecheck when they drift.
 */

export type NodeKind = 'address' | 'tx' | 'entity';

export interface NodeRef {
  readonly kind: NodeKind;
  readonly id: string;
}

/** Satoshis as a decimal string. */
export type SatsText = string;

export type Role = 'viewer' | 'analyst' | 'admin';

export interface SessionJson {
  readonly tokenId: string;
  readonly role: Role;
  readonly label: string;
}

export interface CaseJson {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: string;
  readonly seedCount: number;
}

export interface SeedJson {
  readonly address: string;
  readonly line: number;
  readonly file?: string | null | undefined;
}

export interface PageJson<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface JobJson {
  readonly jobId: string;
  readonly caseId: string | null;
  readonly kind: string;
  readonly state: unknown;
  readonly updatedAt: string;
}

export interface ChainPointJson {
  readonly txid: string;
  readonly height: number | null;
  readonly time: number | null;
}

export interface AddressSummaryJson {
  readonly address: string;
  readonly scriptType: string | null;
  readonly entityId: string | null;
  readonly firstSeen: ChainPointJson | null;
  readonly lastSeen: ChainPointJson | null;
  readonly received: SatsText;
  readonly sent: SatsText;
  readonly balance: SatsText;
  readonly txCount: number;
  readonly outputCount: number;
  readonly unspentCount: number;
}

export interface EntityJson {
  readonly id: string;
  readonly size: number;
  readonly label: string | null;
  readonly category: string | null;
  readonly received: SatsText;
  readonly sent: SatsText;
  readonly firstSeen: ChainPointJson | null;
  readonly lastSeen: ChainPointJson | null;
}

export interface TagJson {
  readonly address: string;
  readonly label: string;
  readonly category: string | null;
  readonly source: string;
  readonly confidence: string | null;
  readonly url?: string | null | undefined;
  readonly lastmod?: string | null | undefined;
  readonly abuse?: string | null | undefined;
  readonly actor?: string | null | undefined;
  readonly context?: string | null | undefined;
}

export type SearchResultJson =
  | { readonly kind: 'address'; readonly address: string }
  | { readonly kind: 'tx'; readonly txid: string }
  | { readonly kind: 'tag'; readonly address: string; readonly label: string; readonly category: string | null; readonly source: string }
  | { readonly kind: 'entity'; readonly entityId: string; readonly label: string | null };

export interface NeighbourJson {
  readonly node: NodeRef;
  /** 'in': money came from this neighbour; 'out': money went to it. */
  readonly direction: 'in' | 'out';
  readonly value: SatsText;
  readonly txCount: number;
  readonly firstTime: number | null;
  readonly lastTime: number | null;
}

export interface NeighbourResultJson {
  readonly subject: NodeRef;
  readonly neighbours: NeighbourJson[];
  readonly truncated: boolean;
}

export interface PathHopJson {
  readonly from: NodeRef;
  readonly to: NodeRef;
  readonly direction: 'in' | 'out';
  readonly txid?: string | undefined;
  readonly value: SatsText;
}

export interface GraphPathJson {
  readonly nodes: NodeRef[];
  readonly hops: PathHopJson[];
}

export interface ClusterLinkJson {
  readonly a: string;
  readonly b: string;
  readonly heuristic: string;
  readonly confidence: number;
  readonly txid: string;
}

export interface ClusterExplanationJson {
  readonly entityId: string;
  readonly links: ClusterLinkJson[];
}

export interface TxInputJson {
  readonly vin: number;
  readonly coinbase: boolean;
  readonly address: string | null;
  readonly value: number | null;
}

export interface TxOutputJson {
  readonly vout: number;
  readonly value: number;
  readonly address: string | null;
  readonly spentBy: { readonly txid: string; readonly vin: number } | null;
}

export interface TransactionJson {
  readonly txid: string;
  readonly isCoinbase: boolean;
  readonly vsize: number;
  readonly placement: { readonly blockHash: string; readonly blockHeight: number; readonly blockTime: number; readonly position: number } | null;
  readonly inputs: TxInputJson[];
  readonly outputs: TxOutputJson[];
  readonly fee: SatsText | null;
  readonly coinjoin: string | null;
}

/** The named colour labels, the viewer's swatches. */
export type AnnotationPaletteColour = 'red' | 'orange' | 'yellow' | 'green' | 'blue' | 'purple' | 'grey';

/** A palette name or a `#rrggbb` colour (lowercase), as the API keeps them (its schema types it as a string). */
export type AnnotationColour = AnnotationPaletteColour | (string & Record<never, never>);

export const ANNOTATION_COLOURS: readonly AnnotationPaletteColour[] = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'grey'];

export interface AnnotationJson {
  readonly id: string;
  readonly caseId: string;
  readonly target: NodeRef;
  readonly text: string;
  readonly colour: AnnotationColour | null;
  readonly author: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SavedViewJson {
  readonly id: string;
  readonly caseId: string;
  readonly name: string;
  readonly state: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ErrorBodyJson {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string | undefined; readonly requestId: string };
}
