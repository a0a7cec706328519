/**
 * The Welcome to Video question, answered by clicking: in Debian's Chromium, against
 * `chaintrail serve` over a generated scenario world, an investigator signs in with the
 * printed login URL, opens the case, searches a seized address, expands backward until the
 * exchange its payer used appears, reads the exchange's tag and source in the side panel,
 * saves the view and reopens it after a reload exactly as it was, and exports PNG and
 * GraphML. A screenshot of each step goes to test/screenshots/viewer/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { countColoursInPage, readGraphmlInPage, readSvgInPage } from './in-page-checks.js';
import { viewerSuite } from './viewer-suite.js';
import { ViewerPage, type DrawnNode } from './viewer-page.js';

const suite = viewerSuite(100);
const api = <T>(path: string): Promise<T> => suite.api<T>(path);

/** The first seized address that was paid: the investigation starts from it. */
async function paidSeed(): Promise<{ address: string; received: bigint }> {
  const lines = readFileSync(join(suite.demo.world, 'seized-addresses.txt'), 'utf8').split('\n');
  const { cases } = await api<{ cases: { id: string }[] }>('/api/cases');
  const { items } = await api<{ items: { address: string }[] }>(`/api/cases/${cases[0]!.id}/seeds?limit=1000`);
  for (const { address } of items) {
    if (!lines.some((line) => line.trim() === address)) continue;
    const summary = await api<{ txCount: number; received: string }>(`/api/addresses/${address}`).catch(() => null);
    if (summary !== null && summary.txCount > 0) return { address, received: BigInt(summary.received) };
  }
  throw new Error('no seized address of the world was paid');
}

/** Tags of the world's TagPack: address → label. */
function worldTags(): Map<string, string> {
  const text = readFileSync(join(suite.demo.world, 'tags.yaml'), 'utf8');
  return new Map([...text.matchAll(/- address: (\S+)\n\s+label: (.+)/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

async function openPage(width = 1400, height = 900): Promise<{ page: Page; errors: string[] }> {
  const context = await suite.browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

/** What the canvas itself holds (no overlays), drawn with the pointer away from every node. */
async function canvasPixels(page: Page): Promise<Buffer> {
  await page.mouse.move(1, 1);
  await page.waitForTimeout(300);
  const url = await page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): { toDataURL(): string } } }).document.querySelector('canvas.graph-canvas').toDataURL());
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

async function drawnState(viewer: ViewerPage) {
  const nodes = (await viewer.nodes()).map((n) => `${n.key} ${n.category} ${n.label ?? ''}`).sort();
  const edges = (await viewer.edges()).map((e) => `${e.key} ${e.value}`).sort();
  const positions = await viewer.page.evaluate(() => (globalThis as unknown as { chaintrailCanvas: { positions(): Record<string, [number, number]> } }).chaintrailCanvas.positions());
  const viewport = await viewer.page.evaluate(() => (globalThis as unknown as { chaintrailCanvas: { viewport(): { transform: unknown } } }).chaintrailCanvas.viewport().transform);
  return { nodes, edges, positions, viewport };
}

async function download(page: Page, format: RegExp, to: string): Promise<Buffer> {
  await page.getByRole('button', { name: /^Export/ }).click();
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: format }).click()]);
  await file.saveAs(to);
  return readFileSync(to);
}

describe('the viewer in Chromium, against chaintrail serve', () => {
  it('follows a seized address back to the exchange that paid it, saves and reopens the view, exports PNG and GraphML', async () => {
    const seed = await paidSeed();
    const tags = worldTags();
    const { page, errors } = await openPage();
    const viewer = new ViewerPage(page, 'viewer');

    // Sign in with the URL chaintrail serve printed; the token leaves the address bar.
    await page.goto(suite.demo.loginUrl);
    await page.waitForSelector('.workspace');
    expect(page.url()).not.toContain('token');
    // The only case opens by itself, with its seeds and where its jobs stand.
    await expect.poll(() => page.locator('#case-title').innerText()).toBe('demo');
    await page.waitForSelector('.seed-list li');
    expect(await page.locator('.jobs').innerText()).toMatch(/ingest: done/);
    expect(await page.locator('.seed-list').innerText()).toContain(seed.address);
    await viewer.shot('case-opened');

    // Search the seized address and put it on the canvas.
    await page.locator('#search-input').fill(seed.address);
    await page.waitForSelector('.search-result');
    await viewer.shot('search-result');
    await page.locator('#search-input').press('Enter');
    await viewer.settle();
    expect((await viewer.nodes()).map((n) => [n.key, n.category])).toEqual([[`address:${seed.address}`, 'seed']]);
    await viewer.shot('seed-on-canvas');

    // Expand backward, one hop at a time from the oldest unexpanded address, until an exchange appears.
    let exchange: DrawnNode | undefined;
    for (let round = 0; round < 10 && exchange === undefined; round++) {
      const next = (await viewer.nodes()).find((n) => n.key.startsWith('address:') && !n.expandedIn);
      if (next === undefined) break;
      await viewer.clickNode(next.key);
      await viewer.key('b');
      await viewer.settle();
      exchange = (await viewer.nodes()).find((n) => n.category === 'exchange');
    }
    expect(exchange, 'an exchange-tagged entity within 10 backward expansions').toBeDefined();
    const exchangeLabels = new Set(tags.values());
    expect(exchangeLabels).toContain(exchange!.label);
    // What the seed received is what the edges into it carry.
    const intoSeed = (await viewer.edges()).filter((e) => e.key.endsWith(`>address:${seed.address}`));
    expect(intoSeed.reduce((sum, e) => sum + BigInt(e.value), 0n)).toBe(seed.received);
    await viewer.shot('exchange-reached');

    // The side panel names the exchange and shows its tag with source and confidence.
    await viewer.clickNode(exchange!.key);
    await page.waitForSelector('table.tags tbody tr');
    await expect.poll(() => page.getByTestId('category-badge').innerText()).toBe('Exchange');
    const rows = await page.locator('table.tags tbody tr').allInnerTexts();
    const row = rows.find((text) => text.includes(exchange!.label!));
    expect(row).toBeDefined();
    expect(row).toContain('tags.yaml');
    expect(row).toContain('service_data');
    await viewer.shot('exchange-tag-and-source');

    // Save the view.
    await viewer.settle();
    const before = await drawnState(viewer);
    const pixelsBefore = await canvasPixels(page);
    await page.getByRole('button', { name: /^Views/ }).click();
    await page.getByLabel('Save the canvas as').fill('payer via exchange');
    await page.getByRole('button', { name: 'Save new' }).click();
    await expect.poll(async () => (await viewer.messages()).join(' ')).toContain('View "payer via exchange" saved');
    await viewer.shot('view-saved');

    // Reload: the tab keeps its sign-in and case, the canvas starts empty; reopen the view.
    await page.reload();
    await page.waitForSelector('.workspace');
    await expect.poll(() => page.locator('#case-title').isVisible()).toBe(true);
    expect(await viewer.nodes()).toEqual([]);
    await viewer.shot('reloaded-empty');
    await page.getByRole('button', { name: /^Views/ }).click();
    await page.getByRole('button', { name: 'payer via exchange', exact: true }).click();
    await expect.poll(async () => (await viewer.nodes()).length).toBe(before.nodes.length);
    await viewer.settle();
    expect(await drawnState(viewer)).toEqual(before);
    const pixelsAfter = await canvasPixels(page);
    writeFileSync(join(viewer.shotsDir, 'canvas-before-save.png'), pixelsBefore);
    writeFileSync(join(viewer.shotsDir, 'canvas-after-reopen.png'), pixelsAfter);
    expect(pixelsAfter.equals(pixelsBefore), 'the reopened view draws the same pixels').toBe(true);
    await viewer.shot('view-reopened');

    // Export PNG: a real PNG of the view at twice the resolution, with the exchange's colour in it.
    const png = await download(page, /PNG image/, join(viewer.shotsDir, 'export.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const { width } = await page.locator('canvas.graph-canvas').boundingBox().then((box) => box!);
    expect(png.readUInt32BE(16)).toBe(Math.round(width) * 2);
    const colours = await page.evaluate(countColoursInPage, { base64: png.toString('base64'), colours: { exchange: [0x15, 0x65, 0xc0], seed: [0xd8, 0x1b, 0x60] } });
    expect(colours.exchange).toBeGreaterThan(50);
    expect(colours.seed).toBeGreaterThan(50);

    // Export GraphML: well-formed XML (Chromium's parser), every drawn node and edge, amounts exact.
    const graphml = (await download(page, /GraphML/, join(viewer.shotsDir, 'export.graphml'))).toString('utf8');
    const parsed = await page.evaluate(readGraphmlInPage, graphml);
    expect(parsed.error).toBeNull();
    expect(parsed.directed).toBe('directed');
    expect(parsed.nodes.map((n) => n.id).sort()).toEqual(before.nodes.map((line) => line.split(' ')[0]).sort());
    expect(parsed.nodes.find((n) => n.id === exchange!.key)).toEqual({ id: exchange!.key, category: 'exchange', label: exchange!.label });
    expect(parsed.edges).toHaveLength(before.edges.length);
    for (const edge of parsed.edges) {
      const sats = BigInt(edge.sats!);
      expect(edge.btc).toBe(`${sats / 100_000_000n}.${(sats % 100_000_000n).toString().padStart(8, '0')}`);
    }
    writeFileSync(join(viewer.shotsDir, 'page-errors.txt'), errors.join('\n'));
    expect(errors).toEqual([]);
  }, 600_000);

  it('says why a token is refused, then works at entity level: collapse, expand, path, filters, notes, hide, exports', async () => {
    const { page, errors } = await openPage();
    const viewer = new ViewerPage(page, 'viewer-tools');

    // A token that is not (or no longer) valid: the sign-in screen says what happened and what to do.
    await page.goto(`${suite.demo.url}/#token=ct_0000000000000000_not-a-real-token`);
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('This token is not accepted');
    expect(await page.getByRole('alert').innerText()).toContain('chaintrail serve');
    await viewer.shot('refused-token');
    // Pasting the printed login URL signs in.
    await page.getByLabel('Login URL or token').fill(suite.demo.loginUrl);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('.seed-list li');

    // The first 20 seeds on the canvas, then one collapsed into its entity: the site's wallet.
    await page.getByRole('button', { name: /Add the first 20 seeds/ }).click();
    await viewer.settle();
    const seeds = await viewer.nodes();
    expect(seeds).toHaveLength(20);
    expect(new Set(seeds.map((n) => n.category))).toEqual(new Set(['seed']));
    await viewer.shot('twenty-seeds');
    const paid = await paidSeed();
    await viewer.clickNode(`address:${paid.address}`);
    await viewer.key('c');
    await viewer.settle();
    const site = (await viewer.nodes()).find((n) => n.key.startsWith('entity:'));
    expect(site?.category).toBe('site');
    expect(await page.locator('.node-header').innerText()).toMatch(/\d+ address(es)? drawn as this entity/);
    await viewer.shot('seed-collapsed-into-site-wallet');

    // Who paid the site's wallet, entity by entity: the exchanges are among them.
    await viewer.key('b');
    await viewer.settle();
    const payers = await viewer.nodes();
    const exchanges = payers.filter((n) => n.category === 'exchange');
    expect(exchanges.length).toBeGreaterThan(0);
    for (const exchange of exchanges) expect(new Set(worldTags().values())).toContain(exchange.label);
    await viewer.shot('site-wallet-payers');

    // The money path from an exchange to the site's wallet.
    const exchange = exchanges[0]!;
    await viewer.clickNode(site!.key);
    await viewer.clickNode(exchange.key, true);
    await page.getByRole('button', { name: /Highlight the money path/ }).click();
    await expect.poll(() => page.locator('.path-note').innerText()).toMatch(/Highlighted: \d+ hops? from entity .* to entity/);
    await viewer.settle();
    await viewer.shot('path-exchange-to-site');

    // A minimum value thins the canvas in place: what stays keeps its position.
    const edgesBefore = await viewer.edges();
    const positionsBefore = await page.evaluate(() => (globalThis as unknown as { chaintrailCanvas: { positions(): Record<string, [number, number]> } }).chaintrailCanvas.positions());
    const values = edgesBefore.map((e) => BigInt(e.value)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const median = values[Math.floor(values.length / 2)]!;
    await page.getByLabel('Min BTC').first().fill(`${median / 100_000_000n}.${(median % 100_000_000n).toString().padStart(8, '0')}`);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(async () => (await viewer.edges()).length).toBeLessThan(edgesBefore.length);
    for (const edge of await viewer.edges()) expect(BigInt(edge.value) >= median || edge.kind === 'member').toBe(true);
    const positionsAfter = await page.evaluate(() => (globalThis as unknown as { chaintrailCanvas: { positions(): Record<string, [number, number]> } }).chaintrailCanvas.positions());
    for (const [key, at] of Object.entries(positionsAfter)) expect(at).toEqual(positionsBefore[key]);
    expect(await page.locator('.filters').innerText()).toMatch(/\d+ nodes, \d+ edges filtered out/);
    await viewer.shot('filtered-by-minimum-value');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(async () => (await viewer.edges()).length).toBe(edgesBefore.length);

    // A note and a colour label on the exchange, kept by the API for the case.
    await viewer.clickNode(exchange.key);
    await page.getByLabel('Note').fill('Subpoena: KYC of the account that withdrew here');
    await page.getByRole('radio', { name: 'red' }).check();
    await page.getByRole('button', { name: 'Save note' }).click();
    await expect.poll(async () => (await viewer.messages()).join(' ')).toContain('Note saved');
    const { cases } = await api<{ cases: { id: string }[] }>('/api/cases');
    const [kind, id] = [exchange.key.slice(0, exchange.key.indexOf(':')), exchange.key.slice(exchange.key.indexOf(':') + 1)];
    const { annotations } = await api<{ annotations: { text: string; colour: string | null }[] }>(`/api/cases/${cases[0]!.id}/annotations?kind=${kind}&id=${encodeURIComponent(id)}`);
    expect(annotations).toEqual([expect.objectContaining({ text: 'Subpoena: KYC of the account that withdrew here', colour: 'red' })]);
    await viewer.shot('note-and-colour');

    // Hide and show again; pin.
    await viewer.key('h');
    await expect.poll(async () => (await viewer.nodes()).some((n) => n.key === exchange.key)).toBe(false);
    await viewer.key('H');
    await expect.poll(async () => (await viewer.nodes()).some((n) => n.key === exchange.key)).toBe(true);

    // The shortcuts are listed where an investigator looks for them.
    await viewer.key('?');
    await expect.poll(() => page.getByRole('dialog').innerText()).toContain('Keyboard shortcuts');
    await viewer.shot('shortcut-help');
    await page.keyboard.press('Escape');

    // SVG and CSV exports of what is drawn.
    const drawn = await viewer.nodes();
    const svg = (await download(page, /SVG image/, join(viewer.shotsDir, 'export.svg'))).toString('utf8');
    const svgCheck = await page.evaluate(readSvgInPage, svg);
    expect(svgCheck.error).toBeNull();
    expect(svgCheck.root).toBe('svg');
    expect(svgCheck.titles.some((t) => t.includes(exchange.label!))).toBe(true);
    const nodesCsv = (await download(page, /Nodes CSV/, join(viewer.shotsDir, 'nodes.csv'))).toString('utf8').trim().split('\r\n');
    expect(nodesCsv[0]).toBe('key,kind,id,label,category,entity,collapsed_addresses,note,colour,x,y');
    expect(nodesCsv).toHaveLength(drawn.length + 1);
    expect(nodesCsv.find((line) => line.startsWith(`${exchange.key},`))).toContain('Subpoena: KYC of the account that withdrew here,red');
    const edgesCsv = (await download(page, /Edges CSV/, join(viewer.shotsDir, 'edges.csv'))).toString('utf8').trim().split('\r\n');
    expect(edgesCsv).toHaveLength((await viewer.edges()).length + 1);
    expect(errors).toEqual([]);
  }, 600_000);
});
