import type { Network, Transaction, TxOutput } from '@chaintrail/core';
import { TABLES, type TableName } from '../bundle-layout.js';
import { parseCsvTable, type ParsedRow } from '../csv-table.js';
import type { EvidenceManifest } from '../manifest.js';
import type { BundleReader } from './bundle-reader.js';
import type { CheckName, Findings } from './findings.js';

/** What an output holds, as far as the checks need it. */
export type SpentOutput = Pick<TxOutput, 'value' | 'address' | 'scriptType'>;

/** An output whose parent the manifest declares absent (parents.absent): the figures inputs.csv states for its spender, unproven. */
export interface ClaimedOutput {
  readonly output: SpentOutput;
  readonly parentTxid: string;
  readonly reason: string;
}

export interface RawTx {
  readonly tx: Transaction;
  readonly file: string;
  readonly bytes: number;
}

/** What the checks share: the bundle, what they found, and what earlier checks established. */
export interface VerifyContext {
  readonly reader: BundleReader;
  readonly findings: Findings;
  readonly manifest: EvidenceManifest | null;
  /** Network of the addresses: the manifest's, mainnet when it cannot be read. */
  readonly network: Network;
  /** Transactions whose raw bytes hash to their file's txid. */
  readonly raw: Map<string, RawTx>;
  /** Outputs of declared-absent parents, by `prevTxid:prevVout`, as inputs.csv states them. */
  readonly claimed: Map<string, ClaimedOutput>;
}

const CHECK_OF: Record<TableName, CheckName> = {
  transactions: 'transactions',
  inputs: 'inputs',
  outputs: 'outputs',
  addresses: 'addresses',
  entities: 'entities',
  clusterLinks: 'links',
  tags: 'tags',
  paymentsToSeeds: 'payments',
  headers: 'headers',
};

/** A table's rows; its reading problems become failures. A missing table gives no rows (the file check names it). */
export async function loadTable<T extends TableName>(ctx: VerifyContext, table: T): Promise<ParsedRow<T>[]> {
  const file = TABLES[table].file;
  if (!ctx.reader.has(file)) return [];
  const parsed = parseCsvTable(table, (await ctx.reader.read(file)).toString('utf8'));
  for (const p of parsed.problems) ctx.findings.fail({ check: CHECK_OF[table], file, line: p.line, message: p.message });
  return parsed.rows;
}

/** Text of a cell that should hold a non-negative integer, or null for an empty cell; undefined when it is not one. */
export function intCell(text: string): bigint | null | undefined {
  if (text === '') return null;
  return /^\d+$/.test(text) ? BigInt(text) : undefined;
}
