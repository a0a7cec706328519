import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import fixtures from './fixtures/request-params.json' with { type: 'json' };
import { addressParam, annotationColourParam, countParam, cursorParam, entityIdParam, satsParam, textParam, txidParam } from './request-schemas.js';

interface Fixture {
  readonly valid: readonly { name: string; input: string | null; output: unknown }[];
  readonly invalid: readonly { name: string; input: string; message: string }[];
}

const schemas: Record<keyof typeof fixtures, z.ZodType> = {
  address: addressParam,
  txid: txidParam,
  sats: satsParam,
  count: countParam(1000, 100),
  cursor: cursorParam,
  text: textParam(200),
  entityId: entityIdParam,
  annotationColour: annotationColourParam,
};

describe('request parameters', () => {
  for (const [kind, fixture] of Object.entries(fixtures) as [keyof typeof fixtures, Fixture][]) {
    const schema = schemas[kind];
    for (const valid of fixture.valid) {
      it(`${kind}: accepts ${valid.name}`, () => {
        const parsed = schema.parse(valid.input ?? undefined);
        expect(typeof parsed === 'bigint' ? parsed.toString() : parsed).toEqual(valid.output);
      });
    }
    for (const invalid of fixture.invalid) {
      it(`${kind}: refuses ${invalid.name}`, () => {
        const result = schema.safeParse(invalid.input);
        expect(result.success).toBe(false);
        expect(result.error?.issues[0]?.message).toContain(invalid.message);
      });
    }
  }
});
