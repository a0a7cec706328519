import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { reportClaims, type OutputClaim } from './report-claims.js';

interface Case {
  readonly name: string;
  readonly report: unknown;
  readonly txids: string[];
  readonly outputs: OutputClaim[];
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/report-claims.json', import.meta.url), 'utf8')) as { valid: Case[] };

describe('what a report claims about the chain', () => {
  it.each(fixtures.valid.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const claims = reportClaims(c.report);
    expect([...claims.txids].sort()).toEqual([...c.txids].sort());
    expect(claims.outputs).toEqual(c.outputs);
  });
});
