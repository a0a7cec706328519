import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { BadSourceSpecError, CoreRpcSource, EsploraSource, openBlockFileSource, type ChainSource } from '@chaintrail/chain';
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

/** Turns `blocks:DIR|FILE`, `esplora:URL` or `core:URL` into a chain source. */
export async function openChainSource(spec: string, options: SourceOpenOptions): Promise<ChainSource> {
  const colon = spec.indexOf(':');
  const kind = colon === -1 ? '' : spec.slice(0, colon);
  const rest = colon === -1 ? '' : spec.slice(colon + 1);
  if (rest === '') throw new BadSourceSpecError(spec, 'nothing after the kind');
  const cache = join(options.home, 'cache');
  const limits = {
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.requestsPerSecond != null ? { requestsPerSecond: options.requestsPerSecond } : {}),
    ...(options.retries != null ? { retry: { retries: options.retries } } : {}),
  };
  switch (kind) {
    case 'blocks':
      if (!existsSync(rest)) throw new BadSourceSpecError(spec, `${rest} does not exist`);
      return openBlockFileSource(rest, { network: options.network, cacheDir: cache, ...(options.onIndexProgress ? { onProgress: options.onIndexProgress } : {}) });
    case 'esplora': {
      const url = parseUrl(spec, rest);
      // One cache per server: answers of a testnet and a mainnet server must not mix.
      const cacheDir = join(cache, 'esplora', `${url.host}${url.pathname}`.replace(/[^A-Za-z0-9.-]+/g, '_'));
      return new EsploraSource({ baseUrl: rest, network: options.network, cacheDir, limits });
    }
    case 'core':
      parseUrl(spec, rest);
      return new CoreRpcSource({ url: rest, network: options.network, limits });
    default:
      throw new BadSourceSpecError(spec, `unknown kind "${kind}"`);
  }
}

function parseUrl(spec: string, text: string): URL {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadSourceSpecError(spec, `${url.protocol} is not http or https`);
    return url;
  } catch (error) {
    if (error instanceof BadSourceSpecError) throw error;
    throw new BadSourceSpecError(spec, `"${text}" is not a URL`);
  }
}
