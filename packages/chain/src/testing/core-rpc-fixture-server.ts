import { fromHex, parseTransaction, type Transaction } from '@chaintrail/core';
import { nodeHasher } from '../node-hasher.js';
import { FaultPlan, tamperRawHex, type FaultRule } from './fault-plan.js';
import { startFixtureHttpServer, type FixtureAnswer, type FixtureServer } from './fixture-http-server.js';
import type { FixtureWorld, WorldBlock } from './fixture-world.js';

export interface CoreRpcFixtureOptions {
  readonly world: FixtureWorld;
  /** Credentials the server accepts (`rpcuser`/`rpcpassword`, or `__cookie__` and the cookie secret). */
  readonly user: string;
  readonly password: string;
  /** Faults are matched against the methods of a request, joined by commas; `tamper` alters the first call's answer. */
  readonly faults?: FaultPlan | readonly FaultRule[];
  /** Answer `getrawtransaction` for confirmed transactions as a node without `txindex` does. */
  readonly withoutTxindex?: boolean;
}

interface RpcCall {
  readonly id: unknown;
  readonly method: string;
  readonly params: readonly unknown[];
}

class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Bitcoin Core's JSON-RPC over a {@link FixtureWorld}: `getblockchaininfo`, `getblockhash`,
 * `getblockheader` (hex and verbose), `getblock` (verbosity 0, 1 and 2) and
 * `getrawtransaction` (hex and verbose), with Core's error codes (-5 not found, -8 height out
 * of range, -32601 unknown method), HTTP conventions (401 for bad credentials; a single
 * failing call is HTTP 500, 404 for an unknown method; a batch is always 200) and Basic auth.
 */
export async function startCoreRpcFixtureServer(options: CoreRpcFixtureOptions): Promise<FixtureServer> {
  const { world } = options;
  const faults = options.faults instanceof FaultPlan ? options.faults : new FaultPlan(options.faults ?? []);
  const expectedAuth = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;

  const tipHeight = (): number => world.tip()?.height ?? -1;
  const block = (hash: unknown): WorldBlock => {
    const found = typeof hash === 'string' ? world.blocks.get(hash) : undefined;
    if (!found) throw new RpcFailure(-5, 'Block not found');
    return found;
  };
  const headerJson = (b: WorldBlock): Record<string, unknown> => {
    const header = fromHex(b.headerHex);
    const view = new DataView(header.buffer, header.byteOffset);
    const next = world.blockAtHeight(b.height + 1);
    return {
      hash: b.hash,
      confirmations: tipHeight() - b.height + 1,
      height: b.height,
      version: view.getInt32(0, true),
      versionHex: view.getUint32(0, true).toString(16).padStart(8, '0'),
      merkleroot: reversedHex(header.subarray(36, 68)),
      time: b.time,
      nonce: view.getUint32(76, true),
      bits: view.getUint32(72, true).toString(16).padStart(8, '0'),
      nTx: b.txids.length,
      ...(b.height > 0 ? { previousblockhash: b.prevHash } : {}),
      ...(next ? { nextblockhash: next.hash } : {}),
    };
  };

  const run = (call: RpcCall, tampered: boolean): unknown => {
    const [first, second] = call.params;
    switch (call.method) {
      case 'getblockchaininfo': {
        const tip = world.tip();
        return { chain: world.network === 'mainnet' ? 'main' : world.network, blocks: tipHeight(), headers: tipHeight(), bestblockhash: tip?.hash, pruned: false, warnings: '' };
      }
      case 'getblockhash': {
        const found = typeof first === 'number' ? world.blockAtHeight(first) : undefined;
        if (!found) throw new RpcFailure(-8, 'Block height out of range');
        return found.hash;
      }
      case 'getblockheader': {
        const b = block(first);
        if (second === false) return tampered ? b.headerHex.slice(0, 152) + (b.headerHex.endsWith('00000000') ? 'ffffffff' : '00000000') : b.headerHex;
        return headerJson(b);
      }
      case 'getblock': {
        const b = block(first);
        const verbosity = typeof second === 'boolean' ? (second ? 1 : 0) : (second ?? 1);
        const hex = world.rawBlockHex(b.hash) as string;
        // Tampered: the last transaction's locktime, so its txid and the merkle root change.
        if (verbosity === 0) return tampered ? hex.slice(0, -2) + (hex.endsWith('00') ? '01' : '00') : hex;
        const txs = b.txids.map((txid, i) => {
          const txHex = world.txs.get(txid)?.hex as string;
          return verbosity === 1 ? txid : decodedTx(txid, tampered && i === 1 ? tamperRawHex(txHex) : txHex);
        });
        return { ...headerJson(b), size: hex.length / 2, tx: txs };
      }
      case 'getrawtransaction': {
        const entry = typeof first === 'string' ? world.txs.get(first) : undefined;
        if (!entry) throw new RpcFailure(-5, 'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.');
        const { status } = entry.json;
        if (options.withoutTxindex && status.confirmed) {
          throw new RpcFailure(-5, 'No such mempool transaction. Use -txindex or provide a block hash to enable blockchain transaction queries. Use gettransaction for wallet transactions.');
        }
        const hex = tampered ? tamperRawHex(entry.hex) : entry.hex;
        if (second !== true && second !== 1) return hex;
        const confirmed = status.confirmed && status.block_hash !== undefined ? world.blocks.get(status.block_hash) : undefined;
        return {
          ...decodedTx(entry.json.txid, hex),
          ...(confirmed ? { blockhash: confirmed.hash, confirmations: tipHeight() - confirmed.height + 1, time: confirmed.time, blocktime: confirmed.time } : {}),
        };
      }
      default:
        throw new RpcFailure(-32601, 'Method not found');
    }
  };

  return startFixtureHttpServer((request) => {
    let calls: RpcCall[] = [];
    let isBatch = false;
    try {
      const parsed = JSON.parse(request.body) as unknown;
      isBatch = Array.isArray(parsed);
      calls = (isBatch ? (parsed as RpcCall[]) : [parsed as RpcCall]).map((c) => ({ id: c.id, method: String(c.method), params: Array.isArray(c.params) ? c.params : [] }));
    } catch {
      return { target: 'parse-error', answer: () => ({ status: 500, body: JSON.stringify({ result: null, error: { code: -32700, message: 'Parse error' }, id: null }) }) };
    }
    const target = calls.map((c) => c.method).join(',');
    return {
      target,
      answer: (tampered): FixtureAnswer => {
        if (request.method !== 'POST') return { status: 405, body: 'JSONRPC server handles only POST requests' };
        if (request.headers.authorization !== expectedAuth) return { status: 401, body: '' };
        // A tamper fault alters the answer to the first call of the request only.
        const answers = calls.map((call, index) => {
          try {
            return { result: run(call, tampered && index === 0), error: null, id: call.id };
          } catch (error) {
            if (!(error instanceof RpcFailure)) throw error;
            return { result: null, error: { code: error.code, message: error.message }, id: call.id };
          }
        });
        if (isBatch) return { status: 200, body: JSON.stringify(answers), contentType: 'application/json' };
        const [only] = answers;
        const status = only?.error ? (only.error.code === -32601 ? 404 : 500) : 200;
        return { status, body: JSON.stringify(only), contentType: 'application/json' };
      },
    };
  }, faults);
}

/** Core's decoded transaction (`decoderawtransaction` shape), amounts as BTC floats as Core prints them. */
function decodedTx(txid: string, hex: string): Record<string, unknown> {
  let tx: Transaction;
  try {
    tx = parseTransaction(fromHex(hex), { hasher: nodeHasher });
  } catch {
    return { txid, hex };
  }
  return {
    txid,
    hash: tx.wtxid,
    version: tx.version,
    size: tx.size,
    vsize: tx.vsize,
    weight: tx.weight,
    locktime: tx.locktime,
    vin: tx.inputs.map((input) =>
      tx.isCoinbase
        ? { coinbase: input.scriptSig, sequence: input.sequence }
        : { txid: input.prevout.txid, vout: input.prevout.vout, scriptSig: { hex: input.scriptSig }, txinwitness: input.witness, sequence: input.sequence },
    ),
    vout: tx.outputs.map((output, n) => ({
      value: output.value / 1e8,
      n,
      scriptPubKey: { hex: output.scriptPubKey, type: output.scriptType, ...(output.address && !output.address.startsWith('script:') ? { address: output.address } : {}) },
    })),
    hex,
  };
}

function reversedHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).reverse().toString('hex');
}
