/**
 * What every browser test file here starts with: the built viewer, `chaintrail serve` over a
 * fresh scenario world, and Chromium; all stopped and removed after the file. Call at the top
 * level of a test file.
 */
import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ensureViewerBuilt } from './built-viewer.js';
import { launchChromium } from './chromium.js';
import { serveDemo, type ServedDemo } from './served-demo.js';

export interface ViewerSuite {
  readonly demo: ServedDemo;
  readonly browser: Browser;
  /** GET an API path with the login token, parsed. */
  api<T>(path: string): Promise<T>;
}

export function viewerSuite(users: number): ViewerSuite {
  let demo: ServedDemo | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensureViewerBuilt();
    demo = await serveDemo(users);
    browser = await launchChromium();
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
    if (demo !== undefined) rmSync(demo.home, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the viewer suite has not started (viewerSuite() must be called at the top level of the test file)');
    return value;
  };
  return {
    get demo() {
      return started(demo);
    },
    get browser() {
      return started(browser);
    },
    async api<T>(path: string): Promise<T> {
      const served = started(demo);
      const response = await fetch(served.url + path, { headers: { authorization: `Bearer ${served.token}` } });
      if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
      return (await response.json()) as T;
    },
  };
}
