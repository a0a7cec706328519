import { setImmediate } from 'node:timers/promises';

/**
 * Lets the event loop run once. The SQLite store and the block-file source answer with
 * promises that are already settled, so a job awaiting only them never reaches the loop's
 * poll phase: Ctrl-C (delivered there) would wait for the whole job, and timers (progress
 * bars) would freeze. Jobs call this between batches.
 */
export function eventLoopTurn(): Promise<void> {
  return setImmediate();
}
