/**
 * Checks that run inside the page (given to `page.evaluate`), so exported files are read by
 * Chromium's own XML, SVG and PNG decoders. The root tsconfig has no DOM types, so the few
 * browser globals used are described here.
 */

interface MiniElement {
  readonly nodeName: string;
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): MiniElement | null;
  querySelectorAll(selector: string): Iterable<MiniElement>;
}

interface BrowserGlobals {
  DOMParser: new () => { parseFromString(text: string, type: string): MiniElement & { readonly documentElement: MiniElement } };
  atob(text: string): string;
  Blob: new (parts: readonly Uint8Array[], options: { type: string }) => object;
  createImageBitmap(blob: object): Promise<{ readonly width: number; readonly height: number }>;
  OffscreenCanvas: new (
    width: number,
    height: number,
  ) => {
    getContext(kind: '2d'): { drawImage(image: object, x: number, y: number): void; getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray } } | null;
  };
}

/** GraphML as Chromium's XML parser reads it: parse error, direction, nodes and edges. */
export function readGraphmlInPage(text: string) {
  const browser = globalThis as unknown as BrowserGlobals;
  const doc = new browser.DOMParser().parseFromString(text, 'application/xml');
  const data = (element: MiniElement, key: string): string | null => element.querySelector(`data[key="${key}"]`)?.textContent ?? null;
  return {
    error: doc.querySelector('parsererror')?.textContent ?? null,
    directed: doc.querySelector('graph')?.getAttribute('edgedefault') ?? null,
    nodes: [...doc.querySelectorAll('node')].map((n) => ({ id: n.getAttribute('id'), category: data(n, 'n_category'), label: data(n, 'n_label') })),
    edges: [...doc.querySelectorAll('edge')].map((e) => ({ source: e.getAttribute('source'), target: e.getAttribute('target'), sats: data(e, 'e_value_sats'), btc: data(e, 'e_value_btc') })),
  };
}

/** SVG as Chromium reads it: parse error, root element, the nodes' titles. */
export function readSvgInPage(text: string) {
  const browser = globalThis as unknown as BrowserGlobals;
  const doc = new browser.DOMParser().parseFromString(text, 'image/svg+xml');
  return {
    error: doc.querySelector('parsererror')?.textContent ?? null,
    root: doc.documentElement.nodeName,
    titles: [...doc.querySelectorAll('#nodes title')].map((t) => t.textContent ?? ''),
  };
}

/** Decodes a PNG (base64) and counts pixels within 5 of each of the given colours. */
export async function countColoursInPage({ base64, colours }: { base64: string; colours: Record<string, readonly number[]> }) {
  const browser = globalThis as unknown as BrowserGlobals;
  const bytes = Uint8Array.from(browser.atob(base64), (c) => c.charCodeAt(0));
  const bitmap = await browser.createImageBitmap(new browser.Blob([bytes], { type: 'image/png' }));
  const context = new browser.OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
  if (context === null) throw new Error('no 2D context in the page');
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const counts: Record<string, number> = {};
  for (const [name, [r = 0, g = 0, b = 0]] of Object.entries(colours)) {
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r) < 6 && Math.abs(data[i + 1]! - g) < 6 && Math.abs(data[i + 2]! - b) < 6) n++;
    counts[name] = n;
  }
  return counts;
}
