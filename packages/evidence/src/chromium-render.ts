/**
 * The report's PDF and the figure's PNG, rendered by a headless Chromium when one is
 * installed (Debian's `/usr/bin/chromium`; never downloaded). Without it the bundle says
 * the files were not produced, and `verify` accepts that documented absence.
 *
 * Chromium's PDF carries its creation time in `/CreationDate` and `/ModDate`; they are
 * overwritten with the export time in place (same length, so the cross-reference offsets
 * stay right), which makes the PDF as reproducible as the rest of the bundle.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const TIMEOUT_MS = 180_000;

/** The Chromium to use: the given path, `CHAINTRAIL_CHROMIUM`, or a system one; null when none exists. */
export function findChromium(explicit?: string | null, env: NodeJS.ProcessEnv = process.env): string | null {
  if (explicit) return existsSync(explicit) ? explicit : null;
  const fromEnv = env['CHAINTRAIL_CHROMIUM'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

function runChromium(chromium: string, args: readonly string[]): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'chaintrail-chromium-'));
  const all = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`,
    ...args,
  ];
  return new Promise<void>((resolve, reject) => {
    // TZ=UTC: Chromium writes PDF dates in local time, and a fixed zone keeps their length fixed.
    const child = spawn(chromium, all, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${chromium} exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
  }).finally(() => rmSync(profile, { recursive: true, force: true }));
}

/** PDF date string (`D:YYYYMMDDHHmmSS+00'00'`) of an ISO time. */
function pdfDate(iso: string): string {
  const d = new Date(iso);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+00'00'`;
}

/** Overwrites the PDF's creation and modification dates with `iso`, keeping every byte offset. */
export function fixPdfDates(pdf: Buffer, iso: string): Buffer {
  const text = pdf.toString('latin1');
  const date = pdfDate(iso);
  const fixed = text.replace(/\/(CreationDate|ModDate) \((D:[^)]*)\)/g, (whole, key: string, old: string) => (old.length === date.length ? `/${key} (${date})` : whole));
  return Buffer.from(fixed, 'latin1');
}

/** Prints a self-contained HTML document to PDF and returns its bytes, dated `iso`. */
export async function renderPdf(chromium: string, html: string, iso: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-pdf-'));
  try {
    const source = join(dir, 'report.html');
    const out = join(dir, 'report.pdf');
    writeFileSync(source, html);
    await runChromium(chromium, ['--no-pdf-header-footer', `--print-to-pdf=${out}`, pathToFileURL(source).href]);
    return fixPdfDates(readFileSync(out), iso);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rasterises an SVG document (its own width and height) to PNG bytes. */
export async function renderPng(chromium: string, svg: string, width: number, height: number): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-png-'));
  try {
    const source = join(dir, 'figure.svg');
    const out = join(dir, 'figure.png');
    writeFileSync(source, svg);
    await runChromium(chromium, [`--window-size=${width},${height}`, `--screenshot=${out}`, pathToFileURL(source).href]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
