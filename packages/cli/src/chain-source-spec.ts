import { join } from 'node:path';
import { openChainSource as openSourceSpec, type ChainSource, type OpenChainSourceOptions } from '@chaintrail/chain';
import type { Network } from '@chaintrail/core';

export interface SourceOpenOptions {
  /** The data directory: the block index and the Esplora answer cache go under `<home>/cache`. */
  readonly home: string;
  readonly network: Network;
  /** HTTP sources: requests in flight and per second (defaults: the source's, polite to public servers). */
  readonly concurrency?: number;
  readonly requestsPerSecond?: number | null;
  readonly retries?: number | null;
  readonly onIndexProgress?: (progress: { file: string; blocks: number; transactions: number }) => void;
}

/**
 * Opens `blocks:DIR|FILE`, `esplora:URL` or `core:URL` with @chaintrail/chain's
 * `openChainSource` (which throws `CHAINTRAIL_BAD_SOURCE` naming the spec), with the CLI's
 * cache under `<home>/cache` and its HTTP limits.
 */
export function openChainSource(spec: string, options: SourceOpenOptions): Promise<ChainSource> {
  const limits: NonNullable<OpenChainSourceOptions['limits']> = {
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.requestsPerSecond != null ? { requestsPerSecond: options.requestsPerSecond } : {}),
    ...(options.retries != null ? { retry: { retries: options.retries } } : {}),
  };
  return openSourceSpec(spec, {
    network: options.network,
    cacheDir: join(options.home, 'cache'),
    limits,
    ...(options.onIndexProgress ? { onProgress: options.onIndexProgress } : {}),
  });
}
