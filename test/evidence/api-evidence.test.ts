import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidenceBundle, type EvidenceManifest } from '@chaintrail/evidence';
import { openStore, type GraphStore } from '@chaintrail/store';
import { startHarness, type ApiHarness } from '../api/api-harness.js';
import { chaintrailJson } from '../e2e/cli-binary.js';
import { tempDir } from '../e2e/scenario-world.js';
import { sharedData } from '../support/shared-data.js';

interface ExportAnswer {
  readonly fileName: string;
  readonly sha256: string;
  readonly proofsComplete: boolean;
  readonly missingProofs: number;
  readonly manifest: EvidenceManifest;
  readonly zipBase64: string;
}

/** The viewer's "Export evidence": the current view as a bundle through the API, for analysts. */
describe('POST /api/cases/:caseId/evidence', () => {
  const hal = '1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3';
  const payment = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';
  const home = { home: tempDir('evidence-api') };
  const cache = process.env['XDG_CACHE_HOME'];
  let store: GraphStore;
  let api: ApiHarness;
  let caseId: string;

  beforeAll(async () => {
    // The route opens the case's recorded block files; their index goes to a temporary cache, not the user's.
    process.env['XDG_CACHE_HOME'] = join(home.home, 'xdg-cache');
    const seeds = join(home.home, 'seeds.txt');
    writeFileSync(seeds, `${hal}\n`);
    await chaintrailJson(['case', 'create', 'hal'], home);
    await chaintrailJson(['import', seeds, '--case', 'hal'], home);
    await chaintrailJson(['ingest', '--case', 'hal', '--source', `blocks:${sharedData('blocks', 'hadoopcryptoledger', 'firstblocks.blk')}`, '--hops-back', '1', '--hops-forward', '0'], home);
    store = await openStore(`sqlite:${join(home.home, 'cases', 'hal.sqlite')}`);
    caseId = (await store.listCases())[0]!.id;
    api = await startHarness(store);
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    await store?.close();
    if (cache === undefined) delete process.env['XDG_CACHE_HOME'];
    else process.env['XDG_CACHE_HOME'] = cache;
  });

  const state = { nodes: [{ kind: 'tx', id: payment, x: 1, y: 2 }, { kind: 'address', id: hal }] };

  it('is refused to a viewer token and granted to an analyst', async () => {
    const denied = await api.call('POST', `/api/cases/${caseId}/evidence`, { as: 'viewer', body: { state } });
    expect(denied.status).toBe(403);
  });

  it("returns a zip of the current view that verifies offline, naming the analyst's token", async () => {
    const result = await api.call('POST', `/api/cases/${caseId}/evidence`, { as: 'analyst', body: { state, exportedAt: '2024-05-01T09:00:00Z' } });
    expect(result.status).toBe(200);
    const answer = result.json as ExportAnswer;
    expect(answer.proofsComplete).toBe(true);
    expect(answer.manifest.exported.by).toContain('analyst test');
    expect(answer.manifest.scope).toMatchObject({ kind: 'view', description: "the viewer's current view" });
    const zip = join(home.home, answer.fileName);
    writeFileSync(zip, Buffer.from(answer.zipBase64, 'base64'));
    const report = await verifyEvidenceBundle(zip);
    expect(report.failures).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.tip?.height).toBe(589);
  }, 120_000);

  it('answers 404 for a saved view the case does not have, and 400 for a body that names no scope', async () => {
    expect((await api.call('POST', `/api/cases/${caseId}/evidence`, { as: 'analyst', body: { view: 'no such view' } })).status).toBe(404);
    expect((await api.call('POST', `/api/cases/${caseId}/evidence`, { as: 'analyst', body: {} })).status).toBe(400);
  });

  it('says the proofs are missing when asked to export without them', async () => {
    const result = await api.call('POST', `/api/cases/${caseId}/evidence`, { as: 'analyst', body: { report: 'payers', proofs: 'none' } });
    expect(result.status).toBe(200);
    const answer = result.json as ExportAnswer;
    expect(answer.proofsComplete).toBe(false);
    expect(answer.missingProofs).toBe(answer.manifest.contents.transactions);
    const zip = join(home.home, 'no-proofs.zip');
    writeFileSync(zip, Buffer.from(answer.zipBase64, 'base64'));
    expect((await verifyEvidenceBundle(zip)).verdict).toBe('incomplete');
  }, 120_000);
});
