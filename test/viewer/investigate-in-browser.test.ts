/**
 * The Welcome to Video question, answered by clicking: in Debian's Chromium, against
 * `chaintrail serve` over a generated scenario world, an investigator signs in with the
 * printed login URL, opens the case, searches a seized address, expands backward until the
 * exchange its payer used appears, reads the exchange's tag and source in the side panel,
 * saves the view and reopens it after a reload exactly as it was, and exports PNG and
 * GraphML. A screenshot of each step goes to test/screenshots/viewer/.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureViewerBuilt } from './built-viewer.js';
import { launchChromium } from './chromium.js';
import { serveDemo, type ServedDemo } from './served-demo.js';
import { ViewerPage, type DrawnNode } from './viewer-page.js';

let demo: ServedDemo;
let browser: Browser;

beforeAll(async () => {
  ensureViewerBuilt();
  demo = await serveDemo(100);
  browser = await launchChromium();
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  if (demo !== undefined) rmSync(demo.home, { recursive: true, force: true });
});

async function api<T>(path: string): Promise<T> {
  const response = await fetch(demo.url + path, { headers: { authorization: `Bearer ${demo.token}` } });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** The first seized address that was paid: the investigation starts from it. */
async function paidSeed(): Promise<{ address: string; received: bigint }> {
  const lines = readFileSync(join(demo.world, 'seized-addresses.txt'), 'utf8').split('\n');
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
  const text = readFileSync(join(demo.world, 'tags.yaml'), 'utf8');
  return new Map([...text.matchAll(/- address: (\S+)\n\s+label: (.+)/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

async function openPage(width = 1400, height = 900): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
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
    await page.goto(demo.loginUrl);
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
    const colours = await page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(bitmap, 0, 0);
      const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const count = (r: number, g: number, b: number): number => {
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r) < 6 && Math.abs(data[i + 1]! - g) < 6 && Math.abs(data[i + 2]! - b) < 6) n++;
        return n;
      };
      return { exchange: count(0x15, 0x65, 0xc0), seed: count(0xd8, 0x1b, 0x60) };
    }, png.toString('base64'));
    expect(colours.exchange).toBeGreaterThan(50);
    expect(colours.seed).toBeGreaterThan(50);

    // Export GraphML: well-formed XML (Chromium's parser), every drawn node and edge, amounts exact.
    const graphml = (await download(page, /GraphML/, join(viewer.shotsDir, 'export.graphml'))).toString('utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      const data = (element: Element, key: string): string | null => element.querySelector(`data[key="${key}"]`)?.textContent ?? null;
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        directed: doc.querySelector('graph')?.getAttribute('edgedefault'),
        nodes: [...doc.querySelectorAll('node')].map((n) => ({ id: n.getAttribute('id'), category: data(n, 'n_category'), label: data(n, 'n_label') })),
        edges: [...doc.querySelectorAll('edge')].map((e) => ({ source: e.getAttribute('source'), target: e.getAttribute('target'), sats: data(e, 'e_value_sats'), btc: data(e, 'e_value_btc') })),
      };
    }, graphml);
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
});
