/**
 * Driving the viewer as an investigator does: clicks on canvas nodes (found through the
 * read-only `window.chaintrailCanvas` the viewer exposes), keyboard shortcuts, and a
 * screenshot after each step into test/screenshots/ (git ignores it).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../support/shared-data.js';

export interface DrawnNode {
  readonly key: string;
  readonly category: string;
  readonly label: string | null;
  readonly expandedIn: boolean;
  readonly expandedOut: boolean;
  readonly detailsLoaded: boolean;
}

export interface DrawnEdge {
  readonly key: string;
  readonly value: string;
  readonly kind: string;
}

interface CanvasHook {
  nodeClientPosition(key: string): { x: number; y: number } | null;
  drawnNodes(): DrawnNode[];
  drawnEdges(): DrawnEdge[];
  viewport(): { width: number; height: number; transform: { x: number; y: number; k: number } };
  positions(): Record<string, [number, number]>;
  stats(): { layoutRunning: boolean };
}

/** `globalThis` inside the page, as functions given to `page.evaluate` see it. */
type PageGlobal = typeof globalThis & { chaintrailCanvas: CanvasHook; document: { querySelectorAll(selector: string): { length: number } } };

export class ViewerPage {
  private step = 0;
  readonly shotsDir: string;

  constructor(
    readonly page: Page,
    folder: string,
  ) {
    this.shotsDir = join(repoRoot, 'test', 'screenshots', folder);
    mkdirSync(this.shotsDir, { recursive: true });
  }

  async shot(name: string): Promise<string> {
    await this.page.mouse.move(1, 1);
    const path = join(this.shotsDir, `${String(++this.step).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  nodes(): Promise<DrawnNode[]> {
    return this.page.evaluate(() => (globalThis as PageGlobal).chaintrailCanvas.drawnNodes());
  }

  edges(): Promise<DrawnEdge[]> {
    return this.page.evaluate(() => (globalThis as PageGlobal).chaintrailCanvas.drawnEdges());
  }

  /** Clicks a node where it is drawn (Shift+click adds it to the selection). */
  async clickNode(key: string, shift = false): Promise<void> {
    const at = await this.page.evaluate((k) => (globalThis as PageGlobal).chaintrailCanvas.nodeClientPosition(k), key);
    if (at === null) throw new Error(`${key} is not drawn`);
    await this.page.mouse.move(at.x, at.y);
    if (shift) await this.page.keyboard.down('Shift');
    await this.page.mouse.down();
    await this.page.mouse.up();
    if (shift) await this.page.keyboard.up('Shift');
  }

  /** A keyboard shortcut, with focus on the canvas (not in a field). */
  async key(key: string): Promise<void> {
    await this.page.locator('canvas.graph-canvas').focus();
    await this.page.keyboard.press(key);
  }

  /** Waits until no task runs, node details have arrived and the layout has settled. */
  async settle(timeout = 60_000): Promise<void> {
    await this.page.waitForFunction(
      () => (globalThis as PageGlobal).document.querySelectorAll('.tasks li').length === 0 && (globalThis as PageGlobal).chaintrailCanvas.drawnNodes().every((n) => n.detailsLoaded) && !(globalThis as PageGlobal).chaintrailCanvas.stats().layoutRunning,
      null,
      { timeout, polling: 200 },
    );
    // The fit after the layout settles, and the frame after it.
    await this.page.waitForTimeout(400);
  }

  /** The text of the status messages shown. */
  messages(): Promise<string[]> {
    return this.page.locator('.message').allInnerTexts();
  }
}
