import type { Economy } from './economy.js';
import type { Exchange } from './exchange.js';
import type { Key } from './keys.js';
import type { Prng } from './prng.js';
import { WALLET_STYLES, type Coin, type WalletStyle } from './tx-builder.js';
import { drawWalletType, WALLET_KEY_TYPES, type WalletKeyType } from './world-options.js';

interface Wallet {
  readonly id: string;
  readonly type: WalletKeyType;
  readonly style: WalletStyle;
  readonly exchange: Exchange;
  /** Set for wallets that reuse one address for everything. */
  readonly reused: Key | null;
  coins: Coin[];
  pending: number;
  account: Key | null;
}

const MAX_WALLETS = 4000;
const STYLES: readonly WalletStyle[] = [WALLET_STYLES.core, WALLET_STYLES.electrum, WALLET_STYLES.mobile, WALLET_STYLES.legacy];

/**
 * Everyone else: exchange customers who withdraw, pay each other and sell again. Their
 * transactions have nothing to do with the site, which is the point: a tracer must not
 * follow them. The set of active wallets is bounded, so memory does not grow with the world.
 */
export class Background {
  private wallets: Wallet[] = [];
  private nextId = 1;

  constructor(
    private readonly eco: Economy,
    private readonly rng: Prng,
    private readonly exchanges: readonly Exchange[],
  ) {}

  /** A new owner id for someone outside the tracked wallets. */
  newOwner(kind: 'background' | 'coinjoin-participant'): string {
    return `${kind}:${this.nextId++}`;
  }

  /** A fresh address of a one-off payee. */
  payeeKey(): Key {
    return this.eco.keys.make(this.rng.pick(WALLET_KEY_TYPES), this.newOwner('background'), 'background');
  }

  /** Has `key` funded by a withdrawal from some exchange; `onFunded` gets the coin. */
  fund(key: Key, value: number, onFunded: (coin: Coin) => void): void {
    this.exchangeFor(value).requestWithdrawal({ key, value, onSent: onFunded });
  }

  /**
   * Sends `coin` back to an exchange after a while: how mixing participants and other
   * outsiders return money to the exchanges, so the world's money keeps circulating.
   */
  cashBack(coin: Coin, afterBlocks: number): void {
    this.eco.after(afterBlocks, () => {
      const exchange = this.rng.pick(this.exchanges);
      const account = exchange.depositKey(coin.key.owner);
      const tx = this.eco.submit({ inputs: [coin], outputs: [], style: WALLET_STYLES.mobile, feeRate: this.eco.feeRate(), change: account }, 'background-deposit');
      for (const out of tx.outputs) if (out !== null) exchange.credit(out);
    });
  }

  /** This block's background transactions: about `count` of them. */
  tick(count: number): void {
    let n = Math.floor(count) + (this.rng.chance(count - Math.floor(count)) ? 1 : 0);
    while (n-- > 0) {
      const x = this.rng.float();
      if (x < 0.35 || this.wallets.length < 20) this.withdraw();
      else if (x < 0.75) this.pay();
      else this.sell();
    }
  }

  private exchangeFor(value: number): Exchange {
    const candidates = this.exchanges.filter((e) => e.available > value + 1_000_000_000);
    return this.rng.pick(candidates.length > 0 ? candidates : this.exchanges);
  }

  private withdraw(): void {
    const value = Math.round(Math.min(200_000_000, Math.max(20_000, this.rng.logNormal(2_000_000, 1.2))) / 10_000) * 10_000;
    const exchange = this.exchangeFor(value);
    if (exchange.available < value + 1_000_000_000) return;
    const wallet = this.wallets.length < MAX_WALLETS ? this.newWallet(exchange) : this.rng.pick(this.wallets);
    wallet.pending++;
    exchange.requestWithdrawal({
      key: this.receiveKey(wallet),
      value,
      onSent: (coin) => {
        wallet.pending--;
        wallet.coins.push(coin);
      },
    });
  }

  private pay(): void {
    const from = this.spendable();
    if (from === null) return;
    const coin = from.coins.shift() as Coin;
    const value = Math.floor(coin.value * (0.1 + 0.8 * this.rng.float()));
    if (value < 10_000) {
      from.coins.push(coin);
      return;
    }
    const payee = this.wallets.length > 1 && this.rng.chance(0.6) ? this.rng.pick(this.wallets) : null;
    const to = payee !== null && payee !== from ? this.receiveKey(payee) : this.payeeKey();
    const breakType = this.rng.chance(this.eco.options.changeBreakShare);
    const changeKey = from.reused ?? this.eco.keys.make(breakType ? this.rng.pick(WALLET_KEY_TYPES) : from.type, from.id, 'background');
    const tx = this.eco.submit({ inputs: [coin], outputs: [{ value, scriptPubKey: to.scriptPubKey, key: to }], style: from.style, feeRate: this.eco.feeRate(), change: changeKey }, 'background-payment');
    for (const out of tx.outputs) {
      if (out === null) continue;
      if (out.key.owner === from.id) from.coins.push(out);
      else if (payee !== null && out.key.owner === payee.id) payee.coins.push(out);
    }
    this.retireIfEmpty(from);
  }

  private sell(): void {
    const from = this.spendable();
    if (from === null) return;
    const h = this.eco.height;
    const inputs = from.coins.filter((c) => c.height < h).slice(0, 5);
    from.coins = from.coins.filter((c) => !inputs.includes(c));
    from.account ??= from.exchange.depositKey(from.id);
    const tx = this.eco.submit({ inputs, outputs: [], style: from.style, feeRate: this.eco.feeRate(), change: from.account }, 'background-deposit');
    for (const out of tx.outputs) if (out !== null) from.exchange.credit(out);
    this.retireIfEmpty(from);
  }

  /** A random wallet with a confirmed coin, or null after a few tries. */
  private spendable(): Wallet | null {
    const h = this.eco.height;
    for (let tries = 0; tries < 8 && this.wallets.length > 0; tries++) {
      const w = this.rng.pick(this.wallets);
      if (w.coins.length > 0 && (w.coins[0] as Coin).height < h) return w;
      this.retireIfEmpty(w);
    }
    return null;
  }

  private newWallet(exchange: Exchange): Wallet {
    const id = this.newOwner('background');
    const type = drawWalletType(this.rng, this.eco.options);
    const reused = this.rng.chance(0.15) ? this.eco.keys.make(type, id, 'background') : null;
    const wallet: Wallet = { id, type, style: this.rng.pick(STYLES), exchange, reused, coins: [], pending: 0, account: null };
    this.wallets.push(wallet);
    return wallet;
  }

  private receiveKey(wallet: Wallet): Key {
    return wallet.reused ?? this.eco.keys.make(wallet.type, wallet.id, 'background');
  }

  private retireIfEmpty(wallet: Wallet): void {
    if (wallet.coins.length > 0 || wallet.pending > 0) return;
    const at = this.wallets.indexOf(wallet);
    if (at < 0) return;
    this.wallets[at] = this.wallets[this.wallets.length - 1] as Wallet;
    this.wallets.pop();
  }
}
