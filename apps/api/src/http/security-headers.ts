/**
 * Response headers that keep a browser from misusing what the server sends: the set
 * helmet (helmetjs.github.io) sends by default, tightened for this server (no framing at
 * all, no referrer, a Content-Security-Policy fitted to the viewer: its own scripts, a
 * worker for the layout, canvas images as data:/blob: URLs). Fixed once at start-up; an
 * onRequest hook sets them all in one call.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  // Disables the old XSS auditors, which could themselves be abused (helmet's choice too).
  'x-xss-protection': '0',
};

/** Added when serving over TLS: browsers must keep to https for half a year. */
export const HSTS_HEADER = { 'strict-transport-security': 'max-age=15552000; includeSubDomains' } as const;
