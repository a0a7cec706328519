import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { ExitStatus } from './exit-status.js';
import { buildProgram, runCli } from './program.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with a fresh data directory (unless given one). */
async function cli(args: readonly string[], home = mkdtempSync(join(tmpdir(), 'cli-'))): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'chaintrail', ...args], {
    out: { write: (s: string) => (stdout += s) },
    err: { write: (s: string) => (stderr += s) },
    env: { CHAINTRAIL_HOME: home },
  });
  return { code, stdout, stderr };
}

function allCommands(command: CommandUnknownOpts): CommandUnknownOpts[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('chaintrail --help', () => {
  it('shows examples for every command of the investigation workflow', () => {
    const program = buildProgram({ out: { write: () => true }, err: { write: () => true }, env: {} });
    const workflow = ['case', 'import', 'ingest', 'tags', 'cluster', 'explain', 'status', 'demo', 'blocks', 'scenario'];
    const top = allCommands(program as unknown as CommandUnknownOpts).filter((c) => workflow.includes(c.name()) && c.parent?.name() === 'chaintrail');
    expect(top.map((c) => c.name()).sort()).toEqual([...workflow].sort());
    const leaves = top.flatMap((c) => (c.commands.length === 0 ? [c] : allCommands(c).filter((s) => s.commands.length === 0)));
    for (const command of leaves) {
      let help = '';
      command.configureOutput({ writeOut: (s) => (help += s) });
      command.outputHelp();
      expect(help, `chaintrail ${command.name()} --help`).toMatch(/Examples:\n\s+\$ chaintrail /);
    }
  });
});

describe('exit statuses', () => {
  it('2 for a command line that cannot work', async () => {
    expect((await cli(['ingest', '--case', 'x'])).code).toBe(ExitStatus.usage);
    expect((await cli(['import', 'f.txt', '--case', 'x', '--format', 'xml'])).code).toBe(ExitStatus.usage);
    expect((await cli(['ingest', '--case', 'x', '--source', 'blocks:/x', '--hops-back', 'two'])).code).toBe(ExitStatus.usage);
    expect((await cli(['case', 'create', '../escape'])).code).toBe(ExitStatus.badInput);
  });

  it('4 for a case that does not exist, with the way out in the message', async () => {
    const run = await cli(['case', 'show', 'nope']);
    expect(run.code).toBe(ExitStatus.notFound);
    expect(run.stderr).toContain('chaintrail case create nope');
  });

  it('3 for a seed list that cannot be read, and a JSON error document with --json', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cli-'));
    await cli(['case', 'create', 'c'], home);
    const run = await cli(['--json', 'import', join(home, 'missing.txt'), '--case', 'c'], home);
    expect(run.code).toBe(ExitStatus.badInput);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'CHAINTRAIL_BAD_SEED_LIST' } });
  });

  it('5 for a chain source that cannot be reached, once the retries are spent', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cli-'));
    await cli(['case', 'create', 'c'], home);
    const seeds = join(home, 'seeds.txt');
    writeFileSync(seeds, '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n');
    await cli(['import', seeds, '--case', 'c'], home);
    const run = await cli(['ingest', '--case', 'c', '--source', `esplora:http://127.0.0.1:${await closedPort()}`, '--retries', '1'], home);
    expect(run.code).toBe(ExitStatus.sourceUnavailable);
    expect(run.stderr).toMatch(/unreachable: .*failed 2 times/);
    const status = await cli(['--json', 'status', '--case', 'c'], home);
    expect(JSON.parse(status.stdout)).toMatchObject({ ingest: { status: 'failed', state: { error: { code: 'CHAINTRAIL_SOURCE_UNREACHABLE' } } } });
  });

  it('3 for a source spec that names no kind of source', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cli-'));
    await cli(['case', 'create', 'c'], home);
    const run = await cli(['ingest', '--case', 'c', '--source', 'ftp://example.org'], home);
    expect(run.code).toBe(ExitStatus.badInput);
    expect(run.stderr).toContain('esplora:URL');
  });

  it('6 for a store that cannot be opened', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cli-'));
    const notAStore = join(home, 'notes.sqlite');
    writeFileSync(notAStore, 'these are not the droids you are looking for'.repeat(100));
    expect((await cli(['--store', `sqlite:${notAStore}`, 'case', 'list'], home)).code).toBe(ExitStatus.storeUnavailable);
    // A folder that cannot be made: a file stands where it should be.
    expect((await cli(['--store', `sqlite:${join(notAStore, 'sub', 'x.sqlite')}`, 'case', 'create', 'c'], home)).code).toBe(ExitStatus.storeUnavailable);
  });
});

describe('cases', () => {
  it('creates, lists and refuses a second case of the same name', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cli-'));
    expect((await cli(['case', 'create', 'wtv'], home)).code).toBe(0);
    expect((await cli(['case', 'create', 'wtv'], home)).code).toBe(ExitStatus.usage);
    await cli(['case', 'create', 'other'], home);
    const list = JSON.parse((await cli(['--json', 'case', 'list'], home)).stdout) as { cases: { name: string; seeds: number }[] };
    expect(list.cases.map((c) => c.name)).toEqual(['other', 'wtv']);
  });
});
