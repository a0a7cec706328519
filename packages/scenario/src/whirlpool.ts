import { opReturnScript } from '@chaintrail/core';
import type { Background } from './background.js';
import type { Economy } from './economy.js';
import type { Key } from './keys.js';
import type { Prng } from './prng.js';
import { WALLET_STYLES, type Coin, type OutputSpec, type WalletStyle } from './tx-builder.js';

/**
 * A Whirlpool-like coordinator (Samourai Wallet, 2019-2024). A user's tx0 pays the pool fee
 * to the coordinator, carries a 46-byte OP_RETURN, and makes premix outputs worth the pool
 * denomination plus the miner fee of a mix; mixes are 5 inputs and 5 outputs of exactly the
 * denomination, all P2WPKH: new entrants (premixes) pay the miner fee, remixers (earlier
 * postmix outputs, exactly the denomination) mix for free. Pool sizes and fees are
 * Whirlpool's. See METHODS.md, "CoinJoin detection", for the rule these must satisfy.
 */
export const WHIRLPOOL_POOLS = [
  { denomination: 100_000, fee: 5_000 },
  { denomination: 1_000_000, fee: 50_000 },
  { denomination: 5_000_000, fee: 175_000 },
  { denomination: 50_000_000, fee: 1_750_000 },
] as const;

export type WhirlpoolPool = (typeof WHIRLPOOL_POOLS)[number];

interface Entrant {
  readonly coin: Coin;
  readonly onMixed: ((postmix: Coin) => void) | null;
}

interface PoolState {
  readonly pool: WhirlpoolPool;
  users: Entrant[];
  others: Entrant[];
  remixers: Coin[];
  /** Participants being funded for this pool. */
  funding: number;
  /** Remixers being funded for this pool. */
  seeding: number;
}

const MIX_SIZE = 5;
const MAX_REMIXERS = 60;
const MAX_MIXES_PER_BLOCK = 25;
/** Whirlpool lets a premix exceed the denomination by at most this much (METHODS.md). */
const MAX_PREMIX_EXTRA = 110_000;

export class Whirlpool {
  readonly coordinatorKey: Key;
  private readonly pools: PoolState[];

  constructor(
    private readonly eco: Economy,
    private readonly rng: Prng,
    private readonly background: Background,
  ) {
    this.coordinatorKey = eco.keys.make('p2wpkh', 'coinjoin-coordinator:whirlpool', 'coordinator-fee');
    this.pools = WHIRLPOOL_POOLS.map((pool) => ({ pool, users: [], others: [], remixers: [], funding: 0, seeding: 0 }));
  }

  /** The smallest pool whose outputs can carry `amount`, or null if none can. */
  static poolFor(amount: number): WhirlpoolPool | null {
    return WHIRLPOOL_POOLS.find((p) => p.denomination >= amount) ?? null;
  }

  /** What a premix output is worth: the denomination plus its share of a mix's miner fee. */
  premixValue(pool: WhirlpoolPool): number {
    return pool.denomination + Math.min(MAX_PREMIX_EXTRA, Math.max(600, Math.ceil(this.eco.maxFeeRate * 260)));
  }

  /** Most a tx0 can cost above the premix and the pool fee, for planning a withdrawal. */
  static tx0Allowance(maxFeeRate: number): number {
    return MAX_PREMIX_EXTRA + Math.ceil(maxFeeRate * 400);
  }

  /**
   * A tx0 for `owner`: the pool fee, an OP_RETURN, one premix, and the rest as toxic change.
   * Returns the toxic change, if any. `onMixed` gets the postmix output once mixed.
   */
  tx0(owner: string, inputs: readonly Coin[], style: WalletStyle, pool: WhirlpoolPool, onMixed: (postmix: Coin) => void): Coin | null {
    const state = this.state(pool);
    const premixKey = this.eco.keys.make('p2wpkh', owner, 'whirlpool-premix');
    const tx = this.eco.submit(
      {
        inputs,
        outputs: [...this.tx0Head(pool), { value: this.premixValue(pool), scriptPubKey: premixKey.scriptPubKey, key: premixKey }],
        style,
        feeRate: this.eco.feeRate(),
        change: this.eco.keys.make('p2wpkh', owner, 'whirlpool-toxic-change'),
        changeIndex: 3,
      },
      'whirlpool-tx0',
    );
    state.users.push({ coin: tx.outputs[2] as Coin, onMixed });
    return tx.changeIndex >= 0 ? (tx.outputs[tx.changeIndex] ?? null) : null;
  }

  /** Mixes while users' premixes are confirmed and there is company for them, as many rounds as needed. */
  tick(): void {
    for (const state of this.pools) {
      for (let mixes = 0; mixes < MAX_MIXES_PER_BLOCK && state.users.some((e) => e.coin.height < this.eco.height); mixes++) {
        if (!this.mix(state)) break;
      }
      // Company for the users still waiting: three remixers and a new entrant per two users.
      const wanted = 2 * state.users.length + MIX_SIZE;
      const company = state.others.length + state.remixers.length + 4 * state.funding;
      if (state.users.length > 0 && company < wanted) this.fundOthers(state);
      if (state.users.length > 0 && state.remixers.length + state.seeding === 0) this.seedRemixers(state);
    }
  }

  private state(pool: WhirlpoolPool): PoolState {
    return this.pools.find((s) => s.pool === pool) as PoolState;
  }

  /** OP_RETURN (the encrypted tx0 payload, 46 bytes) and the pool fee, as Samourai orders them. */
  private tx0Head(pool: WhirlpoolPool): OutputSpec[] {
    return [
      { value: 0, scriptPubKey: opReturnScript(this.rng.fill(new Uint8Array(46))), key: null },
      { value: pool.fee, scriptPubKey: this.coordinatorKey.scriptPubKey, key: this.coordinatorKey },
    ];
  }

  /** One mix with the first confirmed users; false when too few inputs are ready. */
  private mix(state: PoolState): boolean {
    const h = this.eco.height;
    const confirmed = (e: Entrant): boolean => e.coin.height < h;
    const entrants = state.users.filter(confirmed).slice(0, 2);
    const others = state.others.filter(confirmed);
    while (entrants.length < 2 && others.length > 0) entrants.push(others.shift() as Entrant);
    const remixers = state.remixers.filter((c) => c.height < h).slice(0, MIX_SIZE - entrants.length);
    while (entrants.length + remixers.length < MIX_SIZE && others.length > 0) entrants.push(others.shift() as Entrant);
    // Whirlpool mixes new entrants with at least one remixer (METHODS.md).
    if (entrants.length + remixers.length < MIX_SIZE || remixers.length === 0) return false;

    state.users = state.users.filter((e) => !entrants.includes(e));
    state.others = state.others.filter((e) => !entrants.includes(e));
    state.remixers = state.remixers.filter((c) => !remixers.includes(c));
    const inputs = this.rng.shuffle([...entrants.map((e) => e.coin), ...remixers]);
    const denomination = state.pool.denomination;
    const outputs: OutputSpec[] = inputs.map((coin) => {
      const key = this.eco.keys.make('p2wpkh', coin.key.owner, 'whirlpool-postmix');
      return { value: denomination, scriptPubKey: key.scriptPubKey, key };
    });
    this.rng.shuffle(outputs);
    // No change: the premixes' excess over the denomination is the miner fee.
    const tx = this.eco.submit({ inputs, outputs, style: WALLET_STYLES.mobile, feeRate: 1 }, 'whirlpool-mix', { coinjoin: true });
    for (const coin of tx.outputs) {
      if (coin === null) continue;
      const user = entrants.find((e) => e.onMixed !== null && e.coin.key.owner === coin.key.owner);
      if (user?.onMixed) user.onMixed(coin);
      else if (state.remixers.length < MAX_REMIXERS) state.remixers.push(coin);
      else this.background.cashBack(coin, this.rng.between(1, 50));
    }
    return true;
  }

  /**
   * A pool the world has not used yet has no remixers, but a real pool has them from its
   * past. Three postmix coins of exactly the denomination stand in for that past, withdrawn
   * from an exchange by participants who mixed before the world began.
   */
  private seedRemixers(state: PoolState): void {
    for (let i = 0; i < 3; i++) {
      state.seeding++;
      const owner = this.background.newOwner('coinjoin-participant');
      this.background.fund(this.eco.keys.make('p2wpkh', owner, 'whirlpool-postmix'), state.pool.denomination, (coin) => {
        state.seeding--;
        state.remixers.push(coin);
      });
    }
  }

  /** Funds a participant who makes four premixes with one tx0, so users have company. */
  private fundOthers(state: PoolState): void {
    state.funding++;
    const pool = state.pool;
    const owner = this.background.newOwner('coinjoin-participant');
    const premixes = 4;
    const value = Math.ceil((premixes * (this.premixValue(pool) + 20_000) + pool.fee + 200_000) / 100_000) * 100_000;
    this.background.fund(this.eco.keys.make('p2wpkh', owner, 'background'), value, (coin) => {
      this.eco.after(1, () => {
        state.funding--;
        const keys = Array.from({ length: premixes }, () => this.eco.keys.make('p2wpkh', owner, 'whirlpool-premix'));
        const premix = this.premixValue(pool);
        const tx = this.eco.submit(
          {
            inputs: [coin],
            outputs: [...this.tx0Head(pool), ...keys.map((key) => ({ value: premix, scriptPubKey: key.scriptPubKey, key }))],
            style: WALLET_STYLES.mobile,
            feeRate: this.eco.feeRate(),
            change: this.eco.keys.make('p2wpkh', owner, 'whirlpool-toxic-change'),
            changeIndex: 2 + premixes,
          },
          'whirlpool-tx0',
        );
        for (const out of tx.outputs) {
          if (out === null || out.key.role === 'coordinator-fee') continue;
          if (out.key.role === 'whirlpool-premix') state.others.push({ coin: out, onMixed: null });
          else this.background.cashBack(out, this.rng.between(1, 30));
        }
      });
    });
  }
}
