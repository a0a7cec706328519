import { sha256 } from '../hash.js';
import { toHex } from '../hex.js';

/**
 * UTF-8 bytes of `text`. Core builds without DOM or Node globals, so no TextEncoder;
 * addresses are ASCII, but an id must not depend on that.
 */
function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const char of text) {
    const c = char.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/**
 * The stable id of an entity, derived from its anchor: the member address that sorts
 * first (by UTF-16 code units, which for addresses is byte order). It depends only on the
 * entity's members, never on the order transactions arrived in, so the same data gives
 * the same ids on every run and machine.
 *
 * What a user sees when entities merge: the merged entity keeps the id of the part whose
 * anchor sorts first; the other part's id is retired (a clustering batch lists each
 * retired id with the id that absorbed it). A veto that splits an entity works the other
 * way: the piece holding the anchor keeps the id, the other pieces get the ids of their
 * own anchors.
 *
 * The id is `E` and the first 96 bits of SHA-256(anchor) in hex: opaque (not mistaken for
 * an address), fixed length, and with a chance of about 1 in 10^11 of any collision among a billion
 * entities.
 */
export function entityIdFor(anchor: string): string {
  return `E${toHex(sha256(utf8(anchor))).slice(0, 24)}`;
}
