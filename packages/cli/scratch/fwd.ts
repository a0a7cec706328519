import { openStore } from '@chaintrail/store';
const s = await openStore('sqlite:/tmp/cth2/cases/demo.sqlite');
const site = 'Ea0ce88db9b15dd612a97a910';
const show = async (id: string, kind: 'entity'|'address', depth: number) => {
  if (depth > 5) return;
  const r = await s.neighbours({ kind, id }, { direction: 'out', limit: 5, order: 'value' });
  for (const n of r.neighbours) {
    const e = n.node.kind === 'entity' ? await s.getEntity(n.node.id) : null;
    console.log(' '.repeat(depth * 2), n.node.kind, n.node.id, n.value, e?.size, e?.label);
    await show(n.node.id, n.node.kind as 'entity', depth + 1);
  }
};
await show(site, 'entity', 0);
console.log(await s.stats());
