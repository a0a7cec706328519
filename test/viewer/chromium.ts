/**
 * Debian's Chromium driven by playwright-core (no browser download: `playwright install`
 * cannot run here, and CI installs the `chromium` package with apt). CHAINTRAIL_CHROMIUM
 * names another binary.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHAINTRAIL_CHROMIUM'] ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}. Install it (apt-get install chromium) or set CHAINTRAIL_CHROMIUM to a Chromium binary.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}
