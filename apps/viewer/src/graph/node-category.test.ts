import { describe, expect, it } from 'vitest';
import { categoryOfTag, nodeCategory, type CategoryFacts } from './node-category.js';

const context = { seeds: new Set(['1Seed']), siteEntities: new Set(['Esite']) };
const address = (over: Partial<CategoryFacts>): CategoryFacts => ({ kind: 'address', id: '1Other', entityId: null, tagCategory: null, coinjoin: null, ...over });

describe('node categories', () => {
  it.each([
    ['exchange', 'exchange'],
    ['Exchange', 'exchange'],
    ['mixing_service', 'mixer'],
    ['coinjoin', 'mixer'],
    ['sanction', 'sanctioned'],
    ['OFAC SDN', 'sanctioned'],
    ['market', 'site'],
    ['dark_web', 'site'],
    ['child_sexual_abuse', 'site'],
    ['gambling', null],
    [null, null],
  ])('tag category %j is %j', (raw, expected) => {
    expect(categoryOfTag(raw)).toBe(expected);
  });

  it('colours a seized address as a seed even inside the site wallet', () => {
    expect(nodeCategory(address({ id: '1Seed', entityId: 'Esite' }), context)).toBe('seed');
  });

  it('colours a sanctioned seed as sanctioned', () => {
    expect(nodeCategory(address({ id: '1Seed', tagCategory: 'sanction' }), context)).toBe('sanctioned');
  });

  it("colours other addresses of the site's entity, and the entity, as the site", () => {
    expect(nodeCategory(address({ entityId: 'Esite' }), context)).toBe('site');
    expect(nodeCategory({ kind: 'entity', id: 'Esite', entityId: undefined, tagCategory: null, coinjoin: null }, context)).toBe('site');
  });

  it('colours an address of an exchange entity as an exchange', () => {
    expect(nodeCategory(address({ entityId: 'Ex', tagCategory: 'exchange' }), context)).toBe('exchange');
  });

  it('colours CoinJoin transactions as mixers and other transactions as unknown', () => {
    expect(nodeCategory({ kind: 'tx', id: 'ab', entityId: undefined, tagCategory: null, coinjoin: 'whirlpool' }, context)).toBe('mixer');
    expect(nodeCategory({ kind: 'tx', id: 'ab', entityId: undefined, tagCategory: null, coinjoin: null }, context)).toBe('unknown');
  });

  it('leaves an address whose entity is not yet known as unknown', () => {
    expect(nodeCategory(address({ entityId: undefined }), context)).toBe('unknown');
  });
});
