import type { Economy } from './economy.js';
import type { Key } from './keys.js';
import type { Operator } from './operator.js';
import type { Prng } from './prng.js';
import { WALLET_STYLES, type Coin } from './tx-builder.js';
import type { PaymentRoute, TruthPayment } from './truth.js';

/** What the site knows of a payment when it arrives; the sweep that spends it is added later. */
export type IncomingPayment = Omit<TruthPayment, 'sweptIn'>;

interface PendingDeposit {
  readonly coin: Coin;
  readonly payment: IncomingPayment;
}

/**
 * The site, after Welcome to Video (US v. Gratkowski, 5th Cir. 2020): one unique deposit
 * address per account; deposits swept together every few blocks into one reused wallet
 * address, each sweep also spending the coin already there, so the whole site is one
 * common-input cluster, as the real site's was to the agents' clustering service; part of
 * the balance moved to the operator now and then. Deposits too small to be worth a sweep,
 * and whatever arrived since the last sweep, stay put.
 */
export class Site {
  /** Deposits waiting for a sweep. */
  private pending: PendingDeposit[] = [];
  private walletCoins: Coin[] = [];
  /**
   * The one address the site sweeps into and keeps its change at: the first deposit address
   * it swept. Reusing it is what makes the whole site one common-input cluster: every sweep
   * spends a coin at it together with the new deposits.
   */
  private walletKey: Key | null = null;
  private readonly style = WALLET_STYLES.core;

  constructor(
    private readonly eco: Economy,
    private readonly rng: Prng,
    private readonly operator: Operator,
  ) {}

  /** The unique deposit address of a new account. */
  newDepositKey(): Key {
    return this.eco.keys.make(this.eco.options.siteAddressType, 'site', 'site-deposit');
  }

  /** A payment to a deposit address is in the current block. */
  receive(coin: Coin, user: string, exchange: string, route: PaymentRoute, fundedBy: string): void {
    const payment: IncomingPayment = { txid: coin.txid, vout: coin.vout, address: coin.key.address, value: coin.value, height: coin.height, user, exchange, route, fundedBy };
    this.eco.siteMoney.received += BigInt(coin.value);
    if (coin.value < this.eco.options.siteDustSats) this.keepForever(coin, payment);
    else this.pending.push({ coin, payment });
  }

  tick(): void {
    const { siteSweepEveryBlocks, operatorEveryBlocks } = this.eco.options;
    const h = this.eco.height;
    if (h % siteSweepEveryBlocks === 0) this.sweep();
    if (h % operatorEveryBlocks === 0) this.payOperator();
  }

  /** Writes what is still unswept and unspent: the seizable part of the site's money. */
  finish(): void {
    for (const { coin, payment } of this.pending) this.keepForever(coin, payment);
    this.pending = [];
    for (const coin of this.walletCoins) this.hold(coin);
    this.walletCoins = [];
  }

  private sweep(): void {
    const h = this.eco.height;
    const ready = this.pending.filter((d) => d.coin.height < h);
    if (ready.length === 0) return;
    this.pending = this.pending.filter((d) => d.coin.height >= h);
    const per = this.eco.options.siteMaxSweepInputs - 1;
    for (let i = 0; i < ready.length; i += per) {
      const batch = ready.slice(i, i + per);
      // The wallet's previous coin goes in with the deposits: this chains every sweep, and
      // every deposit address, into one common-input cluster, as the real site's wallet did.
      const inputs = [...this.walletCoins, ...batch.map((d) => d.coin)];
      this.walletKey ??= (inputs[0] as Coin).key;
      const tx = this.eco.submit({ inputs, outputs: [], style: this.style, feeRate: this.eco.feeRate(), change: this.walletKey }, 'site-sweep');
      this.walletCoins = tx.outputs.filter((c): c is Coin => c !== null);
      for (const d of batch) this.eco.truth.add('payments', { ...d.payment, sweptIn: tx.txid });
    }
  }

  private payOperator(): void {
    const balance = this.walletCoins.reduce((s, c) => s + c.value, 0);
    if (balance < 2_000_000 || this.walletKey === null) return;
    // A round amount (0.001 BTC steps), as a person types it.
    const value = Math.floor((balance * (0.6 + 0.3 * this.rng.float())) / 100_000) * 100_000;
    const to = this.operator.newKey();
    const tx = this.eco.submit(
      {
        inputs: this.walletCoins,
        outputs: [{ value, scriptPubKey: to.scriptPubKey, key: to }],
        style: this.style,
        feeRate: this.eco.feeRate(),
        change: this.walletKey,
      },
      'site-to-operator',
    );
    this.walletCoins = [];
    for (const coin of tx.outputs) {
      if (coin === null) continue;
      if (coin.key.owner === 'site') this.walletCoins.push(coin);
      else this.operator.receive(coin);
    }
  }

  private keepForever(coin: Coin, payment: IncomingPayment): void {
    this.eco.truth.add('payments', { ...payment, sweptIn: null });
    this.hold(coin);
  }

  private hold(coin: Coin): void {
    this.eco.siteMoney.held += BigInt(coin.value);
    this.eco.truth.add('siteHoldings', { txid: coin.txid, vout: coin.vout, value: coin.value, address: coin.key.address, owner: 'site', role: coin.key.role });
  }
}
