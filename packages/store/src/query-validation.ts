/**
 * Argument checks both stores run before touching their database, so a bad argument gets
 * the same typed error from SQLite and Neo4j.
 */
import { BadQueryError, BadTxidError } from './errors.js';
import type { FlowDirection, NodeRef } from './graph-store.js';

const txidPattern = /^[0-9a-f]{64}$/;

/** A txid is 64 lowercase hex digits (display order); uppercase is accepted and lowered. */
export function normaliseTxid(txid: string): string {
  if (typeof txid !== 'string') throw new BadTxidError(String(txid));
  const lower = txid.toLowerCase();
  if (!txidPattern.test(lower)) throw new BadTxidError(txid);
  return lower;
}

export function checkLimit(what: string, limit: number, max: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new BadQueryError(what, `limit must be an integer from 1 to ${max}, got ${String(limit)}`);
  }
  return limit;
}

/** Addresses are opaque non-empty strings to the store (core decides what is valid). */
export function checkAddress(address: string): string {
  if (typeof address !== 'string' || address.length === 0) throw new BadQueryError('address', 'an address must be a non-empty string');
  return address;
}

export function checkDirection(direction: FlowDirection): FlowDirection {
  if (direction !== 'in' && direction !== 'out' && direction !== 'both') {
    throw new BadQueryError('direction', `expected 'in', 'out' or 'both', got ${JSON.stringify(direction)}`);
  }
  return direction;
}

export function checkNode(node: NodeRef): NodeRef {
  if (node.kind === 'tx') return { kind: 'tx', id: normaliseTxid(node.id) };
  if (node.kind === 'address' || node.kind === 'entity') {
    if (typeof node.id !== 'string' || node.id.length === 0) throw new BadQueryError(`${node.kind} id`, 'must be a non-empty string');
    return node;
  }
  throw new BadQueryError('node kind', `expected 'address', 'tx' or 'entity', got ${JSON.stringify((node as { kind: unknown }).kind)}`);
}

export const maxPageLimit = 10_000;
export const maxSearchLimit = 1_000;
export const maxPathHops = 12;

export function checkMaxHops(maxHops: number): number {
  if (!Number.isInteger(maxHops) || maxHops < 1 || maxHops > maxPathHops) {
    throw new BadQueryError('path query', `maxHops must be an integer from 1 to ${maxPathHops}, got ${String(maxHops)}`);
  }
  return maxHops;
}

/**
 * The raw transaction's bytes; BadQueryError unless `raw` is whole hex. Buffer's decoder
 * stops at the first bad digit, so a short result means bad input (and it is much faster
 * than a regular expression over a large transaction).
 */
export function decodeRawHex(txid: string, raw: string): Buffer {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'hex') : Buffer.alloc(0);
  if (bytes.length === 0 || bytes.length * 2 !== raw.length) {
    throw new BadQueryError(`raw hex of ${txid}`, 'expected an even number of hexadecimal digits');
  }
  return bytes;
}

/** decodeRawHex for callers that only need the check. */
export function checkRawHex(txid: string, raw: string): void {
  decodeRawHex(txid, raw);
}
