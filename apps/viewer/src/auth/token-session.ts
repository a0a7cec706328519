/**
 * The bearer token the viewer signs in with. `chaintrail serve` prints a login URL with the
 * token in the fragment (`/#token=ct_...`), which browsers never send to a server; the
 * viewer moves it into this tab's sessionStorage and removes it from the address bar, so
 * it does not end up in bookmarks, history or screenshots.
 */

const STORAGE_KEY = 'chaintrail.token';

/** The token in a URL fragment (`#token=...`), or null. */
export function tokenFromFragment(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  const token = new URLSearchParams(fragment).get('token');
  return token === null || token.trim() === '' ? null : token.trim();
}

/** What a person pasted into the sign-in form: the login URL or the token itself. */
export function tokenFromPasted(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const hashAt = trimmed.indexOf('#');
  if (/^https?:\/\//i.test(trimmed) || hashAt !== -1) return hashAt === -1 ? null : tokenFromFragment(trimmed.slice(hashAt));
  return /^[\x21-\x7e]{1,200}$/.test(trimmed) ? trimmed : null;
}

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function loadToken(storage: TokenStorage): string | null {
  return storage.getItem(STORAGE_KEY);
}

export function saveToken(storage: TokenStorage, token: string): void {
  storage.setItem(STORAGE_KEY, token);
}

export function forgetToken(storage: TokenStorage): void {
  storage.removeItem(STORAGE_KEY);
}
