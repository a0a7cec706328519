import { describe, expect, test } from 'vitest';
import { liftTags } from './lift-tags.js';
import { TAG_CONFIDENCE, isTagConfidence, type Tag } from './tag.js';

const tag = (address: string, label: string, source: string, extra: Partial<Tag> = {}): Tag => ({ address, label, source, category: 'exchange', confidence: 'service_data', ...extra });
const entityOf = (address: string): string | undefined => ({ a1: 'E1', a2: 'E1', a3: 'E1', b1: 'E2', c1: 'E3' })[address];

describe('liftTags', () => {
  test('gives an entity the label and category its tags agree on, keeping every tag with its source', () => {
    const { entities, unplaced } = liftTags(
      [tag('a1', 'Bitmex reserve wallet', 'tagpack:bitmex_0.yaml'), tag('a2', 'bitmex  Reserve Wallet', 'tagpack:bitmex_1.yaml'), tag('a1', 'Bitmex reserve wallet', 'tagpack:bitmex_1.yaml'), tag('zz', 'Elsewhere', 'csv')],
      entityOf,
    );
    expect(unplaced).toBe(1);
    expect(entities).toHaveLength(1);
    expect(entities[0]).toMatchObject({ entityId: 'E1', label: 'Bitmex reserve wallet', category: 'exchange', conflicts: [] });
    expect(entities[0]!.tags.map((t) => `${t.source} ${t.address}`)).toEqual(['tagpack:bitmex_0.yaml a1', 'tagpack:bitmex_1.yaml a1', 'tagpack:bitmex_1.yaml a2']);
  });

  test('labels worded differently for one GraphSense actor agree', () => {
    const { entities } = liftTags([tag('a1', 'binance.com', 'tagpack:binance.yaml', { actor: 'binance' }), tag('a2', 'Binance', 'tagpack:exchange-wallets-binance.yaml', { actor: 'binance' })], entityOf);
    expect(entities[0]!.conflicts).toEqual([]);
    expect(entities[0]!.label).toBe('Binance');
  });

  test('two exchanges in one entity are a conflict listing each side with its sources, and no label is chosen', () => {
    const { entities } = liftTags(
      [
        tag('a1', 'Binance', 'tagpack:exchange-wallets-binance.yaml', { actor: 'binance' }),
        tag('a2', 'Kraken', 'my-tags.csv'),
        tag('a3', 'Kraken', 'other.csv'),
        tag('a3', 'OFAC SDN list', 'ofac:sanctioned_addresses_XBT.txt', { category: 'sanction', confidence: 'authority_data' }),
      ],
      entityOf,
    );
    const e = entities[0]!;
    expect(e.label).toBeNull();
    expect(e.category).toBeNull();
    expect(e.conflicts).toEqual([
      {
        field: 'label',
        values: [
          { value: 'Kraken', sources: ['my-tags.csv', 'other.csv'], addresses: ['a2', 'a3'] },
          { value: 'Binance (actor binance)', sources: ['tagpack:exchange-wallets-binance.yaml'], addresses: ['a1'] },
          { value: 'OFAC SDN list', sources: ['ofac:sanctioned_addresses_XBT.txt'], addresses: ['a3'] },
        ],
      },
      {
        field: 'category',
        values: [
          { value: 'exchange', sources: ['my-tags.csv', 'other.csv', 'tagpack:exchange-wallets-binance.yaml'], addresses: ['a1', 'a2', 'a3'] },
          { value: 'sanction', sources: ['ofac:sanctioned_addresses_XBT.txt'], addresses: ['a3'] },
        ],
      },
    ]);
  });

  test('a tag without a category does not conflict with one that has it', () => {
    const { entities } = liftTags([tag('b1', 'Hydra', 'a', { category: null }), tag('b1', 'Hydra', 'b', { category: 'market' })], entityOf);
    expect(entities[0]).toMatchObject({ label: 'Hydra', category: 'market', conflicts: [] });
  });
});

describe('confidence vocabulary', () => {
  test('holds GraphSense\'s scored levels and the unscored later ones', () => {
    expect(TAG_CONFIDENCE['ownership']).toBe(100);
    expect(TAG_CONFIDENCE['web_crawl']).toBe(20);
    expect(isTagConfidence('forensic_investigation')).toBe(true);
    expect(isTagConfidence('toString')).toBe(false);
    expect(isTagConfidence('rumour')).toBe(false);
  });
});
