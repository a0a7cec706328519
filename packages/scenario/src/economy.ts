import type { BlockAssembler } from './block-assembler.js';
import type { KeyFactory } from './keys.js';
import type { Prng } from './prng.js';
import { buildTransaction, type BuiltTx, type TxRequest } from './tx-builder.js';
import type { MisleadingKind, TxKind } from './truth.js';
import type { TruthWriter } from './truth-writer.js';
import type { ResolvedWorldOptions } from './world-options.js';

/** Owners whose money is "the site's money" for forfeiture tracing. */
const SITE_OWNERS = new Set(['site', 'operator']);

/**
 * What every actor of the world shares: the block being built, the clock, the agenda of
 * future steps, fee rates, key making, and `submit`, which puts a transaction in the block,
 * in truth.json, and in the ledger of where the site's money went.
 */
export class Economy {
  /** Height of the block being built. */
  height: number;
  time: number;
  private baseFeeRate = 1;
  private readonly agenda = new Map<number, (() => void)[]>();
  private pendingSteps = 0;
  transactions = 0;
  readonly siteMoney = { received: 0n, exited: 0n, fees: 0n, held: 0n };

  constructor(
    readonly options: ResolvedWorldOptions,
    readonly keys: KeyFactory,
    readonly truth: TruthWriter,
    readonly assembler: BlockAssembler,
    /** Signature bytes and change positions. */
    readonly txRng: Prng,
    /** Fee rates. */
    private readonly feeRng: Prng,
  ) {
    this.height = options.startHeight;
    this.time = options.startTime;
  }

  /** Runs `step` while building block `height` (now, if that block is already being built). */
  at(height: number, step: () => void): void {
    const due = Math.max(height, this.height);
    const list = this.agenda.get(due);
    if (list === undefined) this.agenda.set(due, [step]);
    else list.push(step);
    this.pendingSteps++;
  }

  after(blocks: number, step: () => void): void {
    this.at(this.height + blocks, step);
  }

  /** Steps scheduled for later blocks. */
  get scheduled(): number {
    return this.pendingSteps;
  }

  /** Runs every step due in the current block, including steps they schedule for it. */
  runDue(): void {
    for (let list = this.agenda.get(this.height); list !== undefined && list.length > 0; list = this.agenda.get(this.height)) {
      this.agenda.delete(this.height);
      this.pendingSteps -= list.length;
      for (const step of list) step();
    }
  }

  /** Starts a block: a new base fee rate around the configured median (log-normal, 1 to 500 sat/vB). */
  beginBlock(height: number, time: number): void {
    this.height = height;
    this.time = time;
    const { feeRateMedian, feeRateSigma } = this.options;
    this.baseFeeRate = Math.min(500, Math.max(1, this.feeRng.logNormal(feeRateMedian, feeRateSigma)));
  }

  /** A fee rate for one transaction of this block (sat/vB). */
  feeRate(): number {
    return Math.max(1, Math.round(this.baseFeeRate * (0.85 + 0.4 * this.feeRng.float()) * 100) / 100);
  }

  /** The highest fee rate `feeRate` can give in this block: what planners must leave room for. */
  get maxFeeRate(): number {
    return Math.ceil(this.baseFeeRate * 1.25) + 1;
  }

  /** Builds the transaction, puts it in the current block and records it. */
  submit(request: Omit<TxRequest, 'height'>, kind: TxKind, labels: { coinjoin?: boolean; misleading?: MisleadingKind } = {}): BuiltTx {
    const tx = buildTransaction(this.txRng, { ...request, height: this.height });
    this.assembler.add(tx);
    this.transactions++;
    this.truth.addTransaction({
      txid: tx.txid,
      height: this.height,
      kind,
      coinjoin: labels.coinjoin ?? false,
      ...(labels.misleading === undefined ? {} : { misleading: labels.misleading }),
      fee: tx.fee,
    });
    if (tx.inputs.some((coin) => SITE_OWNERS.has(coin.key.owner))) this.recordSiteSpend(tx);
    return tx;
  }

  private recordSiteSpend(tx: BuiltTx): void {
    this.siteMoney.fees += BigInt(tx.fee);
    for (const coin of tx.outputs) {
      if (coin === null || SITE_OWNERS.has(coin.key.owner)) continue;
      this.siteMoney.exited += BigInt(coin.value);
      this.truth.add('siteExits', {
        txid: coin.txid,
        vout: coin.vout,
        value: coin.value,
        height: this.height,
        address: coin.key.address,
        to: coin.key.owner,
        kind: coin.key.role === 'exchange-deposit' ? 'exchange-deposit' : 'peel-payment',
      });
    }
  }
}
