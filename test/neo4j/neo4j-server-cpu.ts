/**
 * CPU time of the local test server (test/neo4j/neo4j.sh) that listens at a Bolt URL, read
 * from Linux's /proc through the launcher's pid file, so benchmarks can say how much of a
 * load the server spent besides the client's own CPU. Null for any other server (Docker,
 * remote) or platform.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Linux's USER_HZ: /proc reports CPU time in ticks of 10 ms. */
const msPerTick = 10;

/** A reader of the server's user + system CPU milliseconds, or null when it cannot be read. */
export function neo4jServerCpu(url: string): (() => number) | null {
  const port = /:(\d+)\/?$/.exec(url)?.[1];
  if (port === undefined) return null;
  const pidFile = join(here, 'target', `neo4j-${port}.pid`);
  if (!existsSync(pidFile)) return null;
  const stat = `/proc/${readFileSync(pidFile, 'utf8').trim()}/stat`;
  const read = (): number => {
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = readFileSync(stat, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * msPerTick;
  };
  try {
    read();
  } catch {
    return null;
  }
  return read;
}
