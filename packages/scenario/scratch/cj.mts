import { detectCoinJoin, type ResolvedTx } from '@chaintrail/core';
import { readTruth } from '../src/truth-reader.js';
import { replayChain } from '../src/testing/chain-replay.js';
const dir = process.argv[2]!;
const truth = await readTruth(dir + '/truth.json');
const chain = replayChain(dir + '/blocks');
const labels = new Map(truth.transactions.map((t) => [t.txid, t]));
const outputs = chain.outputs;
const counts = new Map<string, number>();
chain.blocks.forEach((b, bi) => {
  for (const tx of b.transactions) {
    const r: ResolvedTx = { txid: tx.txid, blockHeight: chain.heights[bi]!, locktime: tx.locktime, isCoinbase: tx.isCoinbase,
      inputs: tx.isCoinbase ? [] : tx.inputs.map((i) => { const o = outputs.get(i.prevout.txid + ':' + i.prevout.vout)!; return { txid: i.prevout.txid, vout: i.prevout.vout, address: o.address, value: o.value, scriptType: o.scriptType as never }; }),
      outputs: tx.outputs };
    const v = detectCoinJoin(r);
    const l = labels.get(tx.txid)!;
    const key = `${l.kind}${l.misleading ? '/' + l.misleading : ''} -> ${v.isCoinJoin ? 'CJ:' + v.rule : 'no'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
});
for (const [k, n] of [...counts].sort()) if (k.includes('CJ') || k.includes('mix') || k.includes('wasabi') || k.includes('misleading') || k.includes('looks')) console.log(n, k);
chain.blocks.forEach((b, bi) => { for (const tx of b.transactions) { const l = labels.get(tx.txid)!; if (l.kind !== 'whirlpool-mix') continue;
  const r: ResolvedTx = { txid: tx.txid, blockHeight: chain.heights[bi]!, locktime: tx.locktime, isCoinbase: false, inputs: tx.inputs.map((i) => { const o = outputs.get(i.prevout.txid + ':' + i.prevout.vout)!; return { txid: i.prevout.txid, vout: i.prevout.vout, address: o.address, value: o.value, scriptType: o.scriptType as never }; }), outputs: tx.outputs };
  const v = detectCoinJoin(r); if (!v.isCoinJoin) console.log(r.inputs.map((i) => i.value), tx.outputs.map((o) => o.value), v.reason, v.fired); } });
