/**
 * `chaintrail serve`: the investigation API (and the built viewer) over a case's store.
 * Loopback only unless told otherwise, with a fresh session token in the login URL it
 * prints, every request in the audit log of the data directory. Runs until Ctrl-C.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import { apiDataPaths, AuditLog, DEFAULT_API_HOST, DEFAULT_API_PORT, isLoopbackHost, ROLES, startApiServer, TokenStore, type Role } from '@chaintrail/api';
import type { CliApp, CommandContext } from '../cli-app.js';
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
}

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
    .addHelpText(
      'after',
      [
        '',
        'Open the printed login URL in a browser; its token lives in the URL fragment, which the',
        'browser never sends to a server or writes to a log. Other people need a token of their own:',
        '`chaintrail token create --role viewer`. Every request is written to the audit log in the',
        'data directory; check it with `chaintrail audit verify`.',
        '',
        'Examples:',
        '  $ chaintrail serve --case wtv',
        '  $ chaintrail serve --case wtv --port 9000 --session-role viewer',
        '  $ chaintrail --store neo4j:bolt://127.0.0.1:7687 serve --host 10.0.0.5 --tls-cert cert.pem --tls-key key.pem',
      ].join('\n'),
    )
    .action((options, command) => app.run(command, (ctx) => serve(ctx, options), { interruptible: true }));
}

async function serve(ctx: CommandContext, options: ServeOptions): Promise<void> {
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  const opened = await openServedStore(ctx, options.case);
  const paths = apiDataPaths(ctx.config.home);
  let audit: AuditLog | null = null;
  try {
    const tokens = TokenStore.open(paths.tokens);
    audit = AuditLog.open(paths.audit);
    const server = await startApiServer({
      store: opened.store,
      tokens,
      audit,
      host: options.host,
      port: options.port,
      auth: options.auth,
      sessionRole: options.sessionRole === 'none' ? null : options.sessionRole,
      ...(options.viewerOrigin !== undefined ? { viewerOrigin: options.viewerOrigin } : {}),
      ...(options.rateLimit !== undefined ? { rateLimit: { max: options.rateLimit, windowSeconds: 60 } } : {}),
      ...(options.tlsCert !== undefined && options.tlsKey !== undefined
        ? { https: { cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey) } }
        : {}),
    });
    try {
      const where = storeLabel(opened.spec);
      ctx.out.result({ url: server.url, loginUrl: server.loginUrl, store: where, auditLog: paths.audit, tokens: paths.tokens }, () => [
        `Serving ${where} at ${server.url}`,
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
