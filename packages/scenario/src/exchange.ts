import type { Economy } from './economy.js';
import type { Key, KeyType } from './keys.js';
import type { Prng } from './prng.js';
import { feeFor, typicalInputWeight, WALLET_STYLES, type Coin, type OutputSpec, type WalletStyle } from './tx-builder.js';

/**
 * A custodial exchange as chain analysis sees one (Meiklejohn et al. 2013, section 4): a few
 * reused hot-wallet addresses that pay batched withdrawals and take their change back,
 * one deposit address per customer swept into the hot wallet by multi-input transactions,
 * and a 2-of-3 multisig cold wallet that the hot wallet tops up from and spills over into.
 */
export interface WithdrawalRequest {
  readonly key: Key;
  readonly value: number;
  /** Told of the output once the batch is in a block. */
  readonly onSent: (coin: Coin) => void;
}

export interface ExchangeProfile {
  readonly hotType: KeyType;
  readonly depositType: KeyType;
  /** Withdrawals go out every this many blocks. */
  readonly batchEvery: number;
  /** Outputs per withdrawal transaction at most. */
  readonly maxBatch: number;
  readonly sweepEvery: number;
  /** Above this hot balance the surplus goes to cold storage; below `hotTarget` cold refills it. */
  readonly hotMax: number;
  readonly hotTarget: number;
  readonly style: WalletStyle;
}

const EXCHANGE_NAMES = [
  'Northwind', 'Kestrel', 'Bluefin', 'Harbor', 'Meridian', 'Copperline', 'Alder', 'Quayside', 'Summit', 'Lantern',
  'Orchard', 'Granite', 'Tidewater', 'Juniper', 'Beacon', 'Fjord', 'Cobalt', 'Willow', 'Ridge', 'Saltmarsh',
  'Heron', 'Ironbridge', 'Larch', 'Marlin', 'Oakmont', 'Pinecrest',
];

const MAX_SWEEP_INPUTS = 250;
/** Each batch spends the previous one's change; Bitcoin Core relays chains of up to 25. */
const MAX_BATCHES_PER_BLOCK = 20;
/** Kept back from withdrawals for fees: a 250-output batch at a high fee rate. */
const FEE_RESERVE = 20_000_000;
const DISTINCT_HOT_KEYS = 4;

export class Exchange {
  readonly id: string;
  readonly label: string;
  readonly profile: ExchangeProfile;
  /** Every hot and cold address it has used, for tags. */
  readonly walletKeys: Key[] = [];
  private readonly hotKeys: Key[] = [];
  private readonly coldKey: Key;
  private hotCoins: Coin[] = [];
  private coldCoins: Coin[] = [];
  private deposits: Coin[] = [];
  private queue: WithdrawalRequest[] = [];
  private queued = 0;
  private lookalikeWanted = false;

  constructor(
    index: number,
    private readonly eco: Economy,
    private readonly rng: Prng,
  ) {
    this.id = `exchange:${index + 1}`;
    this.label = `${EXCHANGE_NAMES[index] ?? `Exchange ${index + 1}`} Exchange`;
    const types: KeyType[] = ['p2pkh', 'p2sh-p2wpkh', 'p2wpkh', 'p2wpkh', 'p2tr'];
    this.profile = {
      hotType: rng.pick(types),
      depositType: rng.pick(types),
      batchEvery: rng.pick([1, 1, 2, 3]),
      maxBatch: rng.pick([20, 60, 120, 250]),
      sweepEvery: rng.pick([3, 6, 12]),
      hotMax: rng.between(40, 200) * 100_000_000,
      hotTarget: rng.between(10, 30) * 100_000_000,
      style: rng.chance(0.5) ? WALLET_STYLES.service : WALLET_STYLES.core,
    };
    for (let i = 0; i < DISTINCT_HOT_KEYS; i++) this.addHotKey();
    this.coldKey = eco.keys.make('p2wsh-multisig', this.id, 'exchange-cold');
    this.walletKeys.push(this.coldKey);
  }

  /** A new deposit address for a customer (owner id), who should keep and reuse it. */
  depositKey(customer: string): Key {
    return this.eco.keys.make(this.profile.depositType, this.id, 'exchange-deposit', customer);
  }

  /** A payment to one of its deposit addresses has been made. */
  credit(coin: Coin): void {
    this.deposits.push(coin);
  }

  requestWithdrawal(request: WithdrawalRequest): void {
    this.queue.push(request);
    this.queued += request.value;
  }

  /** Builds the next withdrawal batch with equal outputs and as many distinct inputs. */
  requestCoinjoinLookalike(): void {
    this.lookalikeWanted = true;
  }

  /** What it holds on chain, less the withdrawals it owes. */
  get available(): number {
    return sum(this.hotCoins) + sum(this.coldCoins) + sum(this.deposits) - this.queued;
  }

  /** This block's work: sweep deposits, pay withdrawals, keep the hot wallet between its bounds. */
  tick(): void {
    const h = this.eco.height;
    if (h % this.profile.sweepEvery === 0) this.sweepDeposits();
    if (h % this.profile.batchEvery === 0) this.payWithdrawals();
    if (sum(this.hotCoins) > this.profile.hotMax) this.moveToCold();
    if (this.hotCoins.length > 60) this.consolidateHot();
  }

  private addHotKey(): Key {
    const key = this.eco.keys.make(this.profile.hotType, this.id, 'exchange-hot');
    this.hotKeys.push(key);
    this.walletKeys.push(key);
    return key;
  }

  /** The hot address change and sweeps go to: mostly one, sometimes another, now and then a new one. */
  private hotKey(): Key {
    if (this.rng.chance(0.002)) return this.addHotKey();
    return this.rng.chance(0.7) ? (this.hotKeys[this.hotKeys.length - 1] as Key) : this.rng.pick(this.hotKeys);
  }

  private sweepDeposits(): void {
    const h = this.eco.height;
    const ready = this.deposits.filter((c) => c.height < h);
    if (ready.length === 0) return;
    this.deposits = this.deposits.filter((c) => c.height >= h);
    const feeRate = this.eco.feeRate();
    // Deposits worth less than three times what spending them costs are left where they are,
    // as exchanges do with dust; the exchange forgets them.
    const worth = ready.filter((c) => c.value >= 3 * feeFor(typicalInputWeight(c.key.type), feeRate));
    for (let i = 0; i < worth.length; i += MAX_SWEEP_INPUTS) {
      const inputs = worth.slice(i, i + MAX_SWEEP_INPUTS);
      const tx = this.eco.submit({ inputs, outputs: [], style: this.profile.style, feeRate, change: this.hotKey() }, 'exchange-deposit-sweep');
      this.hotCoins.push(...tx.outputs.filter((c) => c !== null));
    }
  }

  private payWithdrawals(): void {
    for (let batches = 0; batches < MAX_BATCHES_PER_BLOCK && this.queue.length > 0; batches++) {
      if (this.lookalikeWanted) {
        this.lookalikeWanted = false;
        if (this.sendLookalike()) continue;
      }
      const requests = this.takeBatch();
      if (requests.length === 0) return;
      this.sendBatch(requests, []);
    }
  }

  /** The next requests in line that the exchange can cover, FIFO. */
  private takeBatch(): WithdrawalRequest[] {
    const funds = sum(this.hotCoins) + sum(this.coldCoins);
    const out: WithdrawalRequest[] = [];
    let total = 0;
    while (out.length < this.profile.maxBatch && this.queue.length > 0) {
      const next = this.queue[0] as WithdrawalRequest;
      if (total + next.value + FEE_RESERVE > funds) break;
      out.push(next);
      total += next.value;
      this.queue.shift();
    }
    for (const r of out) this.queued -= r.value;
    return out;
  }

  /**
   * A batch shaped like a CoinJoin to the generic equal-output rule (BlockSci `isCoinjoin`):
   * k equal withdrawals among 2k - 1 outputs (change included), paid from k inputs on
   * distinct addresses (deposits spent directly, as some exchanges do). Exchanges do pay
   * several customers the same round amount in one batch. Labelled only when the rule fires.
   */
  private sendLookalike(): boolean {
    const k = this.rng.between(3, 5);
    if (this.queue.length < k - 2) return false;
    const value = this.rng.pick([1_000_000, 5_000_000, 10_000_000]);
    const others = this.queue.slice(0, k - 2);
    const total = value * k + others.reduce((s, r) => s + r.value, 0);
    if (total + FEE_RESERVE > sum(this.hotCoins) + sum(this.coldCoins)) return false;
    const inputs = this.distinctInputs(k);
    if (inputs.length < k) return false;
    this.queue.splice(0, others.length);
    for (const r of others) this.queued -= r.value;
    const equal: WithdrawalRequest[] = [];
    for (let i = 0; i < k; i++) {
      const customer = `background:batch-${this.id.slice('exchange:'.length)}-${this.eco.height}-${i}`;
      equal.push({ key: this.eco.keys.make('p2wpkh', customer, 'background'), value, onSent: () => undefined });
    }
    this.deposits = this.deposits.filter((c) => !inputs.includes(c));
    this.sendBatch(this.rng.shuffle([...equal, ...others]), inputs);
    return true;
  }

  /** Sends a batch, starting from `preset` inputs; a CoinJoin lookalike when those are given and the shape fits. */
  private sendBatch(requests: readonly WithdrawalRequest[], preset: readonly Coin[]): void {
    const eco = this.eco;
    const feeRate = eco.feeRate();
    const outputs: OutputSpec[] = requests.map((r) => ({ value: r.value, scriptPubKey: r.key.scriptPubKey, key: r.key }));
    const total = outputs.reduce((s, o) => s + o.value, 0);
    const inputs = [...preset];
    const outputWeight = (outputs.length + 1) * 43 * 4 + 44;
    // The margin keeps a change output (of at least 0.001 BTC) so the shape is as planned.
    const needed = (): number => total + feeFor(outputWeight + inputs.reduce((w, c) => w + typicalInputWeight(c.key.type), 0), feeRate) + 100_000;
    this.ensureHot(total + FEE_RESERVE - sum(preset));
    this.hotCoins.sort((a, b) => b.value - a.value);
    while (sum(inputs) < needed()) {
      const coin = this.hotCoins.find((c) => !inputs.includes(c));
      if (coin === undefined) throw new RangeError(`${this.id} ran out of hot coins for a withdrawal batch of ${total} sats.`);
      inputs.push(coin);
    }
    this.hotCoins = this.hotCoins.filter((c) => !inputs.includes(c));
    const misleading = preset.length > 0 && looksLikeCoinjoin(inputs, outputs) ? { misleading: 'exchange-batch-looks-like-coinjoin' as const } : {};
    const changeAt = this.profile.style.changeLast ? {} : { changeIndex: this.rng.below(outputs.length + 1) };
    const tx = eco.submit({ inputs, outputs, style: this.profile.style, feeRate, change: this.hotKey(), ...changeAt }, 'exchange-withdrawal-batch', misleading);
    let r = 0;
    tx.outputs.forEach((coin, vout) => {
      if (coin === null) return;
      if (vout === tx.changeIndex) this.hotCoins.push(coin);
      else (requests[r++] as WithdrawalRequest).onSent(coin);
    });
  }

  /** Up to k confirmed deposit or hot coins on distinct addresses. */
  private distinctInputs(k: number): Coin[] {
    const out: Coin[] = [];
    const seen = new Set<string>();
    for (const pool of [this.deposits, this.hotCoins]) {
      for (const coin of pool) {
        if (out.length >= k) break;
        if (seen.has(coin.key.address) || coin.height >= this.eco.height) continue;
        seen.add(coin.key.address);
        out.push(coin);
      }
    }
    return out;
  }

  /** Moves cold coins to the hot wallet until it holds `amount`. */
  private ensureHot(amount: number): void {
    const hot = sum(this.hotCoins);
    if (hot >= amount || this.coldCoins.length === 0) return;
    const want = amount - hot + this.profile.hotTarget;
    const feeRate = this.eco.feeRate();
    this.coldCoins.sort((a, b) => b.value - a.value);
    const inputs: Coin[] = [];
    const margin = (): number => feeFor(inputs.length * typicalInputWeight('p2wsh-multisig') + 2 * 43 * 4 + 44, feeRate) + 10_000;
    while (sum(inputs) < want + margin() && inputs.length < this.coldCoins.length) inputs.push(this.coldCoins[inputs.length] as Coin);
    const value = Math.min(want, sum(inputs) - margin());
    if (value <= 0) return;
    this.coldCoins = this.coldCoins.slice(inputs.length);
    const hotKey = this.hotKey();
    const tx = this.eco.submit(
      { inputs, outputs: [{ value, scriptPubKey: hotKey.scriptPubKey, key: hotKey }], style: this.profile.style, feeRate, change: this.coldKey },
      'exchange-cold-to-hot',
    );
    for (const coin of tx.outputs) if (coin !== null) (coin.key === this.coldKey ? this.coldCoins : this.hotCoins).push(coin);
  }

  private moveToCold(): void {
    this.hotCoins.sort((a, b) => a.value - b.value);
    const surplus = sum(this.hotCoins) - this.profile.hotTarget;
    const inputs: Coin[] = [];
    for (const coin of this.hotCoins) {
      if (sum(inputs) >= surplus || inputs.length >= 100) break;
      inputs.push(coin);
    }
    const feeRate = this.eco.feeRate();
    const fee = feeFor(inputs.reduce((w, c) => w + typicalInputWeight(c.key.type), 0) + 2 * 43 * 4 + 44, feeRate);
    const value = Math.min(surplus, sum(inputs)) - fee - 10_000;
    if (value <= 1_000_000) return;
    this.hotCoins = this.hotCoins.filter((c) => !inputs.includes(c));
    const tx = this.eco.submit(
      { inputs, outputs: [{ value, scriptPubKey: this.coldKey.scriptPubKey, key: this.coldKey }], style: this.profile.style, feeRate, change: this.hotKey() },
      'exchange-hot-to-cold',
    );
    for (const coin of tx.outputs) if (coin !== null) (coin.key === this.coldKey ? this.coldCoins : this.hotCoins).push(coin);
  }

  /** Many small hot coins (swept deposits, change) merged into one, as exchanges do when fees are low. */
  private consolidateHot(): void {
    this.hotCoins.sort((a, b) => a.value - b.value);
    const inputs = this.hotCoins.slice(0, 50);
    this.hotCoins = this.hotCoins.slice(50);
    const tx = this.eco.submit({ inputs, outputs: [], style: this.profile.style, feeRate: this.eco.feeRate(), change: this.hotKey() }, 'exchange-consolidation');
    for (const coin of tx.outputs) if (coin !== null) this.hotCoins.push(coin);
  }
}

function sum(coins: readonly { readonly value: number }[]): number {
  let s = 0;
  for (const c of coins) s += c.value;
  return s;
}

/**
 * BlockSci's generic rule, checked on what is built so the label is only given when the rule
 * really fires: p = ceil(outputs / 2) counting the change, at least p inputs on p distinct
 * addresses, and the most frequent output value occurring exactly p times.
 */
function looksLikeCoinjoin(inputs: readonly Coin[], payouts: readonly OutputSpec[]): boolean {
  const p = Math.ceil((payouts.length + 1) / 2);
  const counts = new Map<number, number>();
  for (const o of payouts) counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
  return Math.max(...counts.values()) === p && new Set(inputs.map((c) => c.key.address)).size >= p;
}
