/**
 * Exclusive lock files, for the two files more than one process may reach: the token file
 * (the CLI writes while the server reads) and the audit log (one writer, else its hash
 * chain forks). A lock holds the owner's pid; a lock whose process is gone is stale and
 * taken over, so a crash never leaves the data dir locked for good.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';

export interface FileLock {
  readonly path: string;
  release(): void;
}

/** Takes the lock at `path` or returns the pid holding it. */
export function tryLock(path: string): FileLock | { readonly heldBy: number } {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // Already gone (a user removed it); nothing left to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(path);
      // A lock without a pid may be one being written this instant: stale only once old.
      if (holder === null && !olderThan(path, 2000)) return { heldBy: -1 };
      if (holder !== null && (holder === process.pid || isAlive(holder))) return { heldBy: holder };
      try {
        unlinkSync(path);
      } catch {
        // Another process took the stale lock over first; the next attempt sees its pid.
      }
    }
  }
  return { heldBy: lockHolder(path) ?? -1 };
}

/** Runs `fn` holding the lock, waiting up to `timeoutMs` for another holder to finish. */
export function withFileLock<T>(path: string, fn: () => T, timeoutMs = 5000): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lock = tryLock(path);
    if ('release' in lock) {
      try {
        return fn();
      } finally {
        lock.release();
      }
    }
    if (Date.now() > deadline) throw new Error(`the lock ${path} is held by process ${lock.heldBy}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

function lockHolder(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function olderThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > ms;
  } catch {
    return true;
  }
}
