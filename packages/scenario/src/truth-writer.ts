import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BufferedFile } from './buffered-file.js';
import { TRUTH_SECTIONS, type TruthAddress, type TruthRecordOf, type TruthSection, type TruthTransaction, type WorldSummary } from './truth.js';

/**
 * Writes truth.json without holding it in memory. Records arrive in any order across
 * sections (an address when it is made, a payment when it is swept), so each section goes to
 * its own part file; `finish` writes the header and copies the parts in section order.
 *
 * Every record is one line, and every line of an array but the last ends in a comma, so the
 * file is plain JSON and can also be read a line at a time (truth-reader.ts).
 */
export class TruthWriter {
  private readonly parts: Record<TruthSection, BufferedFile>;
  private readonly counts: Record<TruthSection, number>;

  constructor(private readonly outDir: string) {
    const parts = {} as Record<TruthSection, BufferedFile>;
    const counts = {} as Record<TruthSection, number>;
    for (const section of TRUTH_SECTIONS) {
      parts[section] = new BufferedFile(join(outDir, `.truth-${section}.part`));
      counts[section] = 0;
    }
    this.parts = parts;
    this.counts = counts;
  }

  add<S extends TruthSection>(section: S, record: TruthRecordOf[S]): void {
    this.line(section, JSON.stringify(record));
  }

  /**
   * The two sections with a record per address and per transaction, formatted by hand: a
   * million-user world writes some ten million of them. Every field is ASCII without quotes
   * or backslashes (addresses, hex, identifiers), so no escaping is needed; the field order
   * is that of JSON.stringify on the typed record.
   */
  addAddress(record: TruthAddress): void {
    const customer = record.customer === undefined ? '' : `,"customer":"${record.customer}"`;
    this.line('addresses', `{"address":"${record.address}","owner":"${record.owner}","role":"${record.role}","scriptType":"${record.scriptType}"${customer}}`);
  }

  addTransaction(record: TruthTransaction): void {
    const misleading = record.misleading === undefined ? '' : `,"misleading":"${record.misleading}"`;
    this.line('transactions', `{"txid":"${record.txid}","height":${record.height},"kind":"${record.kind}","coinjoin":${record.coinjoin}${misleading},"fee":${record.fee}}`);
  }

  private line(section: TruthSection, json: string): void {
    const n = this.counts[section]++;
    this.parts[section].write((n === 0 ? '\n' : ',\n') + json);
  }

  count(section: TruthSection): number {
    return this.counts[section];
  }

  /** Writes truth.json and removes the part files. */
  finish(options: Readonly<Record<string, unknown>>, summary: WorldSummary): void {
    for (const section of TRUTH_SECTIONS) this.parts[section].close();
    const out = new BufferedFile(join(this.outDir, 'truth.json'));
    try {
      out.write('{"format":"chaintrail-scenario-truth","version":1,\n');
      out.write(`"options":${JSON.stringify(options)},\n`);
      out.write(`"summary":${JSON.stringify(summary, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`);
      for (const section of TRUTH_SECTIONS) {
        out.write(`,\n"${section}":[`);
        out.copyFrom(this.parts[section].path);
        out.write('\n]');
      }
      out.write('}\n');
    } finally {
      out.close();
    }
    for (const section of TRUTH_SECTIONS) rmSync(this.parts[section].path, { force: true });
  }

  /** Closes and removes the part files without writing truth.json (after a failure). */
  abort(): void {
    for (const section of TRUTH_SECTIONS) {
      this.parts[section].close();
      rmSync(this.parts[section].path, { force: true });
    }
  }
}
