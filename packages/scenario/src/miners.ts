import type { Economy } from './economy.js';
import type { Exchange } from './exchange.js';
import type { Key, KeyType } from './keys.js';
import type { Prng } from './prng.js';
import { WALLET_STYLES, type Coin } from './tx-builder.js';
import type { TruthEntity } from './truth.js';

interface Pool {
  readonly id: string;
  readonly label: string;
  readonly tag: string;
  readonly share: number;
  readonly payout: Key;
  /** The pool's account at each exchange it has sold at. */
  readonly accounts: Map<Exchange, Key>;
}

const POOLS: readonly { label: string; tag: string; share: number; type: KeyType }[] = [
  { label: 'Foundry-like pool', tag: '/Foundry-like/', share: 0.34, type: 'p2sh-p2wpkh' },
  { label: 'Antpool-like pool', tag: '/AntPool-like/', share: 0.28, type: 'p2pkh' },
  { label: 'F2Pool-like pool', tag: '/F2Pool-like/', share: 0.2, type: 'p2pkh' },
  { label: 'ViaBTC-like pool', tag: '/ViaBTC-like/', share: 0.18, type: 'p2wpkh' },
];

/** BIP34-era coinbase maturity (Bitcoin Core `COINBASE_MATURITY`). */
export const COINBASE_MATURITY = 100;

/**
 * Mining pools: each block's coinbase pays one pool's reused payout address, and once
 * mature (100 blocks) the pool sells it at its exchange. This is where the world's money
 * comes from, as on the real chain.
 */
export class Miners {
  private readonly pools: Pool[];
  private readonly immature: { coin: Coin; pool: Pool }[] = [];
  private current: Pool;

  constructor(
    private readonly eco: Economy,
    private readonly rng: Prng,
    private readonly exchanges: readonly Exchange[],
  ) {
    this.pools = POOLS.map((p, i) => {
      const id = `miner:${i + 1}`;
      return { id, label: p.label, tag: p.tag, share: p.share, payout: eco.keys.make(p.type, id, 'miner-payout'), accounts: new Map<Exchange, Key>() };
    });
    this.current = this.draw();
  }

  /** The pool that mines the block being built. */
  get miner(): { readonly payout: Key; readonly tag: string } {
    return this.current;
  }

  /** Takes the reward of the block just mined and picks who mines the next. */
  mined(reward: Coin): void {
    this.immature.push({ coin: reward, pool: this.current });
    this.current = this.draw();
  }

  /** Sells every coinbase output that has matured: half the time where coins are scarcest. */
  sellMature(): void {
    while (this.immature.length > 0 && (this.immature[0]?.coin.height as number) + COINBASE_MATURITY <= this.eco.height) {
      const { coin, pool } = this.immature.shift() as { coin: Coin; pool: Pool };
      const exchange = this.rng.chance(0.5) ? this.rng.pick(this.exchanges) : this.exchanges.reduce((a, b) => (b.available < a.available ? b : a));
      let account = pool.accounts.get(exchange);
      if (account === undefined) {
        account = exchange.depositKey(pool.id);
        pool.accounts.set(exchange, account);
      }
      const tx = this.eco.submit({ inputs: [coin], outputs: [], style: WALLET_STYLES.service, feeRate: this.eco.feeRate(), change: account }, 'miner-sale');
      for (const out of tx.outputs) if (out !== null) exchange.credit(out);
    }
  }

  entities(): TruthEntity[] {
    return this.pools.map((p) => ({ id: p.id, kind: 'miner', label: p.label }));
  }

  private draw(): Pool {
    return this.pools[this.rng.weighted(this.pools.map((p) => p.share))] as Pool;
  }
}
