import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type GraphStore } from '@chaintrail/store';
import { importTags, relabelEntitiesOf, tagFileKind } from './tag-import.js';

const A = '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa';
const B = '12c6DSiU4Rq3P4ZxziKxzrL5LmMBrzjrJX';
const dir = mkdtempSync(join(tmpdir(), 'tag-import-'));
const stores: GraphStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function store(): Promise<GraphStore> {
  const s = await openStore('sqlite::memory:');
  stores.push(s);
  return s;
}

const pack = `title: Test pack
creator: chaintrail tests
currency: BTC
confidence: ownership
source: https://example.org/pack
category: exchange
tags:
  - address: ${A}
    label: Exchange X
  - address: ${B}
    label: Exchange X
`;

describe('tagFileKind', () => {
  const cases: [string, string][] = [
    ['packs/binance.yaml', 'tagpack'],
    ['pack.YML', 'tagpack'],
    ['tags.csv', 'csv'],
    ['sanctioned_addresses_XBT.txt', 'ofac'],
    ['sanctioned_addresses_XBT.json', 'ofac'],
  ];
  for (const [path, kind] of cases) it(`reads ${path} as ${kind}`, () => expect(tagFileKind(path)).toBe(kind));
});

describe('importTags', () => {
  it('writes every tag with its source and tells which addresses were tagged', async () => {
    const s = await store();
    const told: string[] = [];
    const summary = await importTags({ store: s, path: file('pack.yaml', pack), onTagged: (a) => told.push(...a) });
    expect(summary).toMatchObject({ kind: 'tagpack', tags: 2, addresses: 2, errors: 0 });
    expect(told.sort()).toEqual([A, B].sort());
    expect(await s.tagsByAddress(A)).toEqual([expect.objectContaining({ label: 'Exchange X', category: 'exchange', source: 'tagpack:pack.yaml', confidence: 'ownership' })]);
  });

  it('skips an OFAC entry that is not a Bitcoin address and names its line', async () => {
    const s = await store();
    const summary = await importTags({ store: s, path: file('sanctioned.txt', `${A}\nTUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq\n${B}\n`) });
    expect(summary).toMatchObject({ kind: 'ofac', tags: 2, errors: 1 });
    expect(summary.problems[0]?.message).toMatch(/sanctioned\.txt:2:/);
    expect((await s.tagsByAddress(B))[0]?.category).toBe('sanction');
  });

  it("relabels the entities that already hold newly tagged addresses", async () => {
    const s = await store();
    await s.writeClustering({ assignments: [A, B].map((address) => ({ address, entityId: 'E1' })), links: [] });
    await importTags({ store: s, path: file('pack2.yaml', pack) });
    expect(await relabelEntitiesOf(s, [A, B, '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'])).toBe(1);
    expect(await s.getEntity('E1')).toMatchObject({ label: 'Exchange X', category: 'exchange' });
  });
});
