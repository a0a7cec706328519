import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { listBlockFiles, nodeHasher, openBlockFileSource, readBlockRecords } from '@chaintrail/chain';
import { parseBlock, type ScriptType } from '@chaintrail/core';
import type { CliApp, CommandContext } from '../cli-app.js';
import { formatBtc, formatTable } from '../format.js';
import { join } from 'node:path';

export function registerBlocks(program: Command, app: CliApp): void {
  const blocks = program.command('blocks').description('read raw block files (Bitcoin Core blk*.dat, raw blocks, hex)');
  blocks
    .command('summary')
    .description('summarise block files or directories: blocks, heights, transactions, outputs by script type, value, largest outputs, unresolved prevouts')
    .argument('<paths...>', 'block files or directories of them')
    .addHelpText('after', '\nExamples:\n  $ chaintrail blocks summary ../shared/data/blocks/hadoopcryptoledger/firstblocks.blk\n  $ chaintrail blocks summary ~/.bitcoin/blocks --json')
    .action((paths, _options, command) => app.run(command, (ctx) => summarise(ctx, paths)));
}

export interface BlocksSummary {
  readonly path: string;
  readonly files: number;
  readonly blocks: number;
  readonly heights: { readonly min: number; readonly max: number } | null;
  readonly blocksWithoutHeight: number;
  readonly transactions: number;
  readonly outputs: number;
  /** Satoshis, as a decimal string in JSON. */
  readonly totalValue: bigint;
  readonly byScriptType: Readonly<Partial<Record<ScriptType, { outputs: number; value: bigint }>>>;
  readonly largestOutputs: ReadonlyArray<{ txid: string; vout: number; value: number; address: string | null; scriptType: ScriptType }>;
  readonly unresolvedPrevouts: { readonly count: number; readonly examples: readonly { txid: string; vin: number; prevout: string }[] };
  readonly skipped: number;
}

const LARGEST = 10;

async function summarise(ctx: CommandContext, paths: readonly string[]): Promise<void> {
  const summaries: BlocksSummary[] = [];
  for (const raw of paths) {
    const path = resolve(raw);
    ctx.progress.stage(`index ${raw}`, null);
    const source = await openBlockFileSource(path, { network: ctx.config.network, cacheDir: join(ctx.config.home, 'cache'), onProgress: (p) => ctx.progress.update(p.transactions) });
    try {
      ctx.progress.stage(`read ${raw}`, source.report().blocks);
      summaries.push(await summariseSource(ctx, path, source));
    } finally {
      ctx.progress.stop();
      await source.close();
    }
  }
  ctx.out.result({ summaries }, () => summaries.flatMap(summaryLines));
}

async function summariseSource(ctx: CommandContext, path: string, source: Awaited<ReturnType<typeof openBlockFileSource>>): Promise<BlocksSummary> {
  const report = source.report();
  const byScriptType: Partial<Record<ScriptType, { outputs: number; value: bigint }>> = {};
  const largest: { txid: string; vout: number; value: number; address: string | null; scriptType: ScriptType }[] = [];
  let blocks = 0;
  let transactions = 0;
  let outputs = 0;
  let totalValue = 0n;
  let min = Infinity;
  let max = -Infinity;
  const { files, xorKey } = listBlockFiles(path);
  for (const file of files) {
    for (const record of readBlockRecords(file, xorKey)) {
      if (record.kind !== 'block') continue;
      const block = parseBlock(record.bytes, { network: ctx.config.network, hasher: nodeHasher });
      blocks++;
      const height = (await source.blockHeader(block.header.hash))?.height ?? null;
      if (height !== null) {
        min = Math.min(min, height);
        max = Math.max(max, height);
      }
      for (const tx of block.transactions) {
        transactions++;
        tx.outputs.forEach((output, vout) => {
          outputs++;
          totalValue += BigInt(output.value);
          const entry = (byScriptType[output.scriptType] ??= { outputs: 0, value: 0n });
          entry.outputs++;
          entry.value += BigInt(output.value);
          if (largest.length < LARGEST || output.value > (largest[largest.length - 1]?.value ?? 0)) {
            largest.push({ txid: tx.txid, vout, value: output.value, address: output.address, scriptType: output.scriptType });
            largest.sort((a, b) => b.value - a.value || (a.txid < b.txid ? -1 : 1));
            if (largest.length > LARGEST) largest.pop();
          }
        });
      }
      ctx.progress.update(blocks);
    }
  }
  return {
    path,
    files: files.length,
    blocks,
    heights: Number.isFinite(min) ? { min, max } : null,
    blocksWithoutHeight: report.blocksWithoutHeight,
    transactions,
    outputs,
    totalValue,
    byScriptType,
    largestOutputs: largest,
    unresolvedPrevouts: report.unresolvedPrevouts,
    skipped: report.skipped.count,
  };
}

function summaryLines(s: BlocksSummary): string[] {
  const n = (v: number): string => v.toLocaleString('en-US');
  return [
    `${s.path}: ${n(s.files)} file${s.files === 1 ? '' : 's'}, ${n(s.blocks)} blocks${s.heights ? `, heights ${n(s.heights.min)} to ${n(s.heights.max)}` : ''}${s.blocksWithoutHeight > 0 ? ` (${n(s.blocksWithoutHeight)} of unknown height)` : ''}`,
    `  ${n(s.transactions)} transactions, ${n(s.outputs)} outputs worth ${formatBtc(s.totalValue)} BTC`,
    '',
    ...formatTable(
      ['script type', 'outputs', 'BTC'],
      Object.entries(s.byScriptType)
        .sort((a, b) => b[1].outputs - a[1].outputs)
        .map(([type, e]) => [type, n(e.outputs), formatBtc(e.value)]),
    ).map((l) => `  ${l}`),
    '',
    '  Largest outputs:',
    ...formatTable(['BTC', 'output', 'address'], s.largestOutputs.map((o) => [formatBtc(o.value), `${o.txid}:${o.vout}`, o.address ?? `(${o.scriptType})`])).map((l) => `  ${l}`),
    '',
    `  Inputs spending outputs in no block here (unresolved prevouts): ${n(s.unresolvedPrevouts.count)}${s.unresolvedPrevouts.examples[0] ? `, e.g. ${s.unresolvedPrevouts.examples[0].txid} input ${s.unresolvedPrevouts.examples[0].vin}` : ''}`,
    ...(s.skipped > 0 ? [`  Unreadable stretches skipped: ${n(s.skipped)}`] : []),
    '',
  ];
}
