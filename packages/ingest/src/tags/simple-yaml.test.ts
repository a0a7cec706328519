import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { sharedData } from '../../../../test/support/shared-data.js';
import { readSimpleItem } from './simple-yaml.js';

/** What the `yaml` package makes of one sequence item. */
function reference(lines: readonly string[]): unknown {
  return (parse(lines.join('\n')) as unknown[])[0];
}

describe('the fast TagPack item reader agrees with the yaml package or declines', () => {
  const items: string[][] = [
    ['- address: 1Archive1n2C579dMsAu3iC6tWzuQJz8dN', '  label: Internet Archive'],
    ["- address: '0xFA8E3920daF271daB92Be9B87d9998DDd94FEF08'", "  label: 'it''s quoted' # comment"],
    ['- label: "double # not a comment"', '  url: https://github.com/x/y#L24', '  flag: true', '  other: False', '  none: ~', '  nothing: null'],
    ['  - address: x', '', '    # a comment line', '    label: indented sequence'],
    ['- label: 2021-11-12', '  when: 12:30'],
    ['- count: 12'],
    ['- value: 1.5e3'],
    ['- value: 0x1f'],
    ['- label: a: b'],
    ['- label: [a, b]'],
    ['- label: &anchor x'],
    ['- label: !tag x'],
    ['- label: "escaped \\" quote"'],
    ['- label: >', '    folded'],
    ['- label: long', '    continued'],
    ['- label: a', '  label: b'],
    ['-', '  label: x'],
    ['- label:'],
    ['- label: -dash'],
  ];
  test.each(items)('%s', (...lines) => {
    const fast = readSimpleItem(lines, 1);
    if (fast !== null) expect(fast.values).toEqual(reference(lines));
  });

  test('reads the plain packs and declines what it cannot read exactly', () => {
    expect(readSimpleItem(items[0]!, 1)).not.toBeNull();
    expect(readSimpleItem(items[5]!, 1)).toBeNull();
    expect(readSimpleItem(items[8]!, 1)).toBeNull();
    expect(readSimpleItem(items[13]!, 1)).toBeNull();
    expect(readSimpleItem(['- address: x', '', '  label: y'], 40)?.lines).toEqual({ address: 40, label: 42 });
  });

  test('agrees on the first 1,000 tags of every real pack', { timeout: 120_000 }, () => {
    const packs = sharedData('tags', 'graphsense-tagpacks', 'packs');
    let read = 0;
    for (const name of readdirSync(packs).sort()) {
      const lines = readFileSync(join(packs, name), 'utf8').split('\n');
      const start = lines.findIndex((l) => /^tags:\s*$/.test(l));
      expect(start, name).toBeGreaterThan(0);
      const block = lines.slice(start + 1, start + 1 + 6_000);
      const starts = block.flatMap((l, i) => (/^\s*- /.test(l) ? [i] : [])).slice(0, 1_001);
      const all = parse(block.slice(0, starts[1_000] ?? block.length).join('\n')) as unknown[];
      starts.slice(0, 1_000).forEach((s, k) => {
        const item = block.slice(s, starts[k + 1] ?? block.length);
        const fast = readSimpleItem(item, 1);
        if (fast !== null) {
          read++;
          expect(fast.values, `${name} item ${k}`).toEqual(all[k]);
        }
      });
    }
    expect(read).toBeGreaterThan(15_000);
  });
});
