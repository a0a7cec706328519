/**
 * The included report sections: every transaction a report cites is in the bundle (and so
 * hashed, proven and tabled like the rest), and every output it describes holds the value
 * and pays the address the report says, read from the raw bytes.
 */
import { reportClaims } from '../report-claims.js';
import type { VerifyContext } from './verify-context.js';

export async function verifyReportSections(ctx: VerifyContext): Promise<number> {
  let checked = 0;
  for (const section of ctx.manifest?.sections ?? []) {
    if (!section.included) continue;
    for (const file of section.files) {
      if (!ctx.reader.has(file)) {
        ctx.findings.fail({ check: 'reports', file, message: `section "${section.id}" lists it, but it is missing` });
        continue;
      }
      if (!file.endsWith('.json')) continue;
      let json: unknown;
      try {
        json = JSON.parse((await ctx.reader.read(file)).toString('utf8'));
      } catch (error) {
        ctx.findings.fail({ check: 'reports', file, message: `not valid JSON: ${(error as Error).message}` });
        continue;
      }
      const claims = reportClaims(json);
      for (const txid of claims.txids) {
        if (!ctx.raw.has(txid)) ctx.findings.fail({ check: 'reports', file, txid, message: 'cites a transaction whose verified raw bytes are not in the bundle' });
      }
      for (const claim of claims.outputs) {
        checked++;
        const output = ctx.raw.get(claim.txid)?.tx.outputs[claim.vout];
        if (!output) {
          if (ctx.raw.has(claim.txid)) ctx.findings.fail({ check: 'reports', file, txid: claim.txid, message: `${claim.at}: the transaction has no output ${claim.vout}` });
          continue;
        }
        if (String(output.value) !== claim.value) ctx.findings.fail({ check: 'reports', file, txid: claim.txid, message: `${claim.at}: output ${claim.vout} holds ${output.value} sat, the report says ${claim.value}` });
        if (claim.address !== undefined && claim.address !== output.address) {
          ctx.findings.fail({ check: 'reports', file, txid: claim.txid, message: `${claim.at}: output ${claim.vout} pays ${output.address ?? '(no address)'}, the report says ${claim.address ?? '(no address)'}` });
        }
      }
    }
  }
  return checked;
}
