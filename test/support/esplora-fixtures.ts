import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from './shared-data.js';

/**
 * Every Esplora transaction object in ../shared/data/esplora: the pages of block 680000
 * (`block680000_txs/responseN.json`) and the `/tx/:txid`-shaped files of mempool-fixtures
 * (the websocket block messages there hold no transactions and are skipped).
 * Typed loosely on purpose: tests check these against the parser, not the other way round.
 */
export interface RecordedEsploraTx {
  /** File the transaction came from, relative to esplora/. */
  readonly source: string;
  readonly tx: EsploraJson;
}

export interface EsploraJson {
  txid: string;
  version: number;
  locktime: number;
  vin: {
    txid: string;
    vout: number;
    prevout: EsploraOutputJson | null;
    scriptsig: string;
    witness?: string[];
    is_coinbase: boolean;
    sequence: number;
  }[];
  vout: EsploraOutputJson[];
  size?: number;
  weight?: number;
  fee?: number;
  status?: { confirmed: boolean; block_height?: number; block_hash?: string; block_time?: number };
}

export interface EsploraOutputJson {
  scriptpubkey: string;
  scriptpubkey_type: string;
  scriptpubkey_address?: string;
  value: number;
}

export function readRecordedEsploraTxs(): RecordedEsploraTx[] {
  const out: RecordedEsploraTx[] = [];
  for (const folder of ['block680000_txs', 'mempool-fixtures']) {
    const dir = sharedData('esplora', folder);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
      const items = Array.isArray(json) ? json : [json];
      for (const item of items) {
        if (item !== null && typeof item === 'object' && 'txid' in item && 'vin' in item) {
          out.push({ source: `${folder}/${file}`, tx: item as EsploraJson });
        }
      }
    }
  }
  return out;
}
