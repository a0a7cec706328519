import { bip34Height, checkProofOfWork, fromHex, hash160, merkleRootWithMutation, parseBlock, sha256d, type Block, type Transaction } from '@chaintrail/core';
import { createHash } from 'node:crypto';
import { nodeHasher } from '../node-hasher.js';
import { blockSubsidy } from '../block-assembler.js';
import { readBlockRecords } from './block-records.js';

/** An output of the replayed chain. */
export interface ReplayedOutput {
  readonly value: number;
  readonly address: string | null;
  readonly scriptType: string;
  readonly scriptPubKey: string;
}

/** What replaying a world's blocks found: the chain state at the tip and every rule broken. */
export interface ChainReplay {
  readonly blocks: Block[];
  readonly heights: number[];
  /** Outputs unspent at the tip, by `txid:vout`. */
  readonly unspent: Map<string, ReplayedOutput>;
  /** Every output ever made, by `txid:vout`. */
  readonly outputs: Map<string, ReplayedOutput>;
  /** The addresses each transaction spends from, by txid. */
  readonly inputAddresses: Map<string, string[]>;
  readonly problems: string[];
}

const WITNESS_COMMITMENT = 'aa21a9ed';

/**
 * Replays the blocks of a generated world as a node would, minus signatures: header links,
 * proof of work (regtest target), merkle roots, BIP34 heights, BIP141 witness commitments,
 * coinbase value, every input spending an existing unspent output, values balancing, and
 * each input's spend matching the script it spends (so its type is recoverable from it).
 */
export function replayChain(blocksDir: string): ChainReplay {
  const blocks: Block[] = [];
  const heights: number[] = [];
  const unspent = new Map<string, ReplayedOutput>();
  const outputs = new Map<string, ReplayedOutput>();
  const inputAddresses = new Map<string, string[]>();
  const problems: string[] = [];
  let prev = '0'.repeat(64);
  for (const raw of readBlockRecords(blocksDir)) {
    const block = parseBlock(raw, { hasher: nodeHasher });
    const where = `block ${block.header.hash}`;
    if (block.header.prevHash !== prev) problems.push(`${where}: previous hash ${block.header.prevHash}, expected ${prev}`);
    if (!checkProofOfWork(block.header, { network: 'regtest', hasher: nodeHasher })) problems.push(`${where}: proof of work`);
    const merkle = merkleRootWithMutation(block.transactions.map((t) => t.txid), { hasher: nodeHasher });
    if (merkle.root !== block.header.merkleRoot || merkle.mutated) problems.push(`${where}: merkle root`);
    prev = block.header.hash;
    const coinbase = block.transactions[0] as Transaction;
    const declared = bip34Height(block.header.version, coinbase);
    if (declared === null) problems.push(`${where}: the coinbase declares no BIP34 height`);
    const height = declared ?? heights.length;
    heights.push(height);
    checkWitnessCommitment(block, problems);

    let fees = 0;
    block.transactions.forEach((tx, position) => {
      if ((position === 0) !== tx.isCoinbase) problems.push(`${tx.txid}: coinbase at position ${position}`);
      let spent = 0;
      if (!tx.isCoinbase) {
        const from: string[] = [];
        tx.inputs.forEach((input, i) => {
          const key = `${input.prevout.txid}:${input.prevout.vout}`;
          const prevout = unspent.get(key);
          if (prevout === undefined) {
            problems.push(`${tx.txid} input ${i}: spends ${key}, which is not an unspent output`);
            return;
          }
          unspent.delete(key);
          spent += prevout.value;
          if (prevout.address !== null) from.push(prevout.address);
          const mismatch = spendMismatch(prevout, input.scriptSig, input.witness);
          if (mismatch !== null) problems.push(`${tx.txid} input ${i}: ${mismatch}`);
        });
        inputAddresses.set(tx.txid, from);
      }
      let made = 0;
      tx.outputs.forEach((out, vout) => {
        made += out.value;
        const record: ReplayedOutput = { value: out.value, address: out.address, scriptType: out.scriptType, scriptPubKey: out.scriptPubKey };
        outputs.set(`${tx.txid}:${vout}`, record);
        if (out.scriptType !== 'op_return') unspent.set(`${tx.txid}:${vout}`, record);
      });
      if (!tx.isCoinbase) {
        if (made > spent) problems.push(`${tx.txid}: pays ${made} from ${spent}`);
        else if (spent - made < tx.vsize) problems.push(`${tx.txid}: fee ${spent - made} below 1 sat/vB for ${tx.vsize} vbytes`);
        fees += spent - made;
      }
    });
    const reward = coinbase.outputs.reduce((s, o) => s + o.value, 0);
    if (reward !== blockSubsidy(height) + fees) problems.push(`${where}: coinbase pays ${reward}, subsidy and fees are ${blockSubsidy(height) + fees}`);
    blocks.push(block);
  }
  return { blocks, heights, unspent, outputs, inputAddresses, problems };
}

function checkWitnessCommitment(block: Block, problems: string[]): void {
  const coinbase = block.transactions[0] as Transaction;
  const segwit = block.transactions.some((t) => t.hasWitness && !t.isCoinbase);
  const commitment = coinbase.outputs.find((o) => o.scriptPubKey.startsWith(`6a24${WITNESS_COMMITMENT}`));
  if (!segwit) return;
  if (commitment === undefined) {
    problems.push(`block ${block.header.hash}: segwit transactions but no witness commitment`);
    return;
  }
  const wtxids = ['0'.repeat(64), ...block.transactions.slice(1).map((t) => t.wtxid)];
  const root = merkleRootWithMutation(wtxids, { hasher: nodeHasher }).root;
  const reserved = coinbase.inputs[0]?.witness[0] ?? '';
  const preimage = new Uint8Array(64);
  preimage.set(fromHex(root).reverse(), 0);
  preimage.set(fromHex(reserved), 32);
  const expected = hex(sha256d(preimage, nodeHasher));
  if (commitment.scriptPubKey.slice(12) !== expected) problems.push(`block ${block.header.hash}: witness commitment does not match`);
}

/** Why a spend does not fit the script it spends, or null. */
function spendMismatch(prevout: ReplayedOutput, scriptSigHex: string, witness: readonly string[]): string | null {
  const script = fromHex(prevout.scriptPubKey);
  const scriptSig = fromHex(scriptSigHex);
  const program = (from: number, to: number): string => hex(script.subarray(from, to));
  switch (prevout.scriptType) {
    case 'p2pkh': {
      // <sig> <pubkey>: two direct pushes.
      const sigLength = scriptSig[0] as number;
      const pub = scriptSig.subarray(2 + sigLength);
      if (witness.length !== 0 || pub.length !== 33 || hex(hash160(pub)) !== program(3, 23)) return 'P2PKH spend does not reveal the key hashed in the script';
      return null;
    }
    case 'p2wpkh':
      if (scriptSig.length !== 0 || witness.length !== 2 || hex(hash160(fromHex(witness[1] as string))) !== program(2, 22)) return 'P2WPKH spend is not <sig> <key of the program>';
      return null;
    case 'p2sh': {
      const redeem = scriptSig.subarray(1);
      if (witness.length !== 2 || hex(hash160(redeem)) !== program(2, 22)) return 'P2SH spend does not reveal the redeem script';
      if (hex(redeem) !== `0014${hex(hash160(fromHex(witness[1] as string)))}`) return 'P2SH-P2WPKH redeem script is not the key hash program';
      return null;
    }
    case 'p2tr':
      if (witness.length !== 1 || (witness[0] as string).length !== 128) return 'P2TR key-path spend is not one 64-byte signature';
      return null;
    case 'p2wsh': {
      const ws = fromHex(witness[witness.length - 1] ?? '');
      if (hex(createHash('sha256').update(ws).digest()) !== program(2, 34)) return 'P2WSH spend does not reveal the witness script';
      return null;
    }
    default:
      return `spends an output of type ${prevout.scriptType}`;
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
