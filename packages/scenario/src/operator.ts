import type { Economy } from './economy.js';
import type { Exchange } from './exchange.js';
import type { Key } from './keys.js';
import type { Prng } from './prng.js';
import { WALLET_STYLES, type Coin } from './tx-builder.js';

/**
 * The site's operator, cashing out what the site passes on: straight to a deposit address of
 * an account at an exchange, through a peel chain (Kappos et al., "How to Peel a Million",
 * USENIX Security 2022: one input, a small payment, the large remainder to a fresh address
 * of the same wallet, again and again), or not at all (held, and seizable).
 */
export class Operator {
  /** Coins the operator holds now. */
  private coins = new Set<Coin>();
  /** The operator's one account per exchange, reused as exchanges give one deposit address per customer. */
  private readonly depositKeys = new Map<Exchange, Key>();
  private busy = 0;
  private readonly style = WALLET_STYLES.electrum;

  constructor(
    private readonly eco: Economy,
    private readonly rng: Prng,
    private readonly exchanges: readonly Exchange[],
    /** A fresh address of someone the operator pays in a peel chain (a merchant, a contact). */
    private readonly payeeKey: () => Key,
  ) {}

  newKey(): Key {
    return this.eco.keys.make('p2wpkh', 'operator', 'operator-wallet');
  }

  /** Whether a cash-out is still under way. */
  get active(): boolean {
    return this.busy > 0;
  }

  receive(coin: Coin): void {
    this.coins.add(coin);
    const { operatorHoldShare, peelChainShare, peelChainHops } = this.eco.options;
    const x = this.rng.float();
    if (x < operatorHoldShare) return;
    this.busy++;
    if (x < operatorHoldShare + peelChainShare) {
      this.eco.after(this.rng.between(1, 6), () => this.peel(coin, this.rng.between(peelChainHops[0], peelChainHops[1])));
    } else {
      this.eco.after(this.rng.between(1, 12), () => {
        this.deposit(coin);
        this.busy--;
      });
    }
  }

  /** Everything still held is seizable. */
  finish(): void {
    for (const coin of this.coins) {
      this.eco.siteMoney.held += BigInt(coin.value);
      this.eco.truth.add('siteHoldings', { txid: coin.txid, vout: coin.vout, value: coin.value, address: coin.key.address, owner: 'operator', role: coin.key.role });
    }
    this.coins.clear();
  }

  private deposit(coin: Coin): void {
    const exchange = this.rng.pick(this.exchanges);
    const key = this.accountAt(exchange);
    this.coins.delete(coin);
    const tx = this.eco.submit(
      { inputs: [coin], outputs: [], style: this.style, feeRate: this.eco.feeRate(), change: key },
      'operator-cash-out',
    );
    for (const out of tx.outputs) if (out !== null) exchange.credit(out);
  }

  private peel(coin: Coin, hopsLeft: number): void {
    if (hopsLeft === 0 || coin.value < 3_000_000) {
      if (this.rng.chance(0.5)) this.deposit(coin);
      this.busy--;
      return;
    }
    const share = 0.05 + 0.2 * this.rng.float();
    const value = Math.floor(coin.value * share);
    let exchange: Exchange | null = null;
    let to: Key;
    if (this.rng.chance(0.7)) {
      exchange = this.rng.pick(this.exchanges);
      to = this.accountAt(exchange);
    } else {
      to = this.payeeKey();
    }
    this.coins.delete(coin);
    const tx = this.eco.submit(
      { inputs: [coin], outputs: [{ value, scriptPubKey: to.scriptPubKey, key: to }], style: this.style, feeRate: this.eco.feeRate(), change: this.newKey() },
      'operator-peel',
    );
    for (const out of tx.outputs) {
      if (out === null) continue;
      if (out.key.owner === 'operator') {
        this.coins.add(out);
        this.eco.after(this.rng.between(1, 6), () => this.peel(out, hopsLeft - 1));
      } else if (exchange !== null) {
        exchange.credit(out);
      }
    }
  }

  private accountAt(exchange: Exchange): Key {
    let key = this.depositKeys.get(exchange);
    if (key === undefined) {
      key = exchange.depositKey('operator');
      this.depositKeys.set(exchange, key);
    }
    return key;
  }
}
