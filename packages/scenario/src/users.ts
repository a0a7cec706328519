import type { Economy } from './economy.js';
import type { Exchange } from './exchange.js';
import type { Key, KeyType } from './keys.js';
import type { Prng } from './prng.js';
import type { SeizedListWriter } from './seized-list-writer.js';
import type { Site } from './site.js';
import { feeFor, typicalInputWeight, WALLET_STYLES, type Coin, type WalletStyle } from './tx-builder.js';
import type { PaymentRoute } from './truth.js';
import { Wasabi } from './wasabi.js';
import { Whirlpool, type WhirlpoolPool } from './whirlpool.js';
import { drawWalletType, WALLET_KEY_TYPES, type WalletKeyType } from './world-options.js';

interface User {
  readonly id: string;
  readonly exchange: Exchange;
  readonly siteKey: Key;
  readonly route: PaymentRoute;
  readonly type: WalletKeyType;
  readonly style: WalletStyle;
  readonly reuse: boolean;
  readonly multiInput: boolean;
  /** The first payment is built to look like change (see MisleadingKind). */
  readonly misleading: boolean;
  /** Satoshis of each payment the user will make. */
  readonly prices: readonly number[];
  paid: number;
  coins: Coin[];
  fundedBy: string;
}

const STYLES: readonly WalletStyle[] = [WALLET_STYLES.core, WALLET_STYLES.electrum, WALLET_STYLES.mobile, WALLET_STYLES.mobile, WALLET_STYLES.legacy];
/** vbytes of the largest payment a user makes: two P2PKH inputs, two outputs. */
const PAYMENT_VBYTES = 400;
/** A Wasabi user brings up to this much above the minimum. */
const WASABI_EXTRA = 20_000_000;

/**
 * The site's users. Each signs up (and gets a unique deposit address); a share buys at an
 * exchange and pays one or more times: straight from the exchange withdrawal, from a wallet
 * of their own, or after a Whirlpool or Wasabi mix. Users exist in memory only while they
 * have steps left, so a world of a million users needs no more memory than one of ten thousand.
 */
export class Users {
  private arrived = 0;
  private active = 0;
  private usdRate: number;
  private readonly feeCap: number;
  paying = 0;
  payments = 0;

  constructor(
    private readonly eco: Economy,
    private readonly rng: Prng,
    private readonly exchanges: readonly Exchange[],
    /** Relative market share of each exchange. */
    private readonly exchangeWeights: readonly number[],
    private readonly site: Site,
    private readonly whirlpool: Whirlpool,
    private readonly wasabi: Wasabi,
    private readonly seized: SeizedListWriter,
  ) {
    this.usdRate = eco.options.btcPriceUsd;
    const { feeRateMedian, feeRateSigma } = eco.options;
    // What a user sets aside for each payment's fee: a rate three sigmas above the median.
    this.feeCap = Math.min(500, Math.ceil(feeRateMedian * Math.exp(3 * feeRateSigma) * 1.25));
  }

  /** Users still doing something. */
  get busy(): number {
    return this.active;
  }

  get signedUp(): number {
    return this.arrived;
  }

  /** `count` new accounts sign up in the current block. */
  arrive(count: number): void {
    // The exchange rate drifts a little every day (144 blocks), so prices in satoshis vary.
    if (this.eco.height % 144 === 0) this.usdRate *= Math.exp(0.02 * this.rng.normal());
    for (let i = 0; i < count; i++) this.signUp();
  }

  private signUp(): void {
    const { options } = this.eco;
    const index = this.arrived++;
    const id = `user:${index + 1}`;
    const siteKey = this.site.newDepositKey();
    this.seized.add(index, siteKey, this.eco.time);
    if (!this.rng.chance(options.payingShare)) {
      this.eco.truth.add('entities', { id, kind: 'user', siteAddress: siteKey.address });
      return;
    }
    const prices = [this.price()];
    while (prices.length < options.maxPaymentsPerUser && this.rng.chance(options.repeatPaymentChance)) prices.push(this.price());
    const x = this.rng.float();
    let route: PaymentRoute = x < options.directPayShare ? 'direct' : x < options.directPayShare + options.coinjoinShare ? (this.rng.chance(options.whirlpoolShare) ? 'whirlpool' : 'wasabi') : 'wallet';
    const pool = route === 'whirlpool' ? Whirlpool.poolFor(this.total(prices)) : null;
    if (route === 'whirlpool' && pool === null) route = 'wallet';
    const walletRoute = route === 'wallet';
    const misleading = walletRoute && this.rng.chance(options.misleadingPaymentShare);
    const type: WalletKeyType = route === 'wasabi' ? 'p2wpkh' : misleading ? options.siteAddressType : drawWalletType(this.rng, options);
    const user: User = {
      id,
      exchange: this.exchanges[this.rng.weighted(this.exchangeWeights)] as Exchange,
      siteKey,
      route,
      type,
      style: this.rng.pick(STYLES),
      reuse: walletRoute && this.rng.chance(options.addressReuseShare),
      multiInput: walletRoute && this.rng.chance(options.multiInputShare),
      misleading,
      prices,
      paid: 0,
      coins: [],
      fundedBy: '',
    };
    this.paying++;
    this.active++;
    if (route === 'direct') this.payDirect(user);
    else this.withdraw(user, pool);
  }

  private price(): number {
    return Math.round((this.rng.pick(this.eco.options.priceTiersUsd) / this.usdRate) * 100_000_000);
  }

  private total(prices: readonly number[]): number {
    return prices.reduce((s, p) => s + p, 0) + prices.length * PAYMENT_VBYTES * this.feeCap;
  }

  private gap(): number {
    const [lo, hi] = this.eco.options.stepGapBlocks;
    return this.rng.between(lo, hi);
  }

  /** Each payment is its own exchange withdrawal to the site's address. */
  private payDirect(user: User): void {
    let when = 0;
    for (const value of user.prices) {
      this.eco.after(when, () =>
        user.exchange.requestWithdrawal({
          key: user.siteKey,
          value,
          onSent: (coin) => {
            this.site.receive(coin, user.id, user.exchange.id, 'direct', coin.txid);
            this.paid(user);
          },
        }),
      );
      when += this.gap();
    }
  }

  /** Withdraws to the user's own wallet (twice for multi-input users), then goes on by route. */
  private withdraw(user: User, pool: WhirlpoolPool | null): void {
    const receive = this.eco.keys.make(user.type, user.id, 'user-receive');
    let amount: number;
    if (user.route === 'whirlpool' && pool !== null) {
      amount = pool.denomination + pool.fee + Whirlpool.tx0Allowance(this.feeCap) + Math.floor(pool.denomination * 0.3 * this.rng.float());
    } else if (user.route === 'wasabi') {
      amount = Wasabi.minimumInput(this.feeCap) + Math.floor(WASABI_EXTRA * this.rng.float());
    } else {
      amount = this.total(user.prices) * (1 + 0.3 * this.rng.float());
    }
    // People withdraw round amounts: 0.001 BTC steps.
    amount = Math.ceil(amount / 100_000) * 100_000;
    const parts = user.multiInput ? [Math.round((amount * (0.4 + 0.2 * this.rng.float())) / 10_000) * 10_000] : [amount];
    if (user.multiInput) parts.push(amount - (parts[0] as number) + 100_000);
    let outstanding = parts.length;
    parts.forEach((value, i) => {
      const key = i === 0 || user.reuse ? receive : this.eco.keys.make(user.type, user.id, 'user-receive');
      this.eco.after(i === 0 ? 0 : this.rng.between(1, 4), () =>
        user.exchange.requestWithdrawal({
          key,
          value,
          onSent: (coin) => {
            user.coins.push(coin);
            if (user.fundedBy === '') user.fundedBy = coin.txid;
            if (--outstanding === 0) this.eco.after(this.gap(), () => this.afterFunding(user, pool));
          },
        }),
      );
    });
  }

  private afterFunding(user: User, pool: WhirlpoolPool | null): void {
    if (user.route === 'whirlpool' && pool !== null) {
      const coins = user.coins;
      user.coins = [];
      this.whirlpool.tx0(user.id, coins, user.style, pool, (postmix) => {
        user.coins = [postmix];
        this.eco.after(this.gap(), () => this.pay(user));
      });
    } else if (user.route === 'wasabi') {
      const coins = user.coins;
      user.coins = [];
      this.wasabi.enter(user.id, coins, (mixed) => {
        user.coins = [mixed];
        this.eco.after(this.gap(), () => this.pay(user));
      });
    } else {
      this.pay(user);
    }
  }

  /** One payment from the user's wallet to the site, with change back to the wallet. */
  private pay(user: User): void {
    const price = user.prices[user.paid] as number;
    const first = user.paid === 0;
    const coins = [...user.coins].sort((a, b) => b.value - a.value);
    const inputs: Coin[] = [];
    const estimate = (): number => inputs.reduce((w, c) => w + typicalInputWeight(c.key.type), 0) + 2 * 34 * 4 + 44;
    for (const coin of coins) {
      if (!(user.multiInput && first) && inputs.length > 0 && sumOf(inputs) >= price + feeFor(estimate(), this.feeCap)) break;
      inputs.push(coin);
    }
    const have = sumOf(inputs);
    const feeRate = Math.min(this.eco.feeRate(), Math.floor((have - price) / Math.ceil(estimate() / 4)));
    if (inputs.length === 0 || feeRate < 1) {
      // Fees rose beyond what the user set aside: the user gives up, as people do.
      this.finish(user);
      return;
    }
    const changeType = this.changeType(user, inputs, first);
    const change = user.reuse ? (inputs[0] as Coin).key : this.eco.keys.make(changeType, user.id, 'user-change');
    const misleading =
      user.misleading && first && inputs.every((c) => c.key.type === user.siteKey.type) && change.type !== user.siteKey.type
        ? { misleading: 'payment-looks-like-change' as const }
        : {};
    const tx = this.eco.submit(
      { inputs, outputs: [{ value: price, scriptPubKey: user.siteKey.scriptPubKey, key: user.siteKey }], style: user.style, feeRate, change },
      'user-payment',
      misleading,
    );
    user.coins = user.coins.filter((c) => !inputs.includes(c));
    for (const coin of tx.outputs) {
      if (coin === null) continue;
      if (coin.key === user.siteKey) this.site.receive(coin, user.id, user.exchange.id, user.route, user.fundedBy);
      else user.coins.push(coin);
    }
    if (this.paid(user)) this.eco.after(this.gap(), () => this.pay(user));
  }

  /** The usual change type is the inputs' type; some wallets break that, and misleading payments must. */
  private changeType(user: User, inputs: readonly Coin[], first: boolean): KeyType {
    const usual = (inputs[0] as Coin).key.type;
    if ((user.misleading && first) || this.rng.chance(this.eco.options.changeBreakShare)) {
      return this.rng.pick(WALLET_KEY_TYPES.filter((t) => t !== usual));
    }
    return usual;
  }

  /** Counts a payment; true if more are to come, else the user is done. */
  private paid(user: User): boolean {
    user.paid++;
    this.payments++;
    if (user.paid < user.prices.length) return true;
    this.finish(user);
    return false;
  }

  private finish(user: User): void {
    this.active--;
    this.eco.truth.add('entities', {
      id: user.id,
      kind: 'user',
      exchange: user.exchange.id,
      siteAddress: user.siteKey.address,
      route: user.route,
      payments: user.paid,
      ...(user.reuse ? { reusesAddresses: true } : {}),
      ...(user.multiInput ? { multiInput: true } : {}),
    });
  }
}

function sumOf(coins: readonly Coin[]): number {
  let s = 0;
  for (const c of coins) s += c.value;
  return s;
}
