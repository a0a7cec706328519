/**
 * `serve`, `token` and `audit verify` driven through commander in-process: a
 * token created on the command line opens the served API, the login URL works, Ctrl-C
 * stops the server, and the audit log it leaves verifies until someone edits it.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiDataPaths } from '@chaintrail/api';
import { openStore } from '@chaintrail/store';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { CliApp, type CliIo } from '../cli-app.js';
import { exitStatusForCode } from '../exit-status.js';
import { registerAuditCommand } from './audit.js';
import { registerServeCommand } from './serve.js';
import { registerTokenCommand } from './token.js';

/**
 * The three commands on a program with the global options of program.ts, mapping failures
 * to exit statuses as runCli does. (program.ts loads these modules with a computed dynamic
 * import, which vitest's module runner cannot follow.)
 */
async function runCommands(args: readonly string[], io: CliIo): Promise<number> {
  const app = new CliApp(io);
  const program = new Command().option('--store <spec>').option('--json').option('-q, --quiet').exitOverride().configureOutput({ writeOut: (s) => void io.out.write(s), writeErr: (s) => void io.err.write(s) });
  registerServeCommand(program, app);
  registerTokenCommand(program, app);
  registerAuditCommand(program, app);
  try {
    await program.parseAsync([...args], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return 2;
    io.err.write(`error: ${(error as Error).message}\n`);
    return exitStatusForCode((error as { code?: string }).code);
  }
}

interface Run {
  readonly status: Promise<number>;
  readonly out: () => string;
  readonly err: () => string;
}

describe('serve, token and audit commands', () => {
  let home: string;
  const signals = new EventEmitter();
  const run = (...args: string[]): Run => {
    let out = '';
    let err = '';
    const status = runCommands(args, {
      out: { write: (s: string) => (out += s) },
      err: { write: (s: string) => (err += s) },
      env: { CHAINTRAIL_HOME: home },
      signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
    });
    return { status, out: () => out, err: () => err };
  };

  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'chaintrail-cli-api-'));
    mkdirSync(join(home, 'cases'));
    const store = await openStore(`sqlite:${join(home, 'cases', 'wtv.sqlite')}`);
    await store.createCase({ name: 'wtv' });
    await store.close();
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('creates, lists and revokes tokens, showing each secret once and storing only hashes', async () => {
    const created = run('token', 'create', '--role', 'viewer', '--label', 'prosecutor', '--json');
    expect(await created.status).toBe(0);
    const { token, info } = JSON.parse(created.out()) as { token: string; info: { tokenId: string; role: string } };
    expect(info.role).toBe('viewer');
    expect(readFileSync(apiDataPaths(home).tokens, 'utf8')).not.toContain(token.slice(20));
    const listed = run('token', 'list');
    expect(await listed.status).toBe(0);
    expect(listed.out()).toContain(info.tokenId);
    expect(listed.out()).not.toContain(token);
    expect(await run('token', 'revoke', info.tokenId).status).toBe(0);
    expect(await run('token', 'revoke', 'ffffffffffffffff').status).toBe(4);
    expect(await run('token', 'create', '--role', 'root').status).toBe(2);
  });

  it('serves a case on loopback with a working login URL and a CLI token, until Ctrl-C', async () => {
    const viewer = run('token', 'create', '--role', 'viewer', '--json');
    await viewer.status;
    const viewerToken = (JSON.parse(viewer.out()) as { token: string }).token;
    const serving = run('serve', '--case', 'wtv', '--port', '0', '--workers', '1');
    let loginUrl: string | undefined;
    for (let i = 0; i < 200 && loginUrl === undefined; i++) {
      loginUrl = /Sign in: (\S+)/.exec(serving.out())?.[1];
      if (loginUrl === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(loginUrl, serving.err()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const url = new URL(loginUrl!);
    const session = url.hash.slice('#token='.length);
    const cases = await fetch(`${url.origin}/api/cases`, { headers: { authorization: `Bearer ${session}` } });
    expect(cases.status).toBe(200);
    expect(((await cases.json()) as { cases: { name: string }[] }).cases.map((c) => c.name)).toEqual(['wtv']);
    expect((await fetch(`${url.origin}/api/session`, { headers: { authorization: `Bearer ${viewerToken}` } })).status).toBe(200);
    expect((await fetch(`${url.origin}/api/tokens`, { headers: { authorization: `Bearer ${viewerToken}` } })).status).toBe(403);
    expect((await fetch(`${url.origin}/api/cases`)).status).toBe(401);
    signals.emit('SIGINT');
    expect(await serving.status).toBe(0);
    await expect(fetch(`${url.origin}/api/cases`)).rejects.toThrow();

    const verified = run('audit', 'verify', '--json');
    expect(await verified.status).toBe(0);
    const report = JSON.parse(verified.out()) as { ok: boolean; entries: number; head: { seq: number; hash: string } };
    expect(report.ok).toBe(true);
    expect(report.entries).toBe(6); // start, four requests, stop
    expect(await run('audit', 'verify', '--expect-head', `${report.head.seq}:${report.head.hash}`).status).toBe(0);

    const log = apiDataPaths(home).audit;
    writeFileSync(log, readFileSync(log, 'utf8').replace('"status":401', '"status":200'));
    const tampered = run('audit', 'verify');
    expect(await tampered.status).toBe(3);
    expect(tampered.out()).toMatch(/line \d+: its prev hash does not match/);
    expect(tampered.err()).toContain('failed verification');
  });

  it('refuses to serve without tokens on a network address', async () => {
    const refused = run('serve', '--case', 'wtv', '--host', '0.0.0.0', '--port', '0', '--no-auth');
    expect(await refused.status).toBe(2);
    expect(refused.err()).toContain('loopback');
  });

  it('refuses a worker count that is not 1 to 64', async () => {
    for (const count of ['0', '65', 'two']) {
      const refused = run('serve', '--case', 'wtv', '--port', '0', '--workers', count);
      expect(await refused.status, count).toBe(2);
      expect(refused.err()).toContain('--workers');
    }
  });
});
