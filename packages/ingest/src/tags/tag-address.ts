import { AddressError, parseAddress, type Network } from '@chaintrail/core';
import { tagProblem, type TagProblem } from './tag-problems.js';

/** Base58Check with version byte 0x41: what Tron addresses look like. */
const TRON = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;

/**
 * The normalised address of a tag, or the problem that rejects the tag (with the address
 * error's own code), so every tag format validates addresses the same way.
 */
export function tagAddress(raw: unknown, network: Network, file: string, line: number): { address: string } | { problem: TagProblem } {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return { problem: tagProblem('error', 'CHAINTRAIL_TAG_MISSING_FIELD', file, line, 'the tag has no address. Give each tag an `address`.') };
  }
  try {
    return { address: parseAddress(raw.trim(), { network }).address };
  } catch (error) {
    if (!(error instanceof AddressError)) throw error;
    const hint = TRON.test(raw.trim()) ? ' It has the form of a Tron (TRX) address: the source lists another chain\'s address as Bitcoin.' : '';
    return { problem: tagProblem('error', error.code, file, line, error.message + hint) };
  }
}
