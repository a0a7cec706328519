import { nodeHasher } from '@chaintrail/chain';
import { parseBlock } from '@chaintrail/core';
import { readFileSync } from 'node:fs';
const a = parseBlock(readFileSync('/work/shared/data/blocks/bitcoinj/block227835.dat'), { hasher: nodeHasher });
const b = parseBlock(readFileSync('/work/shared/data/blocks/bitcoinj/block227836.dat'), { hasher: nodeHasher });
const inA = new Set(a.transactions.map((t) => t.txid));
let n = 0;
for (const tx of b.transactions) { const p = tx.inputs.filter((i) => inA.has(i.prevout.txid)); if (p.length) { n++; if (n < 4) console.log(tx.txid, p.length, tx.inputs.length, tx.outputs.map((o) => o.address)); } }
console.log('children', n);
const counts = new Map<string, number>();
for (const blk of [a, b]) for (const tx of blk.transactions) for (const o of new Set(tx.outputs.map((o) => o.address))) if (o) counts.set(o, (counts.get(o) ?? 0) + 1);
console.log([...counts].filter(([, c]) => c >= 3).slice(0, 5));
console.log(a.header.hash, b.header.prevHash);
