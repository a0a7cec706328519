/**
 * `chaintrail token create|list|revoke`: bearer tokens for the API server. Tokens live in
 * the data directory (hashes only); a running server sees changes on its next request.
 */
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import { apiDataPaths, createdTokenSchema, ROLES, tokenInfoSchema, TokenStore, type TokenInfo } from '@chaintrail/api';
import { z } from 'zod';
import type { CliApp, CommandContext } from '../cli-app.js';
import { formatTable } from '../format.js';
import { positiveInt } from '../option-parsers.js';

export function registerTokenCommand(program: Command, app: CliApp): void {
  const token = program
    .command('token')
    .description('bearer tokens for `chaintrail serve`: viewer (read), analyst (also annotate, save views, import tags), admin (also manage tokens)');

  token
    .command('create')
    .description('create a token and print it once; only its hash is kept')
    .addOption(new Option('--role <role>', 'what the token may do').choices(ROLES).makeOptionMandatory())
    .option('--label <text>', 'who or what the token is for (shown in the audit log)', labelOf)
    .option('--expires-in-days <days>', 'the token stops working after this many days', positiveInt('--expires-in-days'))
    .addHelpText('after', '\nExamples:\n  $ chaintrail token create --role viewer --label "prosecutor J. Doe"\n  $ chaintrail token create --role analyst --expires-in-days 30 --json')
    .action((options, command) =>
      app.run(command, (ctx) => {
        const created = tokensOf(ctx).create({ role: options.role, label: options.label ?? `${options.role} token`, ...(options.expiresInDays ? { expiresInDays: options.expiresInDays } : {}) });
        ctx.out.result(z.encode(createdTokenSchema, created), () => [
          created.token,
          '',
          `Token ${created.info.tokenId} (${created.info.role}, "${created.info.label}")${created.info.expiresAt ? `, valid until ${created.info.expiresAt}` : ''}.`,
          'This is the only time the token is shown: hand it over now. Revoke it with `chaintrail token revoke ' + created.info.tokenId + '`.',
        ]);
        return Promise.resolve();
      }),
    );

  token
    .command('list')
    .description('every token: id, role, label, created, expiry, revocation (never the tokens themselves)')
    .action((_options, command) =>
      app.run(command, (ctx) => {
        const tokens = tokensOf(ctx).list();
        ctx.out.result({ tokens: tokens.map((info) => z.encode(tokenInfoSchema, info)) }, () => tokenTable(tokens));
        return Promise.resolve();
      }),
    );

  token
    .command('revoke')
    .description('revoke a token at once, also for a running server')
    .argument('<id>', 'the token id (from `chaintrail token list`)')
    .action((id, _options, command) =>
      app.run(command, (ctx) => {
        const info = tokensOf(ctx).revoke(id);
        ctx.out.result(z.encode(tokenInfoSchema, info), () => [`Token ${info.tokenId} (${info.role}, "${info.label}") revoked at ${info.revokedAt ?? ''}.`]);
        return Promise.resolve();
      }),
    );
}

function tokensOf(ctx: CommandContext): TokenStore {
  return TokenStore.open(apiDataPaths(ctx.config.home).tokens);
}

function labelOf(value: string): string {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  if (value.trim() === '' || value.length > 100 || /[\u0000-\u001f\u007f]/.test(value)) throw new InvalidArgumentError('--label takes 1 to 100 printable characters.');
  return value;
}

function tokenTable(tokens: readonly TokenInfo[]): string[] {
  if (tokens.length === 0) return ['No tokens yet. Create one with `chaintrail token create --role viewer`.'];
  const state = (t: TokenInfo) => (t.revokedAt !== null ? `revoked ${t.revokedAt}` : t.expiresAt !== null && Date.parse(t.expiresAt) <= Date.now() ? `expired ${t.expiresAt}` : 'active');
  return formatTable(
    ['id', 'role', 'label', 'created', 'expires', 'state'],
    tokens.map((t) => [t.tokenId, t.role, t.label, t.createdAt, t.expiresAt ?? 'never', state(t)]),
  );
}
