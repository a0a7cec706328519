/**
 * The viewer in headless Chromium on synthetic graphs of 1,000, 5,000 and 20,000 nodes
 * (CHAINTRAIL_BENCH_VIEWER_SIZES to change): time to the first drawn frame, frames per
 * second while the force layout runs (the user panning meanwhile), and while panning and
 * zooming. Target: at least 30 fps at 5,000 nodes.
 *
 * Baseline, measured in the same run on the same graph: the same layout ticking on the
 * main thread, as a viewer without the worker would; the ratio is what the worker buys.
 * Software rendering (--disable-gpu), as on a machine without a GPU; rAF caps at 60 fps.
 * On a shared machine frames per second fall with the load, so each window also reports
 * the renderer's main-thread CPU time (Chromium's TaskDuration, through the DevTools
 * protocol: the work is in the browser, not in this process) and the load average.
 */
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession } from 'playwright-core';
import { ensureViewerBuilt } from '../test/viewer/built-viewer.js';
import { launchChromium } from '../test/viewer/chromium.js';
import type { BenchReporter } from './reporter.js';

const here = dirname(fileURLToPath(import.meta.url));
const sizes = (process.env['CHAINTRAIL_BENCH_VIEWER_SIZES'] ?? '1000,5000,20000').split(',').map(Number);
const MEASURE_MS = Number(process.env['CHAINTRAIL_BENCH_VIEWER_MS'] ?? 3000);

interface FrameReport {
  readonly fps: number;
  readonly fullFps: number;
  readonly frames: number;
  readonly meanDrawMs: number;
  readonly layoutUpdates: number;
}

interface PageBench {
  readonly nodes: number;
  readonly edges: number;
  readonly firstRenderMs: number;
  duringLayout(ms: number): Promise<FrameReport>;
  duringPanZoom(ms: number): Promise<FrameReport>;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

function serveFolder(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent((request.url ?? '/').split('?')[0]!)));
    if (!path.startsWith(root) || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Seconds the page's main thread has been busy (CPU time of its tasks) since it started. */
async function mainThreadBusy(session: CDPSession): Promise<number> {
  const { metrics } = await session.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/** Runs one measured window, with the main thread's CPU seconds per wall second during it. */
async function windowed<T>(session: CDPSession, run: () => Promise<T>): Promise<T & { mainCpu: number; load: number }> {
  const before = await mainThreadBusy(session);
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const busy = (await mainThreadBusy(session)) - before;
  return { ...result, mainCpu: busy / seconds, load: loadavg()[0] ?? 0 };
}

async function measure(browser: Browser, base: string, size: number, layout: 'worker' | 'main') {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const session = await page.context().newCDPSession(page);
    await session.send('Performance.enable');
    await page.goto(`${base}/bench.html?nodes=${size}&layout=${layout}`);
    await page.waitForFunction(() => (globalThis as unknown as { chaintrailBench?: unknown }).chaintrailBench !== undefined, null, { timeout: 120_000 });
    const info = await page.evaluate(() => {
      const b = (globalThis as unknown as { chaintrailBench: PageBench }).chaintrailBench;
      return { nodes: b.nodes, edges: b.edges, firstRenderMs: b.firstRenderMs };
    });
    const duringLayout = await windowed(session, () => page.evaluate((ms) => (globalThis as unknown as { chaintrailBench: PageBench }).chaintrailBench.duringLayout(ms), MEASURE_MS));
    const duringPanZoom = layout === 'worker' ? await windowed(session, () => page.evaluate((ms) => (globalThis as unknown as { chaintrailBench: PageBench }).chaintrailBench.duringPanZoom(ms), MEASURE_MS)) : null;
    return { ...info, duringLayout, duringPanZoom };
  } finally {
    await page.close();
  }
}

export async function run(report: BenchReporter): Promise<void> {
  const outDir = ensureViewerBuilt({ config: 'vite.bench.config.ts', outDir: join(here, 'out', 'viewer-bench'), entry: 'bench.html' });
  const server = await serveFolder(outDir);
  const browser = await launchChromium();
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // What this machine's browser manages at all: the same loop on an empty canvas.
    const ceiling = await measure(browser, base, 0, 'worker');
    report.section('viewer: frame ceiling of this browser and machine (empty canvas, same loop)');
    report.metric('fps, empty canvas', ceiling.duringPanZoom!.fps, 'fps', 'rAF caps at 60; a loaded machine gets less');
    for (const size of sizes) {
      const worker = await measure(browser, base, size, 'worker');
      const main = await measure(browser, base, size, 'main');
      report.section(`viewer: ${worker.nodes.toLocaleString('en-US')} nodes, ${worker.edges.toLocaleString('en-US')} edges (headless Chromium, software canvas, 1400x900)`);
      report.metric('time to first render', worker.firstRenderMs, 'ms', 'page start to the first frame with the whole graph');
      const target = size === 5000 ? 'target >= 30; ' : '';
      const cpu = (w: { mainCpu: number; load: number }): string => `main thread CPU ${w.mainCpu.toFixed(2)} s/s, load average ${w.load.toFixed(1)}`;
      report.metric('fps during layout (layout in worker, user panning)', worker.duringLayout.fps, 'fps', `${target}${worker.duringLayout.fullFps.toFixed(1)} full redraws/s, ${(worker.duringLayout.layoutUpdates / (MEASURE_MS / 1000)).toFixed(1)} layout updates/s; ${cpu(worker.duringLayout)}`);
      report.metric('fps during pan/zoom', worker.duringPanZoom!.fps, 'fps', `${target}${worker.duringPanZoom!.fullFps.toFixed(1)} full redraws/s, ${worker.duringPanZoom!.meanDrawMs.toFixed(1)} ms script per frame; ${cpu(worker.duringPanZoom!)}`);
      report.metric('baseline: fps during layout on the main thread', main.duringLayout.fps, 'fps', `${(main.duringLayout.layoutUpdates / (MEASURE_MS / 1000)).toFixed(1)} layout updates/s; ${cpu(main.duringLayout)}`);
      report.ratio('fps during layout, worker vs main thread', worker.duringLayout.fps / Math.max(0.01, main.duringLayout.fps), { target: '>= 1' });
      report.ratio('fps during pan/zoom vs empty canvas', worker.duringPanZoom!.fps / Math.max(0.01, ceiling.duringPanZoom!.fps), { target: size <= 5000 ? '>= 0.5 (30 of 60 fps)' : 'as high as it goes' });
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
