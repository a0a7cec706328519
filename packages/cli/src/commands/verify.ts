import { resolve } from 'node:path';
import { type Command } from '@commander-js/extra-typings';
import { BundleFailedError, BundleIncompleteError, findingText, verifyEvidenceBundle, type VerifyReport } from '@chaintrail/evidence';
import type { CliApp, CommandContext } from '../cli-app.js';

/** Findings printed in full; the rest are counted (the JSON form has them all). */
const SHOWN = 200;

export function registerVerifyCommand(program: Command, app: CliApp): void {
  program
    .command('verify')
    .description('check an evidence bundle offline, with no store and no network: file hashes, txids, every amount and address, merkle proofs, header chain and proof of work')
    .argument('<bundle>', 'the bundle folder or zip that `chaintrail export` wrote')
    .option('--allow-incomplete', 'exit 0 when every check passes but the manifest declares proofs missing')
    .addHelpText(
      'after',
      [
        '',
        'Verdicts: PASS (every figure proven), INCOMPLETE (everything present checks out, but the manifest',
        'declares proofs missing), FAIL (something is not what it claims; each finding names the file and line).',
        'Exit status 0 on PASS, 3 otherwise (0 on INCOMPLETE with --allow-incomplete).',
        'Compare the tip hash it prints with an independent node or block explorer.',
        '',
        'Examples:',
        '  $ chaintrail verify wtv-evidence.zip',
        '  $ chaintrail verify ./payers-bundle --json',
      ].join('\n'),
    )
    .action((bundle, options, command) => app.run(command, (ctx) => runVerify(ctx, bundle, options.allowIncomplete === true).then(() => undefined)));
}

export async function runVerify(ctx: CommandContext, bundle: string, allowIncomplete: boolean): Promise<VerifyReport> {
  const report = await verifyEvidenceBundle(resolve(bundle));
  const failed = report.verdict === 'fail' || (report.verdict === 'incomplete' && !allowIncomplete);
  // A JSON reader gets one document: the report on success, the error (with every finding) on failure.
  if (!(failed && ctx.out.json)) ctx.out.result(report, () => verifyLines(report));
  if (report.verdict === 'fail') {
    throw new BundleFailedError(report.bundle, ctx.out.json ? `${report.failures.length} problems:\n${report.failures.map(findingText).join('\n')}` : `${report.failures.length} problems, listed above.`);
  }
  if (report.verdict === 'incomplete' && !allowIncomplete) {
    const open = [...report.gaps, ...report.notRecomputable];
    const what = `${report.gaps.length} unproven and ${report.notRecomputable.length} not recomputable`;
    throw new BundleIncompleteError(report.bundle, ctx.out.json ? `${what}:\n${open.map(findingText).join('\n')}` : `${what}, listed above.`);
  }
  return report;
}

/**
 * A bundle without proofs says so before the list of every unproven transaction: how many,
 * why (as the manifest declares), and where proofs come from (issue 10).
 */
function proofLines(report: VerifyReport): string[] {
  const p = report.proofs;
  if (p === null || p.complete) return [];
  const n = (v: number): string => v.toLocaleString('en-US');
  const lines = ['', `PROOFS MISSING: ${n(p.missingMerkle)} of ${n(p.transactions)} transactions have no merkle proof${p.headerGaps > 0 ? `, ${n(p.headerGaps)} stretches of the header chain are not included` : ''}${p.tipKnown ? '' : ', and the chain tip is unknown'}.`];
  lines.push('  Their amounts and addresses check out against the raw transactions, but that the transactions are in the chain rests on the exporter\'s word.');
  for (const r of p.missingReasons.slice(0, 5)) lines.push(`  ${n(r.transactions)} without proof: ${r.reason}`);
  lines.push(
    `  Where proofs come from: export again with a chain source that has the blocks: --source blocks:DIR (block files) or core:URL (Bitcoin Core),`,
    `  or esplora:URL (its /tx/:txid/merkle-proof and /block/:hash/header routes)${p.source ? `; this bundle's source was ${p.source}` : '; this bundle had none'}.`,
  );
  return lines;
}

export function verifyLines(report: VerifyReport): string[] {
  const n = (v: number): string => v.toLocaleString('en-US');
  const c = report.checked;
  const verdict = report.verdict === 'pass' ? 'PASS' : report.verdict === 'incomplete' ? 'INCOMPLETE' : 'FAIL';
  const lines = [
    `${verdict}: evidence bundle ${report.bundle} (${report.kind})${report.case ? `, case ${report.case}` : ''}${report.exportedAt ? `, exported ${report.exportedAt}` : ''}`,
    `  ${n(c.files)} files against SHA256SUMS; ${n(c.transactions)} raw transactions hashed to their txids; ${n(c.merkleProofs)} merkle proofs; ${n(c.headers)} headers (links and proof of work);`,
    `  ${n(c.clusterLinks)} cluster links, ${n(c.paymentsToSeeds)} payments to seized addresses, ${n(c.reportOutputs)} report outputs and ${n(c.tags)} tags checked against the raw transactions.`,
    report.tip ? `  Chain tip: block ${n(report.tip.height)} ${report.tip.hash}; compare it with an independent node or block explorer.` : '  Chain tip: not stated.',
  ];
  lines.push(...proofLines(report));
  const list = (title: string, items: readonly string[]): void => {
    if (items.length === 0) return;
    lines.push('', `${title} (${n(items.length)}):`, ...items.slice(0, SHOWN).map((t) => `  ${t}`));
    if (items.length > SHOWN) lines.push(`  ... and ${n(items.length - SHOWN)} more (--json lists them all)`);
  };
  list('Failures', report.failures.map(findingText));
  list('Not proven (declared in the manifest)', report.gaps.map(findingText));
  list('Not recomputable (parent transaction absent, declared in the manifest)', report.notRecomputable.map(findingText));
  list('Notes', report.notes);
  return lines;
}
