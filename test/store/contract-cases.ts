/** Cases: seeds with their seized-file lines, annotations, saved views and job checkpoints. */
import { describe, expect, it } from 'vitest';
import type { GraphStore, SeedRecord } from '@chaintrail/store';
import { allPages, withFreshStore } from './store-helpers.js';

export function describeCaseRecords(openFresh: () => Promise<GraphStore>): void {
  describe('cases', () => {
    it('creates cases and keeps the first seized-file line of every seed, paged in line order', async () => {
      await withFreshStore(openFresh, async (store) => {
        const one = await store.createCase({ id: 'wtv-2018', name: 'Welcome to Video', description: 'seized server' });
        const two = await store.createCase({ name: 'second case' });
        expect(one).toMatchObject({ id: 'wtv-2018', name: 'Welcome to Video', description: 'seized server', seedCount: 0 });
        expect(two.id).not.toBe(one.id);
        expect((await store.listCases()).map((c) => c.id)).toEqual([one.id, two.id]);
        await expect(store.createCase({ id: 'wtv-2018', name: 'again' })).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_QUERY' });

        const seeds: SeedRecord[] = Array.from({ length: 2_500 }, (_v, i) => ({ address: `seed-${(i * 7919) % 2_500}`, line: i + 1, file: 'seized.txt' }));
        await store.addSeeds(one.id, seeds.slice(0, 1_000));
        await store.addSeeds(one.id, seeds);
        await store.addSeeds(one.id, [{ address: seeds[0]!.address, line: 99_999, file: 'other.txt' }]);
        expect(await allPages((cursor) => store.caseSeeds(one.id, { limit: 333, cursor }))).toEqual(seeds);
        expect((await store.getCase(one.id)).seedCount).toBe(2_500);
        expect((await store.caseSeeds(two.id, { limit: 10 })).items).toEqual([]);
        await expect(store.addSeeds('no-such-case', seeds.slice(0, 1))).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_FOUND' });
        await expect(store.addSeeds(one.id, [{ address: 'x', line: 0 }])).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_QUERY' });
      });
    });

    it('creates, edits, filters and deletes annotations', async () => {
      await withFreshStore(openFresh, async (store) => {
        const c = await store.createCase({ name: 'notes' });
        const onAddress = await store.addAnnotation(c.id, { target: { kind: 'address', id: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa' }, text: 'genesis', author: 'ana' });
        const onTx = await store.addAnnotation(c.id, { target: { kind: 'tx', id: 'F4184FC596403B9D638783CF57ADFE4C75C605F6356FBC91338530E9831E9E16' }, text: 'first payment' });
        expect(onTx.target.id).toBe('f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16');
        expect(onTx.author).toBeNull();
        const edited = await store.updateAnnotation(onAddress.id, 'genesis block reward');
        expect(edited).toMatchObject({ id: onAddress.id, text: 'genesis block reward', createdAt: onAddress.createdAt });
        expect((await store.listAnnotations(c.id)).map((a) => a.id)).toEqual([onAddress.id, onTx.id]);
        expect(await store.listAnnotations(c.id, { kind: 'tx', id: onTx.target.id })).toEqual([onTx]);
        await store.deleteAnnotation(onTx.id);
        expect((await store.listAnnotations(c.id)).map((a) => a.id)).toEqual([onAddress.id]);
        await expect(store.deleteAnnotation(onTx.id)).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_FOUND' });
        await expect(store.addAnnotation(c.id, { target: { kind: 'tx', id: 'nope' }, text: 'x' })).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_TXID' });
      });
    });

    it('keeps colour labels on annotations: palette names and #rrggbb, changed or removed on update', async () => {
      await withFreshStore(openFresh, async (store) => {
        const c = await store.createCase({ name: 'colours' });
        const other = await store.createCase({ name: 'other' });
        const target = { kind: 'address', id: '12c6DSiU4Rq3P4ZxziKxzrGq8CaG8C7XFk' } as const;
        const red = await store.addAnnotation(c.id, { target, text: 'exchange deposit', colour: 'red' });
        const hex = await store.addAnnotation(c.id, { target, text: 'mixer', colour: '#1A2b3C' });
        const plain = await store.addAnnotation(c.id, { target, text: 'no label' });
        expect([red.colour, hex.colour, plain.colour]).toEqual(['red', '#1a2b3c', null]);
        expect(await store.getAnnotation(c.id, hex.id)).toEqual(hex);

        const recoloured = await store.updateAnnotation(red.id, { colour: 'grey' });
        expect(recoloured).toMatchObject({ text: 'exchange deposit', colour: 'grey', createdAt: red.createdAt });
        expect(await store.updateAnnotation(red.id, 'text only')).toMatchObject({ text: 'text only', colour: 'grey' });
        expect(await store.updateAnnotation(red.id, { text: 'both', colour: null })).toMatchObject({ text: 'both', colour: null });
        expect((await store.listAnnotations(c.id)).map((a) => a.colour)).toEqual([null, '#1a2b3c', null]);

        await expect(store.getAnnotation(other.id, hex.id)).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_FOUND' });
        await expect(store.getAnnotation(c.id, 'no-such-annotation')).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_FOUND' });
        await expect(store.getAnnotation('no-such-case', hex.id)).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_FOUND' });
        for (const bad of ['crimson', 'RED', '#12345', '#1234567', '#gggggg', 'red; DROP TABLE annotations', 42]) {
          const create = store.addAnnotation(c.id, { target, text: 'x', colour: bad as 'red' });
          await expect(create).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_ANNOTATION_COLOUR', message: expect.stringContaining(JSON.stringify(String(bad))) as unknown });
          await expect(store.updateAnnotation(hex.id, { colour: bad as 'red' })).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_ANNOTATION_COLOUR' });
        }
        expect((await store.listAnnotations(c.id)).length).toBe(3);
        expect((await store.getAnnotation(c.id, hex.id)).colour).toBe('#1a2b3c');
      });
    });

    it('saves, updates, lists and deletes views, and keeps job checkpoints', async () => {
      await withFreshStore(openFresh, async (store) => {
        const c = await store.createCase({ name: 'views' });
        const other = await store.createCase({ name: 'other' });
        const state = { nodes: [{ id: 'a', x: 1.5 }], filters: { minValue: '1000', hops: 3 }, collapsed: true, note: null };
        const view = await store.saveView(c.id, { name: 'overview', state });
        expect(await store.getView(view.id)).toEqual(view);
        const renamed = await store.saveView(c.id, { id: view.id, name: 'overview 2', state: { nodes: [] } });
        expect(renamed).toMatchObject({ id: view.id, name: 'overview 2', state: { nodes: [] }, createdAt: view.createdAt });
        await store.saveView(other.id, { name: 'elsewhere', state: 1 });
        expect((await store.listViews(c.id)).map((v) => v.name)).toEqual(['overview 2']);
        await expect(store.saveView(other.id, { id: view.id, name: 'steal', state: 1 })).rejects.toMatchObject({ code: 'CHAINTRAIL_BAD_QUERY' });
        await store.deleteView(view.id);
        await expect(store.getView(view.id)).rejects.toMatchObject({ code: 'CHAINTRAIL_NOT_FOUND' });

        expect(await store.getCheckpoint('job-1')).toBeNull();
        await store.setCheckpoint({ jobId: 'job-1', caseId: c.id, kind: 'ingest', state: { hop: 1, done: ['a'] } });
        const updated = await store.setCheckpoint({ jobId: 'job-1', caseId: c.id, kind: 'ingest', state: { hop: 2, done: ['a', 'b'] } });
        expect(updated).toMatchObject({ jobId: 'job-1', caseId: c.id, kind: 'ingest', state: { hop: 2, done: ['a', 'b'] } });
        await store.setCheckpoint({ jobId: 'job-0', caseId: null, kind: 'tags', state: null });
        expect((await store.listCheckpoints()).map((j) => j.jobId)).toEqual(['job-0', 'job-1']);
        expect((await store.listCheckpoints(c.id)).map((j) => j.jobId)).toEqual(['job-1']);
      });
    });
  });
}
