import { ChaintrailError } from '@chaintrail/core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Background } from './background.js';
import { BlockAssembler } from './block-assembler.js';
import { BlockFileWriter } from './block-file-writer.js';
import { Economy } from './economy.js';
import { Exchange } from './exchange.js';
import { KeyFactory, scriptTypeOfKey } from './keys.js';
import { MarketMaker } from './market-maker.js';
import { Miners } from './miners.js';
import { Operator } from './operator.js';
import { Prng } from './prng.js';
import { SeizedListWriter } from './seized-list-writer.js';
import { Site } from './site.js';
import { writeTagPack } from './tagpack-writer.js';
import type { WorldSummary } from './truth.js';
import { TruthWriter } from './truth-writer.js';
import { Users } from './users.js';
import { Wasabi } from './wasabi.js';
import { Whirlpool } from './whirlpool.js';
import { resolveWorldOptions, type WorldOptions } from './world-options.js';

/** The world kept running long after its users were done: its parameters cannot settle. */
export class WorldDidNotSettleError extends ChaintrailError {
  constructor(height: number, busyUsers: number) {
    super(
      'CHAINTRAIL_SCENARIO_UNSETTLED',
      `The scenario world reached height ${height} with ${busyUsers} users still waiting for withdrawals or mixes that do not come. Lower usersPerBlock, coinjoinShare or backgroundTxPerUser, or raise bootstrapBlocks; report the seed and parameters if the defaults do this.`,
    );
  }
}

/** Progress, reported once per block. */
export interface WorldProgress {
  readonly height: number;
  readonly usersSignedUp: number;
  readonly users: number;
  readonly transactions: number;
}

export interface GenerateOptions {
  readonly onProgress?: (progress: WorldProgress) => void;
}

/** Blocks the world may run after the last sign-up before it is declared stuck. */
const MAX_TAIL_BLOCKS = 5000;

/**
 * Generates a world into `outDir`: `blocks/blk*.dat` (and `blocks/xor.dat` when obfuscated),
 * `seized-addresses.txt`, `seized-addresses.csv`, `tags.yaml` and `truth.json`. Same seed and
 * options, same bytes. Memory stays bounded: blocks are written as they are made, and only
 * the coins some actor will still spend are kept.
 */
export async function generateWorld(options: WorldOptions, outDir: string, generate: GenerateOptions = {}): Promise<WorldSummary> {
  const opts = resolveWorldOptions(options);
  mkdirSync(outDir, { recursive: true });
  const root = new Prng(opts.seed);
  const rngs = {
    keys: root.fork('keys'),
    tx: root.fork('tx'),
    fees: root.fork('fees'),
    blocks: root.fork('blocks'),
    exchanges: root.fork('exchanges'),
    miners: root.fork('miners'),
    users: root.fork('users'),
    site: root.fork('site'),
    operator: root.fork('operator'),
    background: root.fork('background'),
    coinjoin: root.fork('coinjoin'),
    seized: root.fork('seized'),
    tags: root.fork('tags'),
    xor: root.fork('xor'),
  };

  const truth = new TruthWriter(outDir);
  const seized = new SeizedListWriter(outDir, rngs.seized, { users: opts.users, blankLineShare: opts.seizedBlankLineShare, duplicateShare: opts.seizedDuplicateShare });
  const blockFiles = new BlockFileWriter(join(outDir, 'blocks'), opts.maxBlockFileBytes, opts.obfuscate ? rngs.xor.fill(new Uint8Array(8)) : null);
  try {
    const keys = new KeyFactory(rngs.keys, (key, customer) =>
      truth.addAddress({ address: key.address, owner: key.owner, role: key.role, scriptType: scriptTypeOfKey(key.type), ...(customer === undefined ? {} : { customer }) }),
    );
    const assembler = new BlockAssembler(rngs.blocks);
    const eco = new Economy(opts, keys, truth, assembler, rngs.tx, rngs.fees);

    const exchanges = Array.from({ length: opts.exchanges }, (_, i) => new Exchange(i, eco, rngs.exchanges.fork(`exchange-${i}`)));
    // Market shares fall off as 1/rank, as exchange volumes roughly do.
    const exchangeWeights = exchanges.map((_, i) => 1 / (i + 1));
    const miners = new Miners(eco, rngs.miners, exchanges);
    const background = new Background(eco, rngs.background, exchanges);
    const operator = new Operator(eco, rngs.operator, exchanges, () => background.payeeKey());
    const site = new Site(eco, rngs.site, operator);
    const whirlpool = new Whirlpool(eco, rngs.coinjoin.fork('whirlpool'), background);
    const wasabi = new Wasabi(eco, rngs.coinjoin.fork('wasabi'), background);
    const marketMaker = new MarketMaker(eco, rngs.background.fork('market-maker'), exchanges);
    const users = new Users(eco, rngs.users, exchanges, exchangeWeights, site, whirlpool, wasabi, seized);

    const tradingStart = opts.startHeight + opts.bootstrapBlocks;
    const arrivalBlocks = Math.max(opts.minArrivalBlocks, Math.ceil(opts.users / opts.usersPerBlock));
    const backgroundPerBlock = (opts.backgroundTxPerUser * opts.payingShare * opts.users) / arrivalBlocks;

    let height = opts.startHeight;
    let time = opts.startTime;
    let tipHash = '';
    let blocks = 0;
    for (;;) {
      eco.beginBlock(height, time);
      miners.sellMature();
      if (height >= tradingStart) {
        const offset = height - tradingStart;
        if (offset < arrivalBlocks) users.arrive(Math.floor(((offset + 1) * opts.users) / arrivalBlocks) - users.signedUp);
        eco.runDue();
        whirlpool.tick();
        wasabi.tick();
        site.tick();
        for (const exchange of exchanges) exchange.tick();
        if (opts.coinjoinLookalikeEveryBlocks > 0 && offset % opts.coinjoinLookalikeEveryBlocks === opts.coinjoinLookalikeEveryBlocks - 1) {
          rngs.exchanges.pick(exchanges).requestCoinjoinLookalike();
        }
        background.tick(backgroundPerBlock);
        marketMaker.tick();
      }
      const miner = miners.miner;
      const block = assembler.finish(height, time, miner.payout, miner.tag);
      blockFiles.write(block.parts);
      truth.addTransaction({ txid: block.coinbaseTxid, height, kind: 'coinbase', coinjoin: false, fee: 0 });
      eco.transactions++;
      miners.mined(block.reward);
      tipHash = block.hash;
      blocks++;
      generate.onProgress?.({ height, usersSignedUp: users.signedUp, users: opts.users, transactions: eco.transactions });

      const settled = users.signedUp === opts.users && users.busy === 0 && !operator.active;
      if (settled) break;
      if (height - tradingStart - arrivalBlocks > MAX_TAIL_BLOCKS) throw new WorldDidNotSettleError(height, users.busy);
      height++;
      // Block times: ten minutes on average, jittered, strictly increasing.
      time = Math.max(time + 1, opts.startTime + (height - opts.startHeight) * 600 + rngs.blocks.between(-240, 480));
      // Let the event loop breathe between blocks: progress bars and signals stay responsive.
      if (blocks % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
    }

    site.finish();
    operator.finish();
    for (const exchange of exchanges) truth.add('entities', { id: exchange.id, kind: 'exchange', label: exchange.label });
    for (const entity of miners.entities()) truth.add('entities', entity);
    truth.add('entities', { id: 'site', kind: 'site', label: 'The seized site' });
    truth.add('entities', { id: 'operator', kind: 'operator', label: "The site's operator" });
    truth.add('entities', { id: 'coinjoin-coordinator:whirlpool', kind: 'coinjoin-coordinator', label: 'Whirlpool-like coordinator' });
    truth.add('entities', { id: 'coinjoin-coordinator:wasabi', kind: 'coinjoin-coordinator', label: 'Wasabi-like coordinator' });

    const lastmod = new Date(time * 1000).toISOString().slice(0, 10);
    const taggedAddresses = writeTagPack(join(outDir, 'tags.yaml'), exchanges, opts.taggedWalletShare, rngs.tags, lastmod, opts.seed);
    const seizedList = seized.finish();
    blockFiles.close();
    const files = blockFiles.stats;
    const summary: WorldSummary = {
      seed: opts.seed,
      users: opts.users,
      payingUsers: users.paying,
      payments: users.payments,
      exchanges: opts.exchanges,
      blocks,
      transactions: eco.transactions,
      firstHeight: opts.startHeight,
      tipHeight: height,
      tipHash,
      proofOfWorkNetwork: 'regtest',
      blockFiles: files.files,
      blockBytes: files.bytes,
      site: { ...eco.siteMoney },
      seizedList,
      taggedAddresses,
    };
    truth.finish(opts, summary);
    return summary;
  } catch (error) {
    truth.abort();
    seized.abort();
    blockFiles.close();
    throw error;
  }
}
