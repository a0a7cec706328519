import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Hasher, Network } from '@chaintrail/core';
import { openBlockFileSource } from './block-file-source.js';
import type { ChainSource } from './chain-source.js';
import type { CoreRpcAuth } from './core-rpc-client.js';
import { CoreRpcSource } from './core-rpc-source.js';
import { EsploraSource, type EsploraSourceOptions } from './esplora-source.js';
import { BadSourceSpecError } from './source-errors.js';

/** A parsed `--source` string. */
export type SourceSpec =
  | { readonly kind: 'blocks'; readonly path: string }
  | { readonly kind: 'esplora'; readonly url: string }
  | { readonly kind: 'core'; readonly url: string };

/** Public Esplora servers by name. Their rate limits are unpublished; the defaults are polite. */
const ESPLORA_ALIASES: Readonly<Record<string, string>> = {
  blockstream: 'https://blockstream.info/api',
  mempool: 'https://mempool.space/api',
};

/**
 * Reads `blocks:DIR_OR_FILE`, `esplora:URL` (or `esplora:blockstream`, `esplora:mempool`)
 * and `core:URL`, the strings the CLI takes. Throws `CHAINTRAIL_BAD_SOURCE` naming the
 * input otherwise.
 */
export function parseSourceSpec(spec: string): SourceSpec {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : '';
  const rest = text.slice(colon + 1).trim();
  switch (kind) {
    case 'blocks':
      if (rest === '') throw new BadSourceSpecError(spec, 'no directory or file after "blocks:"');
      return { kind, path: rest };
    case 'esplora':
      return { kind, url: httpUrl(spec, ESPLORA_ALIASES[rest] ?? rest) };
    case 'core':
      return { kind, url: httpUrl(spec, rest) };
    default:
      throw new BadSourceSpecError(spec, kind === '' ? 'no kind of source before a colon' : `unknown kind of source "${kind}"`);
  }
}

function httpUrl(spec: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new BadSourceSpecError(spec, `"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadSourceSpecError(spec, `the URL must start with http:// or https://, not ${url.protocol}`);
  return text;
}

export interface OpenChainSourceOptions {
  readonly network?: Network;
  /** Home of the Esplora answer caches (`esplora/<server>/`) and of block-file indexes (`block-index/`). */
  readonly cacheDir?: string;
  /** Esplora: ask again for the newest page of each address history (see README, "What is cached"). */
  readonly refreshAddressHistory?: boolean;
  /** The block-file index (default under `cacheDir`). */
  readonly indexPath?: string;
  /** Esplora and Core HTTP limits. */
  readonly limits?: EsploraSourceOptions['limits'];
  /** Bitcoin Core credentials when they are not in the URL. */
  readonly rpcAuth?: CoreRpcAuth;
  /** Transactions per address page (block files; Esplora's is the server's, 25). */
  readonly pageSize?: number;
  readonly hasher?: Hasher;
  readonly onProgress?: (progress: { file: string; blocks: number; transactions: number }) => void;
}

/** Opens the source a `--source` string names (see {@link parseSourceSpec}). */
export async function openChainSource(spec: string, options: OpenChainSourceOptions = {}): Promise<ChainSource> {
  const parsed = parseSourceSpec(spec);
  const common = {
    ...(options.network ? { network: options.network } : {}),
    ...(options.hasher ? { hasher: options.hasher } : {}),
  };
  switch (parsed.kind) {
    case 'blocks':
      if (!existsSync(parsed.path)) throw new BadSourceSpecError(spec, `${parsed.path} does not exist`);
      return openBlockFileSource(parsed.path, {
        ...common,
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
        ...(options.indexPath ? { indexPath: options.indexPath } : {}),
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    case 'esplora':
      return new EsploraSource({
        ...common,
        baseUrl: parsed.url,
        ...(options.cacheDir ? { cacheDir: join(options.cacheDir, 'esplora', serverDirName(parsed.url)) } : {}),
        ...(options.refreshAddressHistory ? { refreshAddressHistory: true } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
      });
    case 'core':
      return new CoreRpcSource({
        ...common,
        url: parsed.url,
        ...(options.rpcAuth ? { auth: options.rpcAuth } : {}),
        ...(options.limits ? { limits: options.limits } : {}),
      });
  }
}

/** One cache per server: answers of a testnet and a mainnet server must not mix. */
function serverDirName(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.host}${url.pathname}`.replace(/[^A-Za-z0-9.-]+/g, '_');
}
