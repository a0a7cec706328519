/**
 * `chaintrail serve`: the investigation API (and the built viewer) over a case's store.
 * Loopback only unless told otherwise, with a fresh session token in the login URL it
 * prints, every request in the audit log of the data directory. Runs until Ctrl-C.
 *
 * With `--workers N` (default: one per CPU, at most 8) this process is the primary of a
 * node:cluster server: it forks N copies of itself with the same arguments, which see
 * `cluster.isWorker` and serve; the primary keeps the audit log, rate limits and session
 * token (apps/api/src/cluster/start-api-cluster.ts).
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import {
  apiDataPaths,
  AuditLog,
  DEFAULT_API_HOST,
  DEFAULT_API_PORT,
  isLoopbackHost,
  ROLES,
  runApiWorker,
  startApiCluster,
  startApiServer,
  TokenStore,
  type Role,
  type ServedApi,
} from '@chaintrail/api';
import type { CliApp, CommandContext, GlobalOptions } from '../cli-app.js';
import { UsageError } from '../cli-errors.js';
import { knownStoreSpecs, openCase, openStoreAt, storeLabel, type OpenedStore } from '../case-stores.js';
import { nonNegativeInt, positiveInt } from '../option-parsers.js';

interface ServeOptions {
  readonly case?: string;
  readonly host: string;
  readonly port: number;
  readonly auth: boolean;
  readonly sessionRole: Role | 'none';
  readonly viewerOrigin?: string;
  readonly rateLimit?: number;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly workers: number;
}

/** One worker per CPU by default; more than 8 buys nothing against one store. */
export const DEFAULT_SERVE_WORKERS = Math.max(1, Math.min(availableParallelism(), 8));
const MAX_SERVE_WORKERS = 64;

export function registerServeCommand(program: Command, app: CliApp): void {
  program
    .command('serve')
    .description('serve a case to the viewer and to scripts over HTTP JSON, with tokens and an audit log')
    .option('--case <name>', 'the case whose store to serve (or give --store)')
    .option('--host <address>', 'address to listen on; anything but loopback reaches the network', DEFAULT_API_HOST)
    .option('--port <port>', 'TCP port (0 picks a free one)', nonNegativeInt('--port'), DEFAULT_API_PORT)
    .option('--no-auth', 'no tokens: every local caller is an analyst (refused unless --host is loopback)')
    .addOption(new Option('--session-role <role>', 'role of the token in the printed login URL, or none').choices([...ROLES, 'none'] as const).default('analyst' as const))
    .option('--viewer-origin <url>', 'a browser origin allowed to call the API cross-origin (a viewer dev server)', originOf)
    .option('--rate-limit <n>', 'requests per minute per token', positiveInt('--rate-limit'))
    .option('--tls-cert <file>', 'TLS certificate (PEM), to serve https beyond this machine')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--workers <n>', `processes answering requests (1 serves in this process; at most ${MAX_SERVE_WORKERS})`, workerCount, DEFAULT_SERVE_WORKERS)
    .addHelpText(
      'after',
      [
        '',
        'Open the printed login URL in a browser; its token lives in the URL fragment, which the',
        'browser never sends to a server or writes to a log. Other people need a token of their own:',
        '`chaintrail token create --role viewer`. Every request is written to the audit log in the',
        'data directory; check it with `chaintrail audit verify`. With several workers this process',
        'keeps the audit log, the rate limits and the session token for all of them.',
        '',
        'Examples:',
        '  $ chaintrail serve --case wtv',
        '  $ chaintrail serve --case wtv --port 9000 --session-role viewer',
        '  $ chaintrail --store neo4j:bolt://127.0.0.1:7687 serve --host 10.0.0.5 --tls-cert cert.pem --tls-key key.pem',
      ].join('\n'),
    )
    // A worker is stopped by its primary, not by the Ctrl-C the whole process group gets.
    .action((options, command) =>
      app.run(command, (ctx) => (cluster.isWorker ? serveAsWorker(ctx, options) : serve(ctx, options, workerArgs(command.optsWithGlobals() as GlobalOptions, options))), {
        interruptible: !cluster.isWorker,
      }),
    );
}

/**
 * The command line each worker runs: `serve` with this server's flags, whichever command
 * started it (`chaintrail demo` serves through this command too). The environment, and
 * with it CHAINTRAIL_HOME and the config file, is inherited.
 */
function workerArgs(globals: GlobalOptions, options: ServeOptions): string[] {
  return [
    '--quiet',
    ...(globals.store !== undefined ? ['--store', globals.store] : []),
    ...(globals.network !== undefined ? ['--network', globals.network] : []),
    'serve',
    ...(options.case !== undefined ? ['--case', options.case] : []),
    '--host',
    options.host,
    '--port',
    String(options.port),
    ...(options.auth ? [] : ['--no-auth']),
    ...(options.viewerOrigin !== undefined ? ['--viewer-origin', options.viewerOrigin] : []),
    ...(options.rateLimit !== undefined ? ['--rate-limit', String(options.rateLimit)] : []),
    ...(options.tlsCert !== undefined && options.tlsKey !== undefined ? ['--tls-cert', options.tlsCert, '--tls-key', options.tlsKey] : []),
  ];
}

/** What a single-process server and every worker build their fastify instance from. */
function serverOptions(options: ServeOptions) {
  return {
    host: options.host,
    port: options.port,
    auth: options.auth,
    ...(options.viewerOrigin !== undefined ? { viewerOrigin: options.viewerOrigin } : {}),
    ...(options.rateLimit !== undefined ? { rateLimit: { max: options.rateLimit, windowSeconds: 60 } } : {}),
    ...(options.tlsCert !== undefined && options.tlsKey !== undefined ? { https: { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) } } : {}),
  };
}

async function serve(ctx: CommandContext, options: ServeOptions, workerCommand: readonly string[]): Promise<void> {
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  const opened = await openServedStore(ctx, options.case);
  const paths = apiDataPaths(ctx.config.home);
  let audit: AuditLog | null = null;
  try {
    const tokens = TokenStore.open(paths.tokens);
    audit = AuditLog.open(paths.audit);
    const sessionRole = options.sessionRole === 'none' ? null : options.sessionRole;
    let server: ServedApi;
    if (options.workers === 1) {
      server = await startApiServer({ store: opened.store, tokens, audit, sessionRole, ...serverOptions(options) });
    } else {
      // Workers open the store themselves; this process opened it to check it opens.
      server = await startApiCluster({
        workers: options.workers,
        audit,
        tokens,
        host: options.host,
        port: options.port,
        auth: options.auth,
        sessionRole,
        tls: options.tlsCert !== undefined,
        storeLocation: opened.store.info().location,
        exec: process.argv[1],
        args: workerCommand,
        onWorkerLost: (detail) => ctx.out.warn(detail),
      });
    }
    try {
      const where = storeLabel(opened.spec);
      ctx.out.result({ url: server.url, loginUrl: server.loginUrl, store: where, auditLog: paths.audit, tokens: paths.tokens, workers: options.workers }, () => [
        `Serving ${where} at ${server.url}${options.workers > 1 ? ` with ${options.workers} worker processes` : ''}`,
        server.loginUrl !== null ? `Sign in: ${server.loginUrl}` : options.auth ? 'No session token: sign in with a token from `chaintrail token create`.' : 'Authentication is off (loopback only).',
        `Audit log: ${paths.audit}`,
        'Press Ctrl-C to stop.',
      ]);
      if (!isLoopbackHost(options.host) && options.tlsCert === undefined) {
        ctx.out.warn(`listening on ${options.host} without TLS: tokens cross the network in clear text. Use --tls-cert/--tls-key or a TLS-terminating proxy.`);
      }
      await untilStopped(ctx);
    } finally {
      await server.close();
    }
  } finally {
    audit?.close();
    await opened.close();
  }
}

/** One worker of `serve --workers N`: the same store and flags as its primary, no output of its own. */
async function serveAsWorker(ctx: CommandContext, options: ServeOptions): Promise<void> {
  const opened = await openServedStore(ctx, options.case);
  try {
    await runApiWorker({ store: opened.store, tokens: TokenStore.open(apiDataPaths(ctx.config.home).tokens), ...serverOptions(options) });
  } finally {
    await opened.close();
  }
}

/** The case's store, or the `--store` one, or the only case store there is. */
async function openServedStore(ctx: CommandContext, caseName: string | undefined): Promise<OpenedStore> {
  if (caseName !== undefined) {
    const { opened } = await openCase(ctx.config, caseName);
    return opened;
  }
  const specs = knownStoreSpecs(ctx.config);
  if (specs.length !== 1) {
    throw new UsageError(specs.length === 0 ? 'there is no case to serve yet (chaintrail demo, or chaintrail case create NAME)' : 'several cases exist: name one with --case NAME');
  }
  return openStoreAt(specs[0]!, ctx.config.home);
}

/** Resolves on Ctrl-C (the command's abort signal) or SIGTERM. */
function untilStopped(ctx: CommandContext): Promise<void> {
  const signals = ctx.io.signals ?? process;
  return new Promise((resolve) => {
    const stop = (): void => {
      signals.off('SIGTERM', stop);
      ctx.signal.removeEventListener('abort', stop);
      resolve();
    };
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener('abort', stop);
    signals.on('SIGTERM', stop);
  });
}

function workerCount(value: string): number {
  const count = positiveInt('--workers')(value);
  if (count > MAX_SERVE_WORKERS) throw new InvalidArgumentError(`--workers takes at most ${MAX_SERVE_WORKERS}, not ${count}.`);
  return count;
}

function originOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`--viewer-origin takes an origin like http://127.0.0.1:5173, not "${value}".`);
  }
  if (url.origin === 'null' || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new InvalidArgumentError(`--viewer-origin takes an http(s) origin, not "${value}".`);
  return url.origin;
}
