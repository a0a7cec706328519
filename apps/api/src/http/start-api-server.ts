/**
 * `startApiServer`: binds the API for `chaintrail serve`. Secure by default: loopback
 * only, a fresh session token in a login URL (token in the fragment, which browsers never
 * send to a server, so it stays out of every log), Host header pinned on loopback, and no
 * way to switch authentication off except on loopback.
 */
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { InsecureServerConfigError } from '../errors.js';
import type { Role } from '../schemas/access-schemas.js';
import { buildApiServer, type ApiServerOptions } from './build-api-server.js';

export const DEFAULT_API_HOST = '127.0.0.1';
export const DEFAULT_API_PORT = 8321;

/** Where `pnpm build` of apps/viewer writes the viewer (same depth from src/ and dist/). */
export const DEFAULT_VIEWER_DIR = fileURLToPath(new URL('../../../viewer/dist', import.meta.url));

export interface StartApiServerOptions extends Omit<ApiServerOptions, 'allowedHostnames' | 'anonymous'> {
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /**
   * false switches bearer tokens off (every caller is an analyst). Refused unless the host
   * is a loopback address.
   */
  readonly auth?: boolean;
  /** Role of the session token in the login URL; null for no session token. Default analyst. */
  readonly sessionRole?: Role | null;
}

export interface RunningApiServer {
  readonly app: FastifyInstance;
  readonly host: string;
  readonly port: number;
  /** Base URL, e.g. http://127.0.0.1:8321 */
  readonly url: string;
  /** URL that signs the viewer in with the session token; null without one. */
  readonly loginUrl: string | null;
  readonly sessionToken: string | null;
  /** Stops listening, records the stop in the audit log. Closing store and log is the caller's. */
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const host = options.host ?? DEFAULT_API_HOST;
  const port = options.port ?? DEFAULT_API_PORT;
  const auth = options.auth ?? true;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InsecureServerConfigError(`port ${port} is not a TCP port (0 to 65535)`);
  const loopback = isLoopbackHost(host);
  if (!auth && !loopback) {
    throw new InsecureServerConfigError(
      `authentication can only be switched off on a loopback address, not on ${host}; drop --no-auth and hand out tokens (chaintrail token create --role viewer)`,
    );
  }
  const app = await buildApiServer({
    ...options,
    viewerDir: options.viewerDir ?? DEFAULT_VIEWER_DIR,
    ...(loopback ? { allowedHostnames: ['127.0.0.1', 'localhost', '[::1]', ...(isIP(host) === 4 ? [host] : [])] } : {}),
    ...(auth ? {} : { anonymous: { tokenId: 'no-auth', role: 'analyst' as const, label: 'no-auth (loopback)' } }),
  });
  const sessionRole = options.sessionRole === undefined ? 'analyst' : options.sessionRole;
  const session = auth && sessionRole !== null ? options.tokens.createSession(sessionRole, 'serve session') : null;
  try {
    await app.listen({ host, port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const scheme = options.https !== undefined ? 'https' : 'http';
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  const url = `${scheme}://${urlHost}:${boundPort}`;
  options.audit.append({
    event: 'start',
    requestId: null,
    who: null,
    ip: null,
    method: null,
    route: null,
    params: {},
    query: {},
    body: null,
    status: null,
    resultBytes: null,
    resultItems: null,
    detail: {
      url,
      auth: auth ? 'tokens' : 'off (loopback)',
      store: options.store.info().location,
      ...(session !== null ? { sessionToken: session.info.tokenId } : {}),
    },
  });
  let closed = false;
  return {
    app,
    host,
    port: boundPort,
    url,
    loginUrl: session === null ? null : `${url}/#token=${session.token}`,
    sessionToken: session?.token ?? null,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (session !== null) options.tokens.revoke(session.info.tokenId);
      options.audit.append({
        event: 'stop',
        requestId: null,
        who: null,
        ip: null,
        method: null,
        route: null,
        params: {},
        query: {},
        body: null,
        status: null,
        resultBytes: null,
        resultItems: null,
        detail: { url },
      });
    },
  };
}
