/**
 * The reports panel and "Export evidence", in Debian's Chromium against `chaintrail serve`
 * over a generated scenario world: the payers report's rows put their money path on the
 * canvas (service entity → its withdrawal → ... → the seized address) with the service in
 * the side panel; the flows report under a chosen model, reconciled; an evidence bundle of
 * the current view downloaded and checked with the evidence package's verifier; a viewer
 * token refused with a reason, a server failure shown as one. Screenshots of each step go
 * to test/screenshots/viewer-reports/.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBundle, verifyEvidenceBundle } from '@chaintrail/evidence';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chaintrailJson } from '../e2e/cli-binary.js';
import { viewerSuite } from './viewer-suite.js';
import { ViewerPage } from './viewer-page.js';

const suite = viewerSuite(100);
const api = <T>(path: string): Promise<T> => suite.api<T>(path);

interface Step {
  readonly txid: string;
  readonly address: string | null;
}

interface PayersWire {
  readonly computedAt: { readonly height: number };
  readonly summary: { readonly payments: number };
  readonly payments: ReadonlyArray<{
    readonly txid: string;
    readonly vout: number;
    readonly value: string;
    readonly seed: { readonly address: string };
    readonly status: string;
    readonly attribution: { readonly service: string; readonly hops: number; readonly path: readonly Step[]; readonly entities: ReadonlyArray<{ readonly node: { readonly kind: string; readonly id: string } }> } | null;
  }>;
  readonly services: ReadonlyArray<{ readonly service: string; readonly amount: string }>;
}

interface FlowsWire {
  readonly results: ReadonlyArray<{ readonly model: { readonly name: string }; readonly reconciliation: { readonly received: string }; readonly destinations: ReadonlyArray<{ readonly entity: { readonly node: { readonly kind: string; readonly id: string } }; readonly path: readonly Step[] }> }>;
}

const btcText = (sats: bigint): string => `${sats / 100_000_000n}.${(sats % 100_000_000n).toString().padStart(8, '0')}`;

async function openPage(url: string, shots: string): Promise<{ page: Page; viewer: ViewerPage; errors: string[] }> {
  const context = await suite.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('.seed-list li');
  return { page, viewer: new ViewerPage(page, shots), errors };
}

function pathKeys(steps: readonly Step[]): string[] {
  return steps.flatMap((s) => [`tx:${s.txid}`, ...(s.address === null ? [] : [`address:${s.address}`])]);
}

describe('reports and evidence in the viewer, against chaintrail serve', () => {
  it("puts a payers report row's path on the canvas with its service in the side panel, and a flows row under the chosen model", async () => {
    const { cases } = await api<{ cases: { id: string }[] }>('/api/cases');
    const caseId = cases[0]!.id;
    const report = await api<PayersWire>(`/api/cases/${caseId}/reports/payers`);
    // The deepest attributed payment: the most to draw.
    const payment = [...report.payments].filter((p) => p.attribution !== null).sort((a, b) => b.attribution!.hops - a.attribution!.hops)[0]!;
    const attribution = payment.attribution!;
    const { page, viewer, errors } = await openPage(suite.demo.loginUrl, 'viewer-reports');

    // r opens the panel; nothing is computed before the investigator asks.
    await viewer.key('r');
    await expect.poll(() => page.getByRole('tab', { name: /payers/ }).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('.reports-body').innerText()).toContain('Click a row to put its path on the canvas');
    await viewer.shot('reports-panel-opened');

    await page.getByRole('button', { name: 'Run the payers report' }).click();
    await page.waitForSelector('tr.path-row');
    expect(await page.getByTestId('payers-summary').innerText()).toContain(`${report.summary.payments} payments`);
    expect(await page.getByTestId('report-tip').innerText()).toContain(`block ${report.computedAt.height.toLocaleString('en-US')}`);
    expect(await page.getByTestId('report-parameters').innerText()).toContain('hopLimit 8');
    expect(await page.locator('tr.path-row').count()).toBe(report.payments.length);
    await viewer.shot('payers-report');

    // Click the row: the path from the service to the seized address is drawn and highlighted.
    const row = page.locator(`tr[data-row-id="${payment.txid}:${payment.vout}"]`);
    expect(await row.innerText()).toContain(btcText(BigInt(payment.value)));
    await row.click();
    await viewer.settle();
    const drawn = await viewer.nodes();
    const keys = new Set(drawn.map((n) => n.key));
    const steps = [...attribution.path].reverse();
    for (const key of pathKeys(steps)) expect(keys, `${key} on the canvas`).toContain(key);
    const service = drawn.find((n) => n.key === `entity:${attribution.entities[0]!.node.id}`);
    expect(service).toMatchObject({ category: 'exchange', label: attribution.service });
    const intoSeed = (await viewer.edges()).find((e) => e.key === `tx:${payment.txid}>address:${payment.seed.address}`);
    expect(intoSeed?.value).toBe(payment.value);
    // Its service in the side panel, the path named, the row marked.
    await expect.poll(() => page.getByTestId('category-badge').innerText()).toBe('Exchange');
    expect(await page.locator('.node-id').innerText()).toBe(attribution.service);
    expect(await page.locator('.path-note').innerText()).toContain(`from ${attribution.service}, ${attribution.hops} hops`);
    expect(await row.getAttribute('aria-selected')).toBe('true');
    await viewer.shot('payer-path-on-canvas');

    // Without a mouse: the next row with the arrow key, shown with Enter.
    await row.focus();
    await page.keyboard.press('ArrowDown');
    const next = page.locator('tr.path-row:focus');
    const nextId = await next.getAttribute('data-row-id');
    expect(nextId).not.toBe(`${payment.txid}:${payment.vout}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator(`tr[data-row-id="${nextId}"]`).getAttribute('aria-selected')).toBe('true');
    await viewer.settle();

    // Grouped by service: the subpoena list with each service's total.
    await page.getByRole('button', { name: /By service/ }).click();
    const group = report.services[0]!;
    expect(await page.locator('tr.group-row').first().innerText()).toContain(`${group.service}`);
    expect(await page.locator('tr.group-row').first().innerText()).toContain(`total ${btcText(BigInt(group.amount))} BTC`);
    await viewer.shot('payers-by-service');

    // Flows from the seeds' entities, under FIFO; the totals reconcile to the satoshi.
    const flows = await api<FlowsWire>(`/api/cases/${caseId}/reports/flows?fromSeeds=true`);
    const fifo = flows.results.find((r) => r.model.name === 'fifo')!;
    await page.getByRole('tab', { name: /flows/ }).click();
    await page.getByRole('button', { name: 'Trace the flows' }).click();
    await page.waitForSelector('tr.path-row');
    await page.getByRole('radio', { name: 'FIFO' }).check();
    await expect.poll(() => page.getByTestId('flow-model').innerText()).toContain('fifo');
    expect(await page.getByTestId('reconciliation').innerText()).toContain(`Reconciles to the satoshi: ${btcText(BigInt(fifo.reconciliation.received))}`);
    expect(await page.locator('tr.path-row').count()).toBe(fifo.destinations.length);
    const destination = fifo.destinations[0]!;
    await page.locator('tr.path-row').first().click();
    await viewer.settle();
    const afterFlow = new Set((await viewer.nodes()).map((n) => n.key));
    for (const key of pathKeys(destination.path).filter((k) => k.startsWith('tx:'))) expect(afterFlow).toContain(key);
    expect(afterFlow).toContain(`${destination.entity.node.kind}:${destination.entity.node.id}`);
    await expect.poll(() => page.locator('.node-header').innerText()).toContain(destination.entity.node.id);
    expect(await page.locator('.path-note').innerText()).toContain('under fifo');
    await viewer.shot('flows-fifo-path-on-canvas');
    expect(errors).toEqual([]);
  }, 600_000);

  it('exports the current view as an evidence bundle that passes the offline file checks; a viewer token and a server failure are told apart', async () => {
    const { page, viewer, errors } = await openPage(suite.demo.loginUrl, 'viewer-evidence');
    await page.getByRole('button', { name: /Add the first 20 seeds/ }).click();
    await viewer.settle();
    expect(await viewer.nodes()).toHaveLength(20);

    await page.getByRole('button', { name: /^Evidence/ }).click();
    expect(await page.getByRole('radio', { name: /The current view/ }).isChecked()).toBe(true);
    await viewer.shot('evidence-menu');
    const to = join(viewer.shotsDir, 'evidence.zip');
    const downloaded = page.waitForEvent('download', { timeout: 300_000 });
    // Awaited below; a failure before that must not surface as an unhandled rejection.
    downloaded.catch(() => undefined);
    await page.getByRole('button', { name: 'Export evidence' }).click();
    // Progress while the server builds the bundle, with a way to cancel.
    await expect.poll(() => page.locator('.tasks li').first().innerText()).toMatch(/Export evidence: current view \(20 nodes\)\s+\(the server is gathering transactions and proofs… \d+ s\)\s+Cancel/);
    await viewer.shot('evidence-in-progress');
    const file = await downloaded;
    await file.saveAs(to);
    await expect.poll(async () => (await viewer.messages()).join(' ')).toContain('Evidence bundle saved');
    await viewer.shot('evidence-saved');

    // The file is the one the server built: its SHA-256 is in its name, as the server stated it.
    const zip = readFileSync(to);
    const sha256 = createHash('sha256').update(zip).digest('hex');
    expect(file.suggestedFilename()).toBe(`demo-evidence-${sha256.slice(0, 12)}.zip`);
    await page.getByRole('button', { name: /^Evidence/ }).click();
    expect(await page.locator('.last-evidence').innerText()).toContain(sha256);
    await viewer.shot('evidence-last-bundle');
    await page.keyboard.press('Escape');

    const bundle = await openBundle(to);
    let manifest: { scope: { kind: string; description: string }; exported: { by: string }; case: { name: string } };
    try {
      expect(bundle.files).toEqual(expect.arrayContaining(['manifest.json', 'SHA256SUMS']));
      manifest = JSON.parse((await bundle.read('manifest.json')).toString('utf8')) as typeof manifest;
      // Every file of the bundle is listed in SHA256SUMS.
      const sums = (await bundle.read('SHA256SUMS')).toString('utf8');
      for (const name of bundle.files.filter((f) => f !== 'SHA256SUMS')) expect(sums).toContain(`  ${name}\n`);
      // The seeds' own payments are cited with their raw transactions.
      const raw = bundle.files.filter((f) => f.startsWith('raw/'));
      expect(raw.length).toBeGreaterThan(0);
    } finally {
      await bundle.close();
    }
    expect(manifest.scope).toMatchObject({ kind: 'view', description: "the viewer's current view" });
    expect(manifest.case.name).toBe('demo');
    expect(manifest.exported.by).toContain('role analyst');
    const verdict = await verifyEvidenceBundle(to);
    writeFileSync(join(viewer.shotsDir, 'evidence-verify.json'), JSON.stringify({ verdict: verdict.verdict, failures: verdict.failures }, null, 2));
    // The bundle the viewer saved passes the offline verification whole: files, manifest, raw
    // transactions, every recomputed table figure, merkle proofs and headers.
    expect(verdict.failures).toEqual([]);
    expect(verdict.verdict).toBe('pass');

    // A viewer (read-only) token is refused, and told what it needs.
    const created = await chaintrailJson<{ token: string }>(['token', 'create', '--role', 'viewer', '--label', 'prosecutor'], { home: suite.demo.home });
    const reader = await openPage(`${suite.demo.url}/#token=${created.token}`, 'viewer-evidence-read-only');
    await reader.page.getByRole('button', { name: /Add the first 20 seeds/ }).click();
    await reader.viewer.settle();
    await reader.page.getByRole('button', { name: /^Evidence/ }).click();
    expect(await reader.page.locator('.evidence-menu').innerText()).toContain('read-only (viewer role)');
    await reader.page.getByRole('button', { name: 'Export evidence' }).click();
    await expect.poll(() => reader.page.getByRole('alert').innerText()).toContain('Exporting evidence needs an analyst token');
    await reader.viewer.shot('evidence-refused-viewer-token');

    // A failure on the server is named as one, with its request id, and nothing is saved.
    await page.route('**/api/cases/*/evidence', (route) =>
      route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'CHAINTRAIL_INTERNAL', message: 'The proof source could not be read.', requestId: 'req-e2e-1' } }) }),
    );
    let downloads = 0;
    page.on('download', () => downloads++);
    await page.getByRole('button', { name: /^Evidence/ }).click();
    await page.getByRole('button', { name: 'Export evidence' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('HTTP 500, request req-e2e-1');
    expect(await page.getByRole('alert').innerText()).toContain('Nothing was downloaded');
    expect(downloads).toBe(0);
    await viewer.shot('evidence-server-failure');
    expect([...errors, ...reader.errors]).toEqual([]);
  }, 600_000);
});
