import { SCRIPT_ID_PREFIX } from '@chaintrail/core';
import { FaultPlan, tamperJsonTx, tamperRawHex, type FaultRule } from './fault-plan.js';
import { startFixtureHttpServer, type FixtureAnswer, type FixtureServer } from './fixture-http-server.js';
import type { FixtureWorld } from './fixture-world.js';

export interface EsploraFixtureOptions {
  readonly world: FixtureWorld;
  readonly faults?: FaultPlan | readonly FaultRule[];
  /** Confirmed transactions per address page (electrs: 25). */
  readonly pageSize?: number;
}

const json = (value: unknown): FixtureAnswer => ({ status: 200, body: JSON.stringify(value), contentType: 'application/json' });
const text = (value: string): FixtureAnswer => ({ status: 200, body: value });
const notFound = (what: string): FixtureAnswer => ({ status: 404, body: what });

/**
 * An Esplora REST server over a {@link FixtureWorld}, on the routes and with the answers of
 * Blockstream's electrs (`src/rest.rs`): `/tx/:txid`, `/tx/:txid/hex`,
 * `/tx/:txid/merkle-proof`, `/tx/:txid/outspends`, `/address/:a/txs`, `/address/:a/txs/chain[/:last_seen_txid]`,
 * the same under `/scripthash/:hash`, `/block/:hash/header`, `/block-height/:height`,
 * `/blocks/tip/height` and `/blocks/tip/hash`. Faults are matched against the path.
 */
export async function startEsploraFixtureServer(options: EsploraFixtureOptions): Promise<FixtureServer> {
  const { world } = options;
  const pageSize = options.pageSize ?? 25;
  const faults = options.faults instanceof FaultPlan ? options.faults : new FaultPlan(options.faults ?? []);

  const history = (key: string, after: string | undefined, tampered: boolean): FixtureAnswer => {
    const txids = world.confirmedHistory(key);
    const start = after === undefined ? 0 : txids.indexOf(after) + 1;
    const page = after !== undefined && start === 0 ? [] : txids.slice(start, start + pageSize);
    const txs = page.map((txid) => structuredClone(world.txs.get(txid)?.json));
    if (tampered && txs[0]) tamperJsonTx(txs[0]);
    return json(txs);
  };

  return startFixtureHttpServer((request) => {
    const parts = request.path.split('/').filter(Boolean);
    const target = request.path;
    const [head, id, sub, rest, last] = parts;
    if (request.method !== 'GET') return { target, answer: () => ({ status: 405, body: 'Method not allowed' }) };
    if (head === 'tx' && id !== undefined) {
      const tx = world.txs.get(id);
      if (sub === undefined) {
        return {
          target,
          answer: (tampered) => {
            if (!tx) return notFound('Transaction not found');
            const body = structuredClone(tx.json);
            if (tampered) tamperJsonTx(body);
            return json(body);
          },
        };
      }
      if (sub === 'hex') return { target, answer: (tampered) => (tx ? text(tampered ? tamperRawHex(tx.hex) : tx.hex) : notFound('Transaction not found')) };
      if (sub === 'outspends') {
        return {
          target,
          answer: (tampered) => {
            const entries = world.outspends(id);
            if (!entries) return notFound('Transaction not found');
            // Tampered: every spend moved to the next input of its spender, which spends something else.
            return json(tampered ? entries.map((e) => (e.spent ? { ...e, vin: (e.vin ?? 0) + 1 } : e)) : entries);
          },
        };
      }
      if (sub === 'merkle-proof') {
        return {
          target,
          answer: (tampered) => {
            const proof = world.merkleProof(id);
            if (!proof) return notFound('Transaction not found');
            // Tampered: the branch of the neighbouring leaf, a proof of some other position.
            const pos = tampered ? proof.branch.pos ^ 1 : proof.branch.pos;
            return json({ block_height: proof.block.height, merkle: proof.branch.merkle, pos });
          },
        };
      }
    }
    if ((head === 'address' || head === 'scripthash') && id !== undefined && sub === 'txs') {
      const key = head === 'scripthash' ? `${SCRIPT_ID_PREFIX}${id}` : id;
      // `/txs` holds mempool transactions first; this world's are all confirmed or absent.
      if (rest === undefined || rest === 'chain') return { target, answer: (tampered) => history(key, last, tampered) };
    }
    if (head === 'block' && id !== undefined && sub === 'header') {
      return {
        target,
        answer: (tampered) => {
          const block = world.blocks.get(id);
          if (!block) return notFound('Block not found');
          // Tampered: another nonce, so the header no longer hashes to the block hash.
          const nonce = block.headerHex.slice(152) === '00000000' ? 'ffffffff' : '00000000';
          return text(tampered ? block.headerHex.slice(0, 152) + nonce : block.headerHex);
        },
      };
    }
    if (head === 'block-height' && id !== undefined) {
      return {
        target,
        answer: () => {
          const block = world.blockAtHeight(Number(id));
          return block ? text(block.hash) : notFound('Block not found');
        },
      };
    }
    if (head === 'blocks' && id === 'tip' && (sub === 'height' || sub === 'hash')) {
      return {
        target,
        answer: () => {
          const tip = world.tip();
          if (!tip) return notFound('No blocks');
          return text(sub === 'height' ? String(tip.height) : tip.hash);
        },
      };
    }
    return { target, answer: () => notFound('Not found') };
  }, faults);
}
