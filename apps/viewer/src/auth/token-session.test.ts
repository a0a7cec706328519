import { describe, expect, it } from 'vitest';
import { forgetToken, loadToken, saveToken, tokenFromFragment, tokenFromPasted } from './token-session.js';

const TOKEN = 'ct_470fa3bc98e82cdc_PjNBlLmnHnSzSOQcBF7IJqAWplar3TwdU8gokOEalsE';

describe('sign-in token', () => {
  it('reads the token from the login URL fragment that chaintrail serve prints', () => {
    expect(tokenFromFragment(`#token=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromFragment('#view=1&token=abc')).toBe('abc');
    expect(tokenFromFragment('')).toBeNull();
    expect(tokenFromFragment('#token=')).toBeNull();
  });

  it('accepts the whole login URL or the bare token when pasted', () => {
    expect(tokenFromPasted(` http://127.0.0.1:8321/#token=${TOKEN} `)).toBe(TOKEN);
    expect(tokenFromPasted(TOKEN)).toBe(TOKEN);
    expect(tokenFromPasted('http://127.0.0.1:8321/')).toBeNull();
    expect(tokenFromPasted('two words')).toBeNull();
    expect(tokenFromPasted('')).toBeNull();
  });

  it('keeps the token in the storage it is given, and forgets it', () => {
    const map = new Map<string, string>();
    const storage = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
    expect(loadToken(storage)).toBeNull();
    saveToken(storage, TOKEN);
    expect(loadToken(storage)).toBe(TOKEN);
    forgetToken(storage);
    expect(loadToken(storage)).toBeNull();
  });
});
