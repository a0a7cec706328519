import type { Background } from './background.js';
import type { Economy } from './economy.js';
import type { Key } from './keys.js';
import type { Prng } from './prng.js';
import { feeFor, typicalInputWeight, WALLET_STYLES, type Coin, type OutputSpec } from './tx-builder.js';

/**
 * A Wasabi-like coordinator (Wasabi Wallet 1, 2018-2022): rounds of many participants, all
 * P2WPKH, each getting one output of the round's denomination (about 0.1 BTC) and its own
 * change, plus the coordinator's fee (0.003% of the denomination per participant, times
 * the anonymity set) to a reused coordinator address. See METHODS.md, "Wasabi 1".
 */
interface Participant {
  readonly owner: string;
  readonly coins: readonly Coin[];
  readonly onMixed: ((mixed: Coin, change: Coin | null) => void) | null;
  readonly since: number;
}

const BASE_DENOMINATION = 10_000_000;
/** Participants per round, users included. */
const MIN_ROUND = 15;
const MAX_ROUND = 40;
const MAX_USERS_PER_ROUND = 8;
const MAX_WAIT_BLOCKS = 6;

export class Wasabi {
  private readonly coordinatorKeys: readonly Key[];
  private users: Participant[] = [];
  private others: Participant[] = [];
  private funding = 0;

  constructor(
    private readonly eco: Economy,
    private readonly rng: Prng,
    private readonly background: Background,
  ) {
    this.coordinatorKeys = [
      eco.keys.make('p2wpkh', 'coinjoin-coordinator:wasabi', 'coordinator-fee'),
      eco.keys.make('p2wpkh', 'coinjoin-coordinator:wasabi', 'coordinator-fee'),
    ];
  }

  /** Least a user must bring: the largest denomination, the fees, and room for change. */
  static minimumInput(maxFeeRate: number): number {
    return BASE_DENOMINATION + 100_000 + Math.ceil(maxFeeRate * 300);
  }

  /** Registers P2WPKH coins for the next round; `onMixed` gets the equal output and the change. */
  enter(owner: string, coins: readonly Coin[], onMixed: (mixed: Coin, change: Coin | null) => void): void {
    this.users.push({ owner, coins, onMixed, since: this.eco.height });
  }

  tick(): void {
    const h = this.eco.height;
    const ready = this.users.filter((p) => p.coins.every((c) => c.height < h));
    if (ready.length === 0) return;
    const size = this.rng.between(MIN_ROUND, MAX_ROUND);
    const oldest = Math.min(...ready.map((p) => p.since));
    const others = this.others.filter((p) => (p.coins[0] as Coin).height < h);
    if (others.length + Math.min(ready.length, MAX_USERS_PER_ROUND) < size) {
      this.fundOthers(size + 10 - others.length);
      return;
    }
    if (ready.length < 3 && h - oldest < MAX_WAIT_BLOCKS) return;
    const users = ready.slice(0, MAX_USERS_PER_ROUND);
    const company = others.slice(0, size - users.length);
    this.users = this.users.filter((p) => !users.includes(p));
    this.others = this.others.filter((p) => !company.includes(p));
    this.round([...users, ...company]);
  }

  private round(participants: readonly Participant[]): void {
    const feeRate = this.eco.feeRate();
    // Wasabi 1's denomination drifted slightly from round to round around 0.1 BTC.
    const denomination = BASE_DENOMINATION - this.rng.below(50_000);
    const n = participants.length;
    const coordinatorFee = Math.ceil(denomination * 0.00003 * n);
    const inputs: Coin[] = [];
    const outputs: OutputSpec[] = [];
    let coordinatorTotal = 0;
    const sharedWeight = 44 + 43 * 4;
    for (const p of participants) {
      let value = 0;
      let weight = Math.ceil(sharedWeight / n);
      for (const coin of p.coins) {
        inputs.push(coin);
        value += coin.value;
        weight += typicalInputWeight(coin.key.type);
      }
      weight += 2 * 31 * 4;
      const mixed = this.eco.keys.make('p2wpkh', p.owner, 'wasabi-mixed');
      outputs.push({ value: denomination, scriptPubKey: mixed.scriptPubKey, key: mixed });
      const change = value - denomination - coordinatorFee - feeFor(weight, feeRate);
      coordinatorTotal += coordinatorFee;
      if (change >= 5_000) {
        const key = this.eco.keys.make('p2wpkh', p.owner, 'wasabi-change');
        outputs.push({ value: change, scriptPubKey: key.scriptPubKey, key });
      }
    }
    const coordinator = this.rng.pick(this.coordinatorKeys);
    outputs.push({ value: coordinatorTotal, scriptPubKey: coordinator.scriptPubKey, key: coordinator });
    this.rng.shuffle(inputs);
    this.rng.shuffle(outputs);
    const tx = this.eco.submit({ inputs, outputs, style: WALLET_STYLES.mobile, feeRate }, 'wasabi-round', { coinjoin: true });
    for (const p of participants) {
      const mine = tx.outputs.filter((c): c is Coin => c !== null && c.key.owner === p.owner);
      const mixed = mine.find((c) => c.key.role === 'wasabi-mixed') as Coin;
      const change = mine.find((c) => c.key.role === 'wasabi-change') ?? null;
      if (p.onMixed !== null) p.onMixed(mixed, change);
      else for (const coin of mine) this.background.cashBack(coin, this.rng.between(1, 40));
    }
  }

  /** Funds participants (0.11 to 0.6 BTC each) who keep a round company. */
  private fundOthers(count: number): void {
    for (; this.funding < count; this.funding++) {
      const owner = this.background.newOwner('coinjoin-participant');
      const value = this.rng.between(110, 600) * 100_000;
      this.background.fund(this.eco.keys.make('p2wpkh', owner, 'background'), value, (coin) => {
        this.funding--;
        this.others.push({ owner, coins: [coin], onMixed: null, since: this.eco.height });
      });
    }
  }
}
