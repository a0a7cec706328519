/**
 * Clustering accuracy, measured (METHODS.md, "Evaluation"): a scenario world with known
 * owners is clustered per configuration (common-input ownership with the CoinJoin guard,
 * then that plus each change heuristic) and scored by pairwise precision, recall and F1 of
 * same-owner address pairs, the entities that join several owners, each heuristic's own
 * link precision, and the CoinJoins caught and missed. Then the real block 680,000
 * (recorded with its prevouts) is clustered and tagged with the real TagPacks and OFAC
 * list: which tagged entities the clustering grows, and any merge of differently tagged
 * exchanges (a sign of a false link).
 *
 * The scenario figures are published: each rule's go into the `heuristics` section of
 * @chaintrail/evidence's published-accuracy.json, which every evidence bundle cites.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBlockFiles, nodeHasher, readBlockRecords } from '@chaintrail/chain';
import {
  CHANGE_HEURISTICS,
  Clusterer,
  COINJOIN_RULES,
  esploraPrevouts,
  liftTags,
  parseBlock,
  resolveTransaction,
  transactionFromEsplora,
  type ChangeContext,
  type ChangeHeuristicName,
  type ClustererOptions,
  type EsploraTx,
  type ResolvedTx,
  type SpentOutput,
  type Tag,
  type TxShape,
} from '@chaintrail/core';
import { recordAccuracySection, PUBLISHED_ACCURACY_FILE, type AccuracyFigures } from '@chaintrail/evidence';
import { readOfacList, readTagPack } from '@chaintrail/ingest';
import { generateWorld, readTruth, type Truth } from '@chaintrail/scenario';
import { chaintrailVersion, rounded } from './published-accuracy.js';
import type { BenchReporter } from './reporter.js';

const WORLD = { seed: 7, users: 3_000 } as const;
const SHARED = process.env['CHAINTRAIL_SHARED_DATA'] ?? join(import.meta.dirname, '..', '..', 'shared', 'data');

interface LoadedWorld {
  readonly txs: ResolvedTx[];
  readonly changeContext: ChangeContext;
}

/** Blocks of a generated world, resolved and with the chain facts change heuristics read. */
function loadWorld(dir: string, truth: Truth): LoadedWorld {
  const heights = new Map(truth.transactions.map((t) => [t.txid, t.height]));
  const outputs = new Map<string, SpentOutput>();
  const firstSeenIn = new Map<string, string>();
  const spenders = new Map<string, TxShape>();
  const shapes = new Map<string, TxShape>();
  const txs: ResolvedTx[] = [];
  const { files, xorKey } = listBlockFiles(join(dir, 'blocks'));
  for (const file of files) {
    for (const record of readBlockRecords(file, xorKey)) {
      if (record.kind !== 'block') continue;
      for (const tx of parseBlock(record.bytes, { hasher: nodeHasher }).transactions) {
        const shape = { inputCount: tx.inputs.length, outputCount: tx.outputs.length, locktime: tx.locktime };
        shapes.set(tx.txid, shape);
        txs.push(resolveTransaction(tx, (p) => outputs.get(`${p.txid}:${p.vout}`), heights.get(tx.txid) ?? null));
        if (!tx.isCoinbase) for (const input of tx.inputs) spenders.set(`${input.prevout.txid}:${input.prevout.vout}`, shape);
        tx.outputs.forEach((o, vout) => {
          outputs.set(`${tx.txid}:${vout}`, o);
          if (o.address !== null && !firstSeenIn.has(o.address)) firstSeenIn.set(o.address, tx.txid);
        });
      }
    }
  }
  return {
    txs,
    changeContext: {
      isFirstSeen: (address, txid) => (firstSeenIn.has(address) ? firstSeenIn.get(address) === txid : undefined),
      // The whole world is known: an output nobody spends is unspent at the tip.
      spender: (txid, vout) => spenders.get(`${txid}:${vout}`) ?? null,
      shapeOf: (txid) => shapes.get(txid),
    },
  };
}

interface Score {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly mergedEntities: number;
  readonly links: Map<string, { made: number; sameOwner: number }>;
}

const pairs = (n: number): number => (n * (n - 1)) / 2;

/** Pairwise scores over the addresses whose owner the truth knows. */
function score(clusterer: Clusterer, owner: ReadonlyMap<string, string>): Score {
  const cells = new Map<string, Map<string, number>>();
  const trueSizes = new Map<string, number>();
  for (const [address, who] of owner) {
    const entity = clusterer.entityOf(address);
    if (entity === undefined) continue;
    const row = cells.get(entity) ?? new Map<string, number>();
    row.set(who, (row.get(who) ?? 0) + 1);
    cells.set(entity, row);
    trueSizes.set(who, (trueSizes.get(who) ?? 0) + 1);
  }
  let together = 0;
  let predicted = 0;
  let mergedEntities = 0;
  for (const row of cells.values()) {
    let size = 0;
    for (const n of row.values()) {
      together += pairs(n);
      size += n;
    }
    predicted += pairs(size);
    if (row.size > 1) mergedEntities++;
  }
  let truePairs = 0;
  for (const n of trueSizes.values()) truePairs += pairs(n);
  const precision = predicted === 0 ? 1 : together / predicted;
  const recall = truePairs === 0 ? 1 : together / truePairs;
  const links = new Map<string, { made: number; sameOwner: number }>();
  for (const link of clusterer.links()) {
    const tally = links.get(link.heuristic) ?? { made: 0, sameOwner: 0 };
    tally.made++;
    if (owner.get(link.a) !== undefined && owner.get(link.a) === owner.get(link.b)) tally.sameOwner++;
    links.set(link.heuristic, tally);
  }
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), mergedEntities, links };
}

async function scenarioAccuracy(report: BenchReporter): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-accuracy-'));
  try {
    const summary = await generateWorld(WORLD, dir);
    const truth = await readTruth(join(dir, 'truth.json'));
    const world = loadWorld(dir, truth);
    const exchangeTags = (await readTagPack(join(dir, 'tags.yaml'))).tags;
    const exchanges = new Set(exchangeTags.filter((t) => t.category === 'exchange').map((t) => t.address));
    const owner = new Map(truth.addresses.map((a) => [a.address, a.owner]));
    report.section(`accuracy: scenario world (seed ${WORLD.seed}, ${summary.users.toLocaleString('en-US')} users, ${summary.transactions.toLocaleString('en-US')} transactions, ${owner.size.toLocaleString('en-US')} addresses of known owner)`);
    const base: ClustererOptions = { coinjoinContext: { isExchangeAddress: (a) => exchanges.has(a) }, changeContext: world.changeContext };
    const configurations: Array<[string, ClustererOptions]> = [
      ['common-input', base],
      ...(Object.keys(CHANGE_HEURISTICS) as ChangeHeuristicName[]).map((name): [string, ClustererOptions] => [`common-input + ${name}`, { ...base, change: [name] }]),
    ];
    const published: Record<string, AccuracyFigures> = {};
    for (const [name, options] of configurations) {
      const clusterer = new Clusterer(options);
      clusterer.add(world.txs);
      const s = score(clusterer, owner);
      for (const heuristic of name === 'common-input' ? ['cioh', 'cioh:p2sh-wrapped'] : (options.change ?? [])) {
        const tally = s.links.get(heuristic) ?? { made: 0, sameOwner: 0 };
        // A change rule's pairwise figures are of common-input plus that rule: what a run with it switched on gives.
        published[heuristic] = {
          configuration: name,
          pairwisePrecision: rounded(s.precision),
          pairwiseRecall: rounded(s.recall),
          f1: rounded(s.f1),
          entitiesJoiningSeveralOwners: s.mergedEntities,
          links: tally.made,
          linksJoiningOneOwner: tally.made === 0 ? null : rounded(tally.sameOwner / tally.made),
        };
      }
      report.metric(`${name}: pairwise precision`, s.precision, '', `${s.precision.toFixed(5)}${name === 'common-input' ? '; target >= 0.99' : ''}`);
      report.metric(`${name}: pairwise recall`, s.recall, '', s.recall.toFixed(5));
      report.metric(`${name}: F1`, s.f1, '', s.f1.toFixed(5));
      report.metric(`${name}: entities joining several owners`, s.mergedEntities, 'entities');
      for (const heuristic of options.change ?? ['cioh']) {
        const tally = s.links.get(heuristic) ?? { made: 0, sameOwner: 0 };
        const share = tally.made === 0 ? Number.NaN : tally.sameOwner / tally.made;
        report.metric(`${name}: ${heuristic} links joining one owner`, share, '', `${tally.sameOwner.toLocaleString('en-US')} of ${tally.made.toLocaleString('en-US')} links`);
      }
      if (name === 'common-input') {
        const coinjoins = truth.transactions.filter((t) => t.coinjoin);
        const caught = coinjoins.filter((t) => clusterer.coinjoinVerdict(t.txid)?.isCoinJoin === true).length;
        const falseAlarms = truth.transactions.filter((t) => !t.coinjoin && clusterer.coinjoinVerdict(t.txid)?.isCoinJoin === true).length;
        const lookalikes = truth.transactions.filter((t) => t.misleading === 'exchange-batch-looks-like-coinjoin');
        const vetoed = lookalikes.filter((t) => clusterer.coinjoinVerdict(t.txid)?.veto !== null && clusterer.coinjoinVerdict(t.txid)?.veto !== undefined).length;
        report.metric('CoinJoins caught', caught, 'txs', `of ${coinjoins.length}`);
        const missed = new Map<string, number>();
        for (const t of coinjoins) if (clusterer.coinjoinVerdict(t.txid)?.isCoinJoin !== true) missed.set(t.kind, (missed.get(t.kind) ?? 0) + 1);
        report.metric('CoinJoins missed', coinjoins.length - caught, 'txs', [...missed].map(([kind, n]) => `${n} ${kind}`).join(', ') || undefined);
        report.metric('transactions wrongly judged CoinJoin', falseAlarms, 'txs');
        report.metric('exchange batches that look like CoinJoins, vetoed', vetoed, 'txs', `of ${lookalikes.length}`);
        const isMix = new Map(truth.transactions.map((t) => [t.txid, t.coinjoin]));
        for (const rule of COINJOIN_RULES) {
          const flagged = truth.transactions.filter((t) => clusterer.coinjoinVerdict(t.txid)?.isCoinJoin === true && clusterer.coinjoinVerdict(t.txid)?.rule === rule.name);
          const right = flagged.filter((t) => isMix.get(t.txid) === true).length;
          published[rule.name] = {
            flagged: flagged.length,
            flaggedThatAreCoinJoins: right,
            precision: flagged.length === 0 ? null : rounded(right / flagged.length),
            coinjoinsCaughtByAllRules: caught,
            coinjoinsInWorld: coinjoins.length,
            transactionsWronglyJudgedCoinJoinByAllRules: falseAlarms,
          };
        }
      }
    }
    const changed = recordAccuracySection({
      section: 'heuristics',
      figures: published,
      world: { generator: '@chaintrail/scenario', seed: WORLD.seed, users: summary.users, transactions: summary.transactions, addressesOfKnownOwner: owner.size },
      chaintrailVersion: chaintrailVersion(),
      measuredAt: new Date().toISOString().slice(0, 10),
    });
    report.note(`${changed ? 'wrote' : 'unchanged (same figures)'}: the heuristics section of ${PUBLISHED_ACCURACY_FILE}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Tags of every real pack and the OFAC list, kept only for addresses the clusterer knows. */
async function realTags(known: (address: string) => boolean): Promise<Tag[]> {
  const kept: Tag[] = [];
  const packs = join(SHARED, 'tags', 'graphsense-tagpacks', 'packs');
  for (const name of readdirSync(packs).sort()) {
    for (const tag of (await readTagPack(join(packs, name))).tags) if (known(tag.address)) kept.push(tag);
  }
  for (const tag of (await readOfacList(join(SHARED, 'tags', 'ofac', 'sanctioned_addresses_XBT.txt'))).tags) if (known(tag.address)) kept.push(tag);
  return kept;
}

async function realBlockAttribution(report: BenchReporter): Promise<void> {
  const dir = join(SHARED, 'esplora', 'block680000_txs');
  const txs: ResolvedTx[] = [];
  for (const file of readdirSync(dir).sort()) {
    for (const json of JSON.parse(readFileSync(join(dir, file), 'utf8')) as EsploraTx[]) {
      const tx = transactionFromEsplora(json, { hasher: nodeHasher });
      const prevouts = esploraPrevouts(json);
      const byOutpoint = new Map(tx.inputs.map((input, i) => [`${input.prevout.txid}:${input.prevout.vout}`, prevouts[i] ?? undefined]));
      txs.push(resolveTransaction(tx, (p) => byOutpoint.get(`${p.txid}:${p.vout}`), 680_000));
    }
  }
  const clusterer = new Clusterer();
  const batch = clusterer.add(txs);
  report.section(`real block 680,000 (${txs.length.toLocaleString('en-US')} recorded transactions with prevouts) with the real tags`);
  report.metric('addresses', clusterer.addressCount, 'addresses');
  report.metric('entities', clusterer.entityCount, 'entities');
  report.metric('CoinJoin-like transactions', batch.verdicts.filter((v) => v.isCoinJoin).length, 'txs');
  const tags = await realTags((a) => clusterer.entityOf(a) !== undefined);
  const { entities } = liftTags(tags, (a) => clusterer.entityOf(a));
  report.metric('tags on addresses of the block', tags.length, 'tags');
  report.metric('tagged entities', entities.length, 'entities');
  for (const e of entities) {
    const tagged = new Set(e.tags.map((t) => t.address)).size;
    const size = clusterer.sizeOf(e.tags[0]!.address);
    if (size > tagged) report.note(`grown: ${e.label ?? '(conflicting labels)'} [${e.category ?? '-'}] ${tagged} tagged address(es) -> entity of ${size}`);
  }
  const exchangeConflicts = entities.filter((e) => e.conflicts.some((c) => c.field === 'label') && e.tags.filter((t) => t.category === 'exchange').length > 0 && new Set(e.tags.filter((t) => t.category === 'exchange').map((t) => t.actor ?? t.label.toLowerCase())).size > 1);
  report.metric('entities joining differently tagged exchanges', exchangeConflicts.length, 'entities', 'each a likely false link');
  for (const e of exchangeConflicts) report.note(`conflict in ${e.entityId}: ${e.conflicts.map((c) => c.values.map((v) => `${v.value} (${v.sources.join(', ')})`).join(' vs ')).join('; ')}`);
}

export async function run(report: BenchReporter): Promise<void> {
  await scenarioAccuracy(report);
  await realBlockAttribution(report);
}
