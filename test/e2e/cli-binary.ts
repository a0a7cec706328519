import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../support/shared-data.js';

/** How `pnpm chaintrail` starts the CLI from a checkout (root package.json). */
export const chaintrailCommand: readonly string[] = ['--conditions=@chaintrail/source', '--import', 'tsx', join(repoRoot, 'packages', 'cli', 'src', 'bin.ts')];

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** CHAINTRAIL_HOME of the run. */
  readonly home: string;
  readonly env?: Readonly<Record<string, string>>;
}

function environment(options: CliOptions): NodeJS.ProcessEnv {
  // A clean environment: the developer's CHAINTRAIL_* settings must not leak into tests.
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CHAINTRAIL_')) env[key] = value;
  return { ...env, CHAINTRAIL_HOME: options.home, XDG_CACHE_HOME: join(options.home, 'xdg-cache'), ...options.env };
}

/** Starts the real `chaintrail` binary; the caller owns the process. */
export function startChaintrail(args: readonly string[], options: CliOptions): ChildProcess & { output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [...chaintrailCommand, ...args], { cwd: repoRoot, env: environment(options), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  return Object.assign(child, { output });
}

export function finished(child: ReturnType<typeof startChaintrail>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: child.output.stdout, stderr: child.output.stderr }));
  });
}

/** Runs the binary to the end. */
export function chaintrail(args: readonly string[], options: CliOptions): Promise<CliRun> {
  return finished(startChaintrail(args, options));
}

/** Runs the binary with --json and parses its document; fails with its stderr when it exits non-zero. */
export async function chaintrailJson<T = Record<string, unknown>>(args: readonly string[], options: CliOptions): Promise<T> {
  const run = await chaintrail(['--json', '--quiet', ...args], options);
  if (run.code !== 0) throw new Error(`chaintrail ${args.join(' ')} exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}
