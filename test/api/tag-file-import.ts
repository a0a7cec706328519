/**
 * POST /api/cases/:caseId/tags/import: tag files sent as they are on disk, read by the
 * parsers of `chaintrail tags import`. Tags record the file name in their source, a
 * re-import updates instead of adding, bad entries come back with their line, a file that
 * cannot be read at all is a 400 naming its line, and the audit log holds the file's size
 * and hash, never its content.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeInfoSchema, tagFileImportResultSchema, tagListSchema, type AuditEntry } from '@chaintrail/api';
import { hash } from 'node:crypto';
import type { ApiContext } from './api-context.js';
import type { ErrorJson } from './api-harness.js';
import { CASE_ID } from './api-world.js';

const importUrl = (query: string) => `/api/cases/${CASE_ID}/tags/import?${query}`;

export function describeTagFileImport(name: string, context: () => ApiContext): void {
  describe(`tag files over ${name}`, () => {
    const tagCount = async () => (await context().api.get('/api/store', storeInfoSchema)).stats.tags;

    it('re-importing the TagPack the world was loaded from changes nothing: same source, same tags', async () => {
      const { api, world } = context();
      const before = await tagCount();
      const text = readFileSync(join(world.dir, 'tags.yaml'), 'utf8');
      const result = await api.send('POST', importUrl('name=tags.yaml'), tagFileImportResultSchema, {
        as: 'analyst',
        body: text,
        headers: { 'content-type': 'application/yaml' },
        status: 200,
      });
      expect(result).toMatchObject({ file: 'tags.yaml', kind: 'tagpack', errors: 0, tags: world.tags.length });
      expect(await tagCount()).toBe(before);
    });

    it('imports an OFAC list, reports a bad line by number, and updates on a second import', async () => {
      const { api, sample } = context();
      const before = await tagCount();
      const text = `# OFAC SDN XBT\n${sample.seed}\nnot-an-address\n`;
      const upload = () => api.send('POST', importUrl('name=sanctioned_addresses_XBT.txt'), tagFileImportResultSchema, { as: 'analyst', body: text, status: 200 });
      const first = await upload();
      expect(first).toMatchObject({ kind: 'ofac', tags: 1, addresses: 1, errors: 1 });
      expect(first.problems).toEqual([expect.objectContaining({ severity: 'error', line: 3, message: expect.stringMatching(/^sanctioned_addresses_XBT\.txt:3: /) as string })]);
      expect(await tagCount()).toBe(before + 1);
      await upload();
      expect(await tagCount()).toBe(before + 1);
      const onNode = await api.get(`/api/nodes/address/${sample.seed}/tags`, tagListSchema);
      expect(onNode.tags).toContainEqual(expect.objectContaining({ address: sample.seed, source: 'ofac:sanctioned_addresses_XBT.txt', category: 'sanction' }));
    });

    it('takes an OFAC JSON list as application/json and a CSV with its format named', async () => {
      const { api, sample } = context();
      const json = await api.send('POST', importUrl('name=sdn.json'), tagFileImportResultSchema, {
        as: 'analyst',
        body: `[\n  "${sample.payer}"\n]\n`,
        headers: { 'content-type': 'application/json' },
        status: 200,
      });
      expect(json).toMatchObject({ kind: 'ofac', tags: 1, errors: 0 });
      const csv = await api.send('POST', importUrl('name=my-tags&format=csv'), tagFileImportResultSchema, {
        as: 'analyst',
        body: `address,label,category,source\n${sample.payer},Payer wallet,wallet,interview 3\n`,
        headers: { 'content-type': 'text/csv' },
        status: 200,
      });
      expect(csv).toMatchObject({ kind: 'csv', tags: 1, errors: 0 });
      const onNode = await api.get(`/api/nodes/address/${sample.payer}/tags`, tagListSchema);
      expect(onNode.tags.map((t) => t.label)).toEqual(expect.arrayContaining(['Payer wallet', 'OFAC SDN list']));
    });

    it('answers a file it cannot read with a 400 naming the file and line, never a server path', async () => {
      const { api } = context();
      const noLabel = await api.call('POST', importUrl('name=broken.csv'), { as: 'analyst', body: 'address,category\n1BoatSLRHtKNngkdXEeobR76b53LETtpyT,x\n', headers: { 'content-type': 'text/csv' } });
      expect(noLabel.status).toBe(400);
      const error = (noLabel.json as ErrorJson).error;
      expect(error).toMatchObject({ code: 'CHAINTRAIL_BAD_REQUEST', field: 'body' });
      expect(error.message).toMatch(/broken\.csv:1: /);
      expect(error.message).not.toContain('chaintrail-tag-upload');
    });

    it('refuses hostile uploads with a 4xx and stores hostile labels as data', async () => {
      const { api, sample } = context();
      const statusOf = async (query: string, body: string, contentType = 'text/plain') =>
        (await api.call('POST', importUrl(query), { as: 'analyst', body, headers: { 'content-type': contentType } })).status;
      expect(await statusOf('name=..%2F..%2Fetc%2Fpasswd', `${sample.seed}\n`)).toBe(400);
      expect(await statusOf('name=.hidden', `${sample.seed}\n`)).toBe(400);
      expect(await statusOf('name=x.txt&format=exe', `${sample.seed}\n`)).toBe(400);
      expect(await statusOf('name=empty.txt', '')).toBe(400);
      expect(await statusOf('name=x.txt', `${sample.seed}\n`, 'application/x-www-form-urlencoded')).toBe(415);
      expect(await statusOf('name=big.txt', `${sample.seed}\n`.repeat(600_000))).toBe(413);
      const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 12 }, (_v, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
      expect([200, 400]).toContain(await statusOf('name=bomb.yaml', bomb, 'application/yaml'));
      const label = "Robert'); DROP TABLE tags; -- MATCH (n) DETACH DELETE n";
      const csv = await api.send('POST', importUrl('name=hostile.csv'), tagFileImportResultSchema, { as: 'analyst', body: `address,label\n${sample.seed},"${label}"\n`, status: 200 });
      expect(csv.tags).toBe(1);
      expect((await api.get(`/api/nodes/address/${sample.seed}/tags`, tagListSchema)).tags.map((t) => t.label)).toContain(label);
    });

    it("logs an upload's size and SHA-256, not its content", async () => {
      const { api, sample } = context();
      const text = `${sample.seed}\n`;
      await api.send('POST', importUrl('name=audited-list.txt'), tagFileImportResultSchema, { as: 'analyst', body: text, status: 200 });
      const entries = readFileSync(api.auditPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AuditEntry);
      const entry = entries.findLast((e) => e.route === '/api/cases/:caseId/tags/import')!;
      expect(entry).toMatchObject({ status: 200, query: { name: 'audited-list.txt' }, body: { bytes: Buffer.byteLength(text), sha256: hash('sha256', text, 'hex') } });
      expect(JSON.stringify(entry)).not.toContain(sample.seed);
    });
  });
}
