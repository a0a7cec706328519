/**
 * `startApiServer`: binds the API for `chaintrail serve`. Secure by default: loopback
 * only, a fresh session token in a login URL (token in the fragment, which browsers never
 * send to a server, so it stays out of every log), Host header pinned on loopback, and no
 * way to switch authentication off except on loopback.
 */
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { AuditRecord } from '../audit/audit-entry.js';
import type { AuditLog } from '../audit/audit-log.js';
import { InsecureServerConfigError } from '../errors.js';
import type { Role } from '../schemas/access-schemas.js';
import { buildApiServer, type ApiServerOptions } from './build-api-server.js';

export const DEFAULT_API_HOST = '127.0.0.1';
export const DEFAULT_API_PORT = 8321;

/** Where `pnpm build` of apps/viewer writes the viewer (same depth from src/ and dist/). */
export const DEFAULT_VIEWER_DIR = fileURLToPath(new URL('../../../viewer/dist', import.meta.url));

export interface StartApiServerOptions extends Omit<ApiServerOptions, 'allowedHostnames' | 'anonymous' | 'audit'> {
  readonly audit: AuditLog;
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

export interface RunningApiServer extends ServedApi {
  readonly app: FastifyInstance;
}

/** A listening API, one process or several. */
export interface ServedApi {
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

/** Where and how a server listens, checked: what `startApiServer` and the workers of a multi-worker server share. */
export interface ListenPlan {
  readonly host: string;
  readonly port: number;
  readonly auth: boolean;
  /** For buildApiServer: Host names on loopback, the anonymous caller without auth. */
  readonly guards: Pick<ApiServerOptions, 'allowedHostnames' | 'anonymous'>;
}

/** Refuses a port that is not one and authentication off beyond loopback; pins Host names on loopback. */
export function listenPlan(options: { readonly host?: string; readonly port?: number; readonly auth?: boolean }): ListenPlan {
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
  return {
    host,
    port,
    auth,
    guards: {
      ...(loopback ? { allowedHostnames: ['127.0.0.1', 'localhost', '[::1]', ...(isIP(host) === 4 ? [host] : [])] } : {}),
      ...(auth ? {} : { anonymous: { tokenId: 'no-auth', role: 'analyst' as const, label: 'no-auth (loopback)' } }),
    },
  };
}

/** `http://127.0.0.1:8321`, brackets around an IPv6 host. */
export function serverUrl(host: string, port: number, tls: boolean): string {
  return `${tls ? 'https' : 'http'}://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}

/** The audit entry of the server's start or stop. */
export function lifeEventRecord(event: 'start' | 'stop', detail: Record<string, string>): AuditRecord {
  return { event, requestId: null, who: null, ip: null, method: null, route: null, params: {}, query: {}, body: null, status: null, resultBytes: null, resultItems: null, detail };
}

export async function startApiServer(options: StartApiServerOptions): Promise<RunningApiServer> {
  const plan = listenPlan(options);
  const app = await buildApiServer({ ...options, viewerDir: options.viewerDir ?? DEFAULT_VIEWER_DIR, ...plan.guards });
  const sessionRole = options.sessionRole === undefined ? 'analyst' : options.sessionRole;
  const session = plan.auth && sessionRole !== null ? options.tokens.createSession(sessionRole, 'serve session') : null;
  try {
    await app.listen({ host: plan.host, port: plan.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : plan.port;
  const url = serverUrl(plan.host, boundPort, options.https !== undefined);
  options.audit.append(
    lifeEventRecord('start', {
      url,
      auth: plan.auth ? 'tokens' : 'off (loopback)',
      store: options.store.info().location,
      ...(session !== null ? { sessionToken: session.info.tokenId } : {}),
    }),
  );
  let closed = false;
  return {
    app,
    host: plan.host,
    port: boundPort,
    url,
    loginUrl: session === null ? null : `${url}/#token=${session.token}`,
    sessionToken: session?.token ?? null,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      if (session !== null) options.tokens.revoke(session.info.tokenId);
      options.audit.append(lifeEventRecord('stop', { url }));
    },
  };
}
