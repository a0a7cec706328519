/**
 * A generated scenario world (packages/scenario) as GraphStore writes, block by block, with
 * its ground truth. Worlds are cached by size and seed in `dir`, since a large one takes
 * minutes to generate.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseOptions } from '@chaintrail/core';
import { generateWorld, readTruth, type Truth, type WorldSummary } from '@chaintrail/scenario';
import { blkBlocks, loadBlocks, type LoadedBlock } from './block-fixtures.js';

export interface ScenarioWorld {
  readonly dir: string;
  readonly summary: WorldSummary;
}

/** Generates the world once into `dir` (kept for the next run when `summary.json` is there). */
export async function scenarioWorld(dir: string, users: number, seed: number): Promise<ScenarioWorld> {
  const marker = join(dir, 'summary.json');
  if (existsSync(marker)) return { dir, summary: JSON.parse(readFileSync(marker, 'utf8'), reviveBigInt) as WorldSummary };
  const summary = await generateWorld({ users, seed }, dir);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(marker, JSON.stringify(summary, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
  return { dir, summary };
}

/** The world's blocks in chain order, one blk file at a time (memory stays bounded). */
export function* worldBlocks(world: ScenarioWorld, options?: ParseOptions): Generator<LoadedBlock> {
  const blocksDir = join(world.dir, 'blocks');
  let height = world.summary.firstHeight;
  for (const file of readdirSync(blocksDir).filter((f) => /^blk\d+\.dat$/.test(f)).sort()) {
    for (const raw of blkBlocks(readFileSync(join(blocksDir, file)))) {
      yield loadBlocks([raw], height++, options)[0]!;
    }
  }
}

export function worldTruth(world: ScenarioWorld): Promise<Truth> {
  return readTruth(join(world.dir, 'truth.json'));
}

function reviveBigInt(_key: string, value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value;
}
