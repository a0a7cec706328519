import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempDir } from '../e2e/scenario-world.js';

/** A copy of a bundle folder to tamper with. */
export function copyBundle(dir: string): string {
  const copy = join(tempDir('bundle-copy'), 'bundle');
  cpSync(dir, copy, { recursive: true });
  return copy;
}

function filesOf(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesOf(root, full) : [relative(root, full).split('\\').join('/')];
  });
}

/** What a careful forger does after editing: rewrites SHA256SUMS so that every hash matches again. */
export function rehash(dir: string): void {
  const lines = filesOf(dir)
    .filter((f) => f !== 'SHA256SUMS')
    .sort()
    .map((f) => `${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}  ${f}\n`);
  writeFileSync(join(dir, 'SHA256SUMS'), lines.join(''));
}

/** Replaces the first match of `pattern` in a bundle file; fails when there is none (the test would prove nothing). */
export function edit(dir: string, file: string, pattern: RegExp, replace: (match: string, ...groups: string[]) => string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!pattern.test(text)) throw new Error(`${file} has nothing matching ${pattern}`);
  writeFileSync(path, text.replace(pattern, replace as (substring: string, ...args: unknown[]) => string));
}

/** The 1-based line of `file` where `needle` first appears. */
export function lineOf(dir: string, file: string, needle: string): number {
  const index = readFileSync(join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} is not in ${file}`);
  return index + 1;
}

/** Rows of a bundle CSV (simple ones: no quoted commas) as objects. */
export function csvRows(dir: string, file: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
  const columns = (header ?? '').split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [columns[i] as string, v])));
}
