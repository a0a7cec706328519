import { describe, expect, it } from 'vitest';
import { fullValue, head, indexKey, keyed, searchText } from './index-key.js';

describe('index keys', () => {
  it('keeps ordinary values as their own key, with nothing beside them', () => {
    for (const value of ['bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'Ünïcödé 🚀']) {
      expect(keyed(value)).toEqual({ key: value, full: null, head: null });
    }
  });

  it('digests values too long for a Neo4j index and keeps them verbatim beside the key', () => {
    const huge = `huge-${'A'.repeat(200_000)}`;
    const { key, full, head: start } = keyed(huge);
    expect(Buffer.byteLength(key)).toBeLessThan(100);
    expect(full).toBe(huge);
    expect(huge.startsWith(start!)).toBe(true);
    expect(indexKey(`${huge}B`)).not.toBe(key);
  });

  it('never maps a short value onto a digest key: values starting with NUL are digested too', () => {
    const forged = indexKey('x'.repeat(5000));
    expect(indexKey(forged)).not.toBe(forged);
    expect(fullValue(forged)).toBe(forged);
  });

  it('cuts heads at code points, so astral characters stay whole', () => {
    expect(head('💩'.repeat(1000))).toBe('💩'.repeat(400));
  });

  it('puts lowered labels over the text index limit where the long-label search finds them', () => {
    expect(searchText('exchange')).toEqual({ short: 'exchange', long: null });
    expect(searchText('x'.repeat(9000))).toEqual({ short: null, long: 'x'.repeat(9000) });
    expect(searchText(null)).toEqual({ short: null, long: null });
  });
});
