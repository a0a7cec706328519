/**
 * Where a new node first appears: on a ring around the node it was found from, at an angle
 * derived from its key, so the same expansion always lands the same way and the layout
 * starts close to where it will settle.
 */

/** FNV-1a, 32 bits: a stable number from a key. */
export function keyHash(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function placeNear(key: string, x: number, y: number): [number, number] {
  const hash = keyHash(key);
  const angle = ((hash & 0xffff) / 0x10000) * Math.PI * 2;
  const radius = 40 + ((hash >>> 16) % 40);
  return [x + Math.cos(angle) * radius, y + Math.sin(angle) * radius];
}

/** A node found from nowhere (search, seeds): a sunflower spiral around the centre. */
export function placeFree(ordinal: number): [number, number] {
  const angle = ordinal * 2.399963229728653;
  const radius = 24 * Math.sqrt(ordinal + 1);
  return [Math.cos(angle) * radius, Math.sin(angle) * radius];
}
