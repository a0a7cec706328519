import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/source-specs.json' with { type: 'json' };
import { parseSourceSpec } from './open-chain-source.js';

describe('parseSourceSpec', () => {
  it.each(fixtures.valid)('reads $name', ({ spec, parsed }) => {
    expect(parseSourceSpec(spec)).toEqual(parsed);
  });

  it.each(fixtures.invalid)('rejects $name', ({ spec, error }) => {
    expect(() => parseSourceSpec(spec)).toThrow(expect.objectContaining({ code: 'CHAINTRAIL_BAD_SOURCE', message: expect.stringContaining(error) as string }));
  });
});
