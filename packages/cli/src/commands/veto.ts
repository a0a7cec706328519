/**
 * `chaintrail veto`: the investigator's answer to the super-cluster report (issue 5;
 * METHODS.md, Meiklejohn et al. CACM 2016). A veto names a transaction whose cluster links
 * are false (a PayJoin, an unflagged CoinJoin, a custodial sweep); it is recorded in the
 * store (@chaintrail/ingest link-vetoes.ts), every clustering run leaves those links out,
 * and the command re-clusters at once so the entity is split before the next report.
 */
import { Option, type Command } from '@commander-js/extra-typings';
import { CHANGE_HEURISTICS, type ChangeHeuristicName, type LinkHeuristic } from '@chaintrail/core';
import { caseVetoes, recordVeto, removeVeto, type RecordedVeto } from '@chaintrail/ingest';
import { clusteringHeuristics } from '@chaintrail/report';
import type { CaseRecord, GraphStore } from '@chaintrail/store';
import type { CliApp, CommandContext } from '../cli-app.js';
import { openCase, withStore, type OpenedStore } from '../case-stores.js';
import { VetoNotFoundError } from '../cli-errors.js';
import { formatTable } from '../format.js';
import { CHANGE_HEURISTIC_NAMES, changeHeuristicList, positiveInt } from '../option-parsers.js';
import { clusterOpenStore, superClusterLines, type ClusterCommandResult } from './cluster.js';

const LINK_HEURISTIC_NAMES: readonly LinkHeuristic[] = ['cioh', 'cioh:p2sh-wrapped', ...CHANGE_HEURISTIC_NAMES];

interface ReclusterFlags {
  readonly recluster: boolean;
  readonly changeHeuristics?: ChangeHeuristicName[];
  readonly superClusterThreshold?: number;
}

export interface VetoAddFlags extends ReclusterFlags {
  readonly case: string;
  readonly txid: string;
  readonly heuristic?: LinkHeuristic;
  readonly reason?: string;
  readonly by?: string;
}

export interface VetoRemoveFlags extends ReclusterFlags {
  readonly case: string;
  readonly txid: string;
  readonly heuristic?: LinkHeuristic;
}

/** The entities a transaction's addresses fall into after a veto (or its removal) and re-clustering. */
export interface EntityChange {
  /** The entity the transaction's inputs were in before, with its size; null when they were in none. */
  readonly before: { readonly entityId: string; readonly size: number } | null;
  /** The entities those addresses are in now, largest first, with the transaction's addresses in each. */
  readonly after: ReadonlyArray<{ readonly entityId: string; readonly size: number; readonly addresses: readonly string[] }>;
}

function reclusterOptions(command: Command): Command {
  return command
    .option('--no-recluster', 'record only; the next `chaintrail cluster` or ingestion applies it')
    .option('--change-heuristics <list>', `for the re-clustering (default: those of the case's last clustering run; ${CHANGE_HEURISTIC_NAMES.join(', ')})`, changeHeuristicList)
    .option('--super-cluster-threshold <n>', 'entities of at least this many addresses listed after re-clustering (default 100)', positiveInt('--super-cluster-threshold'));
}

export function registerVeto(program: Command, app: CliApp): void {
  const veto = program
    .command('veto')
    .description('reject the cluster links of a transaction (a false merge from the super-cluster report): recorded in the store, applied by every clustering run')
    .addHelpText(
      'after',
      [
        '',
        '`chaintrail veto --case NAME --txid TXID` is `chaintrail veto add ...`.',
        'The vetoes of every case in a store apply to its clustering (entities are per store). Each veto',
        'is listed by `chaintrail explain` for the addresses it touches and in evidence bundles.',
        '',
        'Examples:',
        '  $ chaintrail veto --case wtv --txid 5e3c…e1 --reason "PayJoin: the receiver signed input 1"',
        '  $ chaintrail veto add --case wtv --txid 5e3c…e1 --heuristic change:one-time --no-recluster',
        '  $ chaintrail veto list --case wtv --json',
        '  $ chaintrail veto remove --case wtv --txid 5e3c…e1',
      ].join('\n'),
    );

  reclusterOptions(
    veto
      .command('add', { isDefault: true })
      .description("record a veto of a transaction's cluster links and split its entity")
      .requiredOption('--case <name>', 'the case recording the veto')
      .requiredOption('--txid <txid>', 'the transaction whose links are false (stored in the case)')
      .addOption(new Option('--heuristic <name>', 'veto only the links of this heuristic (default: every link of the transaction)').choices(LINK_HEURISTIC_NAMES))
      .option('--reason <text>', 'why, for the record (shown by explain and in evidence bundles)')
      .option('--by <name>', 'who decided it, for the record'),
  )
    .addHelpText('after', '\nExamples:\n  $ chaintrail veto add --case wtv --txid TXID --reason "PayJoin" --by "J. Doe"\n  $ chaintrail veto add --case wtv --txid TXID --no-recluster --json')
    .action((options, command) => app.run(command, (ctx) => runVetoAdd(ctx, options as VetoAddFlags).then(() => undefined), { interruptible: true }));

  veto
    .command('list')
    .description('the vetoes recorded in a case')
    .requiredOption('--case <name>', 'the case')
    .addHelpText('after', '\nExamples:\n  $ chaintrail veto list --case wtv\n  $ chaintrail veto list --case wtv --json')
    .action((options, command) => app.run(command, (ctx) => runVetoList(ctx, options.case).then(() => undefined)));

  reclusterOptions(
    veto
      .command('remove')
      .description('withdraw a veto; re-clustering joins the entity again where the links still hold')
      .requiredOption('--case <name>', 'the case that recorded the veto')
      .requiredOption('--txid <txid>', 'the vetoed transaction')
      .addOption(new Option('--heuristic <name>', 'remove only the veto of this heuristic (default: every veto of the transaction)').choices(LINK_HEURISTIC_NAMES)),
  )
    .addHelpText('after', '\nExamples:\n  $ chaintrail veto remove --case wtv --txid TXID\n  $ chaintrail veto remove --case wtv --txid TXID --no-recluster --json')
    .action((options, command) => app.run(command, (ctx) => runVetoRemove(ctx, options as VetoRemoveFlags).then(() => undefined), { interruptible: true }));
}

/** What adding or removing a veto did: the case's vetoes after it, and the entities after re-clustering. */
interface VetoChange {
  readonly case: string;
  readonly vetoes: readonly RecordedVeto[];
  readonly reclustered: boolean;
  readonly entities: EntityChange;
  readonly cluster: ClusterCommandResult | null;
}

export interface VetoAddResult extends VetoChange {
  readonly veto: RecordedVeto;
}

export async function runVetoAdd(ctx: CommandContext, flags: VetoAddFlags): Promise<VetoAddResult> {
  const { opened, record } = await openCase(ctx.config, flags.case);
  return withStore(opened, async (open) => {
    const { store } = open;
    const tx = await store.getTransaction(flags.txid.toLowerCase());
    const tracked = await entityOfInputs(store, tx.inputs, tx.outputs);
    if (tracked.before === null || tracked.addresses.length < 2) {
      ctx.out.warn(`transaction ${tx.txid} joins no addresses into one entity in the current clustering; the veto is recorded for later runs`);
    }
    const veto: RecordedVeto = { txid: tx.txid, heuristic: flags.heuristic ?? null, reason: flags.reason ?? null, recordedAt: new Date().toISOString(), by: flags.by ?? null };
    const vetoes = await recordVeto(store, record.id, veto);
    const cluster = flags.recluster ? await recluster(ctx, open, record, flags) : null;
    const result: VetoAddResult = { case: record.name, veto, vetoes, reclustered: cluster !== null, entities: { before: tracked.before, after: cluster ? await entitiesNow(store, tracked.addresses) : [] }, cluster };
    ctx.out.result(result, () => vetoAddLines(result));
    return result;
  });
}

export interface VetoRemoveResult extends VetoChange {
  readonly removed: readonly RecordedVeto[];
}

export async function runVetoRemove(ctx: CommandContext, flags: VetoRemoveFlags): Promise<VetoRemoveResult> {
  const { opened, record } = await openCase(ctx.config, flags.case);
  return withStore(opened, async (open) => {
    const { store } = open;
    const txid = flags.txid.toLowerCase();
    const removed = await removeVeto(store, record.id, txid, flags.heuristic);
    if (removed.length === 0) throw new VetoNotFoundError(record.name, txid);
    const cluster = flags.recluster ? await recluster(ctx, open, record, flags) : null;
    const tx = await store.getTransaction(txid);
    const addresses = distinctAddresses(tx.inputs);
    const result: VetoRemoveResult = {
      case: record.name,
      removed,
      vetoes: await caseVetoes(store, record.id),
      reclustered: cluster !== null,
      entities: { before: null, after: cluster ? await entitiesNow(store, addresses) : [] },
      cluster,
    };
    ctx.out.result(result, () => [
      `Removed ${removed.length} veto${removed.length === 1 ? '' : 'es'} of transaction ${txid} from case ${record.name}.`,
      ...(cluster ? ['Re-clustered: its input addresses are now in', ...pieceLines(result.entities.after)] : ['Not re-clustered (--no-recluster): run `chaintrail cluster --case ' + record.name + '` to apply it.']),
    ]);
    return result;
  });
}

export async function runVetoList(ctx: CommandContext, caseName: string): Promise<readonly RecordedVeto[]> {
  const { opened, record } = await openCase(ctx.config, caseName);
  return withStore(opened, async ({ store }) => {
    const vetoes = await caseVetoes(store, record.id);
    ctx.out.result({ case: record.name, vetoes }, () =>
      vetoes.length === 0
        ? [`Case ${record.name} has no vetoed links.`]
        : [
            `Vetoed links of case ${record.name} (never applied by clustering):`,
            ...formatTable(
              ['txid', 'heuristic', 'reason', 'recorded', 'by'],
              vetoes.map((v) => [v.txid, v.heuristic ?? 'all', v.reason ?? '-', v.recordedAt, v.by ?? '-']),
            ).map((l) => `  ${l}`),
          ],
    );
    return vetoes;
  });
}

/** Re-clusters with the change heuristics asked for, else those of the case's last run. */
async function recluster(ctx: CommandContext, opened: OpenedStore, record: CaseRecord, flags: ReclusterFlags): Promise<ClusterCommandResult> {
  const last = clusteringHeuristics(await opened.store.listCheckpoints(record.id)) ?? [];
  const heuristics = flags.changeHeuristics ?? last.filter((h): h is ChangeHeuristicName => h in CHANGE_HEURISTICS);
  return clusterOpenStore(ctx, opened, record, heuristics, { superClusterThreshold: flags.superClusterThreshold });
}

type TxAddressed = readonly { readonly address: string | null }[];

function distinctAddresses(...lists: TxAddressed[]): string[] {
  return [...new Set(lists.flat().map((x) => x.address).filter((a): a is string => a !== null))].sort();
}

/** The entity of a transaction's inputs, and its addresses (inputs and outputs) in that entity: what a veto of its links can split. */
async function entityOfInputs(store: GraphStore, inputs: TxAddressed, outputs: TxAddressed): Promise<{ before: EntityChange['before']; addresses: string[] }> {
  const inputAddresses = distinctAddresses(inputs);
  const entityOf = new Map<string, string | null>();
  for (const address of distinctAddresses(inputs, outputs)) entityOf.set(address, (await store.addressSummary(address)).entityId);
  const entityId = inputAddresses.map((a) => entityOf.get(a)).find((e): e is string => typeof e === 'string');
  if (entityId === undefined) return { before: null, addresses: inputAddresses };
  const addresses = [...entityOf].filter(([, e]) => e === entityId).map(([a]) => a);
  return { before: { entityId, size: (await store.getEntity(entityId)).size }, addresses };
}

async function entitiesNow(store: GraphStore, addresses: readonly string[]): Promise<EntityChange['after']> {
  const byEntity = new Map<string, string[]>();
  for (const address of addresses) {
    const entityId = (await store.addressSummary(address)).entityId;
    if (entityId === null) continue;
    byEntity.set(entityId, [...(byEntity.get(entityId) ?? []), address]);
  }
  const pieces = await Promise.all([...byEntity].map(async ([entityId, list]) => ({ entityId, size: (await store.getEntity(entityId)).size, addresses: list })));
  return pieces.sort((x, y) => y.size - x.size || (x.entityId < y.entityId ? -1 : 1));
}

function pieceLines(pieces: EntityChange['after']): string[] {
  return formatTable(
    ['entity', 'addresses', "the transaction's addresses in it"],
    pieces.map((p) => [p.entityId, p.size.toLocaleString('en-US'), p.addresses.length <= 3 ? p.addresses.join(' ') : `${p.addresses.slice(0, 3).join(' ')} +${p.addresses.length - 3}`]),
  ).map((l) => `  ${l}`);
}

function vetoAddLines(result: VetoAddResult): string[] {
  const v = result.veto;
  const lines = [`Vetoed ${v.heuristic === null ? 'every cluster link' : `the ${v.heuristic} links`} of transaction ${v.txid} in case ${result.case}${v.reason ? ` ("${v.reason}")` : ''}.`];
  if (result.cluster === null) {
    lines.push(`Not re-clustered (--no-recluster): run \`chaintrail cluster --case ${result.case}\` to split the entity.`);
    return lines;
  }
  const before = result.entities.before;
  if (before !== null) {
    const split = result.entities.after.length > 1;
    lines.push(
      split
        ? `Entity ${before.entityId} (${before.size.toLocaleString('en-US')} addresses) is split into:`
        : `Entity ${before.entityId} (${before.size.toLocaleString('en-US')} addresses) is still one entity: other transactions link the same addresses (see \`chaintrail explain A B --case ${result.case}\`, and veto those too if they are false):`,
      ...pieceLines(result.entities.after),
    );
  }
  lines.push(...superClusterLines(result.cluster.largest, result.cluster.superClusterThreshold, result.case));
  return lines;
}
