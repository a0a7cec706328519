import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitStatus } from '../exit-status.js';
import { runCli } from '../program.js';

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'chaintrail', ...args], {
    out: { write: (s: string) => (stdout += s) },
    err: { write: (s: string) => (stderr += s) },
    env: { CHAINTRAIL_HOME: mkdtempSync(join(tmpdir(), 'cli-scenario-home-')) },
  });
  return { code, stdout, stderr };
}

describe('chaintrail scenario', () => {
  it('passes --exchanges, --coinjoin-share, --obfuscate and --options through to the world it writes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cli-scenario-'));
    const run = await cli(['scenario', '--users', '120', '--seed', '3', '--exchanges', '3', '--coinjoin-share', '0.5', '--obfuscate', '--options', '{"taggedWalletShare":1}', '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitStatus.ok);
    const summary = JSON.parse(run.stdout) as { exchanges: number; users: number };
    expect(summary).toMatchObject({ exchanges: 3, users: 120 });
    expect(existsSync(join(out, 'blocks', 'xor.dat'))).toBe(true);
    const truth = JSON.parse(readFileSync(join(out, 'truth.json'), 'utf8')) as { entities: { kind: string; route?: string }[]; addresses: { role: string }[] };
    expect(truth.entities.filter((e) => e.kind === 'exchange')).toHaveLength(3);
    // Every exchange hot/cold wallet address is tagged when taggedWalletShare is 1.
    const wallets = truth.addresses.filter((a) => a.role === 'exchange-hot' || a.role === 'exchange-cold').length;
    const tags = readFileSync(join(out, 'tags.yaml'), 'utf8').match(/^\s*- address:/gm) ?? [];
    expect(tags.length).toBe(wallets);
  });

  it.each([
    [['--coinjoin-share', '1.5'], '--coinjoin-share'],
    [['--exchanges', '0'], '--exchanges'],
    [['--options', '{"users":'], '--options'],
    [['--options', '[1,2]'], '--options'],
  ])('refuses %j with a usage error naming the flag', async (flags, named) => {
    const run = await cli(['scenario', '--out', mkdtempSync(join(tmpdir(), 'cli-scenario-bad-')), ...flags]);
    expect(run.code).toBe(ExitStatus.usage);
    expect(run.stderr).toContain(named);
  });

  it('refuses a parameter out of its range with the parameter named', async () => {
    const run = await cli(['scenario', '--out', mkdtempSync(join(tmpdir(), 'cli-scenario-bad-')), '--options', '{"payingShare":7}']);
    expect(run.code).not.toBe(ExitStatus.ok);
    expect(run.stderr).toContain('payingShare');
  });
});
