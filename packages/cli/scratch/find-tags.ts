import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { listBlockFiles, readBlockRecords, nodeHasher } from '@chaintrail/chain';
import { parseBlock } from '@chaintrail/core';
const root = '/work/shared/data/blocks';
const outAddr = new Map<string, string[]>();
const inTx = new Set<string>();
for (const dir of readdirSync(root)) {
  const p = join(root, dir);
  try { if (!readdirSync(p)) continue; } catch { continue; }
  const { files, xorKey } = listBlockFiles(p);
  for (const f of files) for (const r of readBlockRecords(f, xorKey)) {
    if (r.kind !== 'block') continue;
    let b; try { b = parseBlock(r.bytes, { hasher: nodeHasher }); } catch { continue; }
    for (const tx of b.transactions) tx.outputs.forEach((o, v) => { if (o.address) { const l = outAddr.get(o.address) ?? []; l.push(`${f.path.split('/').slice(-2).join('/')} ${tx.txid}:${v} ${o.value}`); outAddr.set(o.address, l); } });
  }
}
console.log('addresses', outAddr.size);
const ofac = readFileSync('/work/shared/data/tags/ofac/sanctioned_addresses_XBT.txt', 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
for (const a of ofac) if (outAddr.has(a)) console.log('OFAC', a, outAddr.get(a)!.slice(0, 3));
const packs = '/work/shared/data/tags/graphsense-tagpacks/packs';
for (const f of readdirSync(packs)) {
  const text = readFileSync(join(packs, f), 'utf8');
  for (const m of text.matchAll(/address:\s*['"]?([13bc][A-Za-z0-9]{25,90})/g)) {
    if (outAddr.has(m[1]!)) console.log('PACK', f, m[1], outAddr.get(m[1]!)!.slice(0, 2));
  }
}
