/**
 * A scenario world served the way an investigator gets it: `chaintrail demo --no-serve`
 * into a fresh CHAINTRAIL_HOME, then `chaintrail serve`, whose printed login URL the
 * browser opens.
 */
import { chaintrailJson, startChaintrail } from '../e2e/cli-binary.js';
import { tempDir } from '../e2e/scenario-world.js';

export interface ServedDemo {
  readonly home: string;
  /** The generated world (seized-addresses.txt, tags.yaml, truth.json). */
  readonly world: string;
  readonly url: string;
  readonly loginUrl: string;
  readonly token: string;
  stop(): Promise<void>;
}

interface ServeOutput {
  readonly url: string;
  readonly loginUrl: string;
}

export async function serveDemo(users: number): Promise<ServedDemo> {
  const home = tempDir('viewer');
  const demo = await chaintrailJson<{ world: string }>(['demo', '--no-serve', '--users', String(users)], { home });
  const child = startChaintrail(['--json', 'serve', '--case', 'demo', '--port', '0'], { home });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const output = await new Promise<ServeOutput>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chaintrail serve printed no login URL within 90 s:\n${child.output.stderr}`)), 90_000);
    const poll = setInterval(() => {
      let parsed: ServeOutput;
      try {
        parsed = JSON.parse(child.output.stdout) as ServeOutput;
      } catch {
        return;
      }
      clearInterval(poll);
      clearTimeout(timer);
      resolve(parsed);
    }, 100);
    child.on('close', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`chaintrail serve exited (${code}) before printing its URL:\n${child.output.stderr}`));
    });
  });
  return {
    home,
    world: demo.world,
    url: output.url,
    loginUrl: output.loginUrl,
    token: new URL(output.loginUrl).hash.replace(/^#token=/, ''),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
