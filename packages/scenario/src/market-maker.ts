import type { Economy } from './economy.js';
import type { Exchange } from './exchange.js';
import type { Key } from './keys.js';
import type { Prng } from './prng.js';
import { WALLET_STYLES } from './tx-builder.js';

const OWNER = 'background:market-maker';
const BTC = 100_000_000;
/** An exchange with less than this available, after what it owes, gets coins moved in. */
const LOW_WATER = 20 * BTC;
/** Only an exchange with more than this available gives coins. */
const HIGH_WATER = 100 * BTC;

/**
 * An arbitrageur who moves coins from the exchange with the most to spare to the one that
 * runs short, as market makers do when a coin is dearer on one venue: a withdrawal from one
 * and, a block or two later, a deposit at the other. Without it an exchange that many users
 * buy at could run dry and keep them waiting forever.
 */
export class MarketMaker {
  private readonly accounts = new Map<Exchange, Key>();
  private readonly inFlight = new Set<Exchange>();

  constructor(
    private readonly eco: Economy,
    private readonly rng: Prng,
    private readonly exchanges: readonly Exchange[],
  ) {}

  tick(): void {
    if (this.exchanges.length < 2) return;
    const byFunds = [...this.exchanges].sort((a, b) => a.available - b.available);
    const poorest = byFunds[0] as Exchange;
    const richest = byFunds[byFunds.length - 1] as Exchange;
    if (poorest.available >= LOW_WATER || richest.available < HIGH_WATER || this.inFlight.has(poorest)) return;
    const want = Math.max(LOW_WATER, LOW_WATER - poorest.available + LOW_WATER);
    const value = Math.floor(Math.min(richest.available / 3, want) / BTC) * BTC;
    if (value <= 0) return;
    this.inFlight.add(poorest);
    richest.requestWithdrawal({
      key: this.eco.keys.make('p2wpkh', OWNER, 'background'),
      value,
      onSent: (coin) =>
        this.eco.after(this.rng.between(1, 2), () => {
          const tx = this.eco.submit({ inputs: [coin], outputs: [], style: WALLET_STYLES.core, feeRate: this.eco.feeRate(), change: this.account(poorest) }, 'background-deposit');
          for (const out of tx.outputs) if (out !== null) poorest.credit(out);
          this.inFlight.delete(poorest);
        }),
    });
  }

  private account(exchange: Exchange): Key {
    let key = this.accounts.get(exchange);
    if (key === undefined) {
      key = exchange.depositKey(OWNER);
      this.accounts.set(exchange, key);
    }
    return key;
  }
}
