/**
 * The built viewer (apps/viewer/dist) that `chaintrail serve` serves. Built here when
 * missing or older than its sources, so a browser test never drives yesterday's bundle.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/shared-data.js';

export const viewerDir = join(repoRoot, 'apps', 'viewer');

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

export interface BuildOptions {
  /** Vite config in apps/viewer (default vite.config.ts: the viewer that serve ships). */
  readonly config?: string;
  readonly outDir?: string;
  /** The page whose age decides whether to build again. */
  readonly entry?: string;
}

/** Builds `apps/viewer` unless the output is newer than every source; returns the output folder. */
export function ensureViewerBuilt(options: BuildOptions = {}): string {
  const config = options.config ?? 'vite.config.ts';
  const outDir = options.outDir ?? join(viewerDir, 'dist');
  const entry = join(outDir, options.entry ?? 'index.html');
  const sources = Math.max(...[join(viewerDir, 'src'), join(viewerDir, options.entry ?? 'index.html'), join(viewerDir, config)].map(newestSource));
  if (existsSync(entry) && statSync(entry).mtimeMs >= sources) return outDir;
  const vite = join(viewerDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const run = spawnSync(process.execPath, [vite, 'build', '--config', config, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: viewerDir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`Building the viewer failed (pnpm --filter @chaintrail/viewer build):\n${run.stderr}\n${run.stdout}`);
  return outDir;
}
