/** Where the API keeps its own files inside chaintrail's data dir (the CLI decides the dir). */
import { join } from 'node:path';

export interface ApiDataPaths {
  /** Token hashes and roles (mode 0600). */
  readonly tokens: string;
  /** The hash-chained audit log; its head file sits beside it (`audit.jsonl.head`). */
  readonly audit: string;
}

export function apiDataPaths(dataDir: string): ApiDataPaths {
  return { tokens: join(dataDir, 'api', 'tokens.json'), audit: join(dataDir, 'api', 'audit.jsonl') };
}
