import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRecordedEsploraTxs } from '../../../test/support/esplora-fixtures.js';
import { sharedData } from '../../../test/support/shared-data.js';
import { AddressError } from './address-errors.js';
import { isValidAddress, parseAddress } from './address.js';
import fixtures from './fixtures/addresses.json' with { type: 'json' };
import type { Network } from './model.js';

interface ValidCase {
  name: string;
  input: string;
  expectNetwork?: string;
  address: string;
  network: string;
  networks: string[];
  scriptType: string;
  scriptPubKey: string;
}
interface InvalidCase {
  name: string;
  input: string;
  expectNetwork?: string;
  code: string;
}

const options = (expectNetwork?: string) => (expectNetwork ? { network: expectNetwork as Network } : undefined);

describe('parseAddress: valid addresses', () => {
  it.each((fixtures.valid as ValidCase[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(parseAddress(c.input, options(c.expectNetwork))).toEqual({
      address: c.address,
      network: c.network,
      networks: c.networks,
      scriptType: c.scriptType,
      scriptPubKey: c.scriptPubKey,
    });
    expect(isValidAddress(c.input, options(c.expectNetwork))).toBe(true);
  });
});

describe('parseAddress: invalid addresses', () => {
  it.each((fixtures.invalid as InvalidCase[]).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    let thrown: unknown;
    try {
      parseAddress(c.input, options(c.expectNetwork));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AddressError);
    const error = thrown as AddressError;
    expect(error.code).toBe(c.code);
    expect(error.input).toBe(c.input);
    // The message names the input, so a seed import can show the user what was wrong.
    expect(error.message).toContain(c.input.trim().slice(0, 20));
    expect(isValidAddress(c.input, options(c.expectNetwork))).toBe(false);
  });
});

describe('parseAddress on real addresses', () => {
  it('accepts every Bitcoin address of the OFAC SDN list as mainnet, and rejects its one Tron address', () => {
    const lines = readFileSync(sharedData('tags', 'ofac', 'sanctioned_addresses_XBT.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    const rejected = lines.filter((line) => !isValidAddress(line, { network: 'mainnet' }));
    expect(rejected).toEqual(['TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq']);
    expect(lines.length).toBeGreaterThan(400);
  });

  it("turns every address Esplora reports back into that output's script", () => {
    const pairs = new Map<string, string>();
    for (const { tx } of readRecordedEsploraTxs()) {
      for (const out of [...tx.vout, ...tx.vin.map((i) => i.prevout)]) {
        if (out?.scriptpubkey_address) pairs.set(out.scriptpubkey_address, out.scriptpubkey);
      }
    }
    expect(pairs.size).toBeGreaterThan(2000);
    for (const [address, script] of pairs) expect(parseAddress(address).scriptPubKey, address).toBe(script);
  });
});
