import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskCache, routeKey } from './disk-cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function cache(): DiskCache {
  const dir = mkdtempSync(join(tmpdir(), 'chaintrail-cache-'));
  dirs.push(dir);
  return new DiskCache(dir);
}

const txid = 'f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16';

describe('DiskCache', () => {
  it('stores an answer under its key and kind, and nothing else', async () => {
    const store = cache();
    expect(await store.read('tx', txid)).toBeNull();
    await store.write('tx', txid, '{"a":1}');
    expect(await store.read('tx', txid)).toBe('{"a":1}');
    expect(await store.read('tx-hex', txid)).toBeNull();
    expect(readdirSync(join(store.dir, 'v1', 'tx', 'f4'))).toEqual([txid]);
  });

  it('replaces and removes entries', async () => {
    const store = cache();
    await store.write('header', txid, 'one');
    await store.write('header', txid, 'two');
    expect(await store.read('header', txid)).toBe('two');
    await store.remove('header', txid);
    expect(await store.read('header', txid)).toBeNull();
  });

  it('keys answers to other questions by the SHA-256 of the route', () => {
    expect(routeKey('/address/abc/txs/chain')).toMatch(/^[0-9a-f]{64}$/);
    expect(routeKey('/address/abc/txs/chain')).not.toBe(routeKey('/address/abd/txs/chain'));
  });

  it.each([
    ['a path in the key', '../../etc/passwd'],
    ['an upper-case key', txid.toUpperCase()],
    ['a short key', 'abcd'],
  ])('refuses %s', async (_name, key) => {
    await expect(cache().write('tx', key, 'x')).rejects.toThrow(RangeError);
  });
});
