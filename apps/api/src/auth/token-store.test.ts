import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenFileError, UnknownTokenError } from '../errors.js';
import { TokenStore } from './token-store.js';

describe('token store', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chaintrail-tokens-'));
    path = join(dir, 'api', 'tokens.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies a created token and keeps only its hash, in a file only its owner can read', () => {
    const store = TokenStore.open(path);
    const { token, info } = store.create({ role: 'analyst', label: 'Detective Smith' });
    expect(token).toMatch(/^ct_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(store.verify(token)).toEqual({ tokenId: info.tokenId, role: 'analyst', label: 'Detective Smith' });
    const file = readFileSync(path, 'utf8');
    expect(file).not.toContain(token.slice(20));
    expect(file).toContain(info.tokenId);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('rejects unknown, forged, malformed, revoked and expired tokens', () => {
    const store = TokenStore.open(path);
    const { token, info } = store.create({ role: 'viewer', label: 'a' });
    const expired = store.create({ role: 'admin', label: 'old', expiresInDays: 1 }, new Date('2020-01-01T00:00:00Z'));
    for (const bad of ['', 'ct_', `${token}x`, `${token.slice(0, -1)}A`, token.replace(info.tokenId, '0000000000000000'), expired.token]) {
      expect(store.verify(bad), bad).toBeNull();
    }
    store.revoke(info.tokenId);
    expect(store.verify(token)).toBeNull();
    expect(store.list().find((t) => t.tokenId === info.tokenId)?.revokedAt).not.toBeNull();
    expect(() => store.revoke('ffffffffffffffff')).toThrow(UnknownTokenError);
  });

  it('sees tokens created and revoked by another process without a restart', () => {
    const server = TokenStore.open(path);
    const cli = TokenStore.open(path);
    const { token, info } = cli.create({ role: 'viewer', label: 'from the CLI' });
    expect(server.verify(token)?.tokenId).toBe(info.tokenId);
    cli.revoke(info.tokenId);
    expect(server.verify(token)).toBeNull();
  });

  it('keeps session tokens in memory only', () => {
    const store = TokenStore.open(path);
    const session = store.createSession('analyst');
    expect(store.verify(session.token)?.role).toBe('analyst');
    expect(TokenStore.open(path).verify(session.token)).toBeNull();
    store.revoke(session.info.tokenId);
    expect(store.verify(session.token)).toBeNull();
  });

  it('refuses a file that is not a token file, naming it', () => {
    TokenStore.open(path).create({ role: 'viewer', label: 'x' });
    writeFileSync(path, '{"tokens": "all of them"}');
    expect(() => TokenStore.open(path)).toThrow(TokenFileError);
    expect(() => TokenStore.open(path)).toThrow(path);
  });
});
