import { ChaintrailError } from '@chaintrail/core';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { TRUTH_SECTIONS, type SiteMoney, type Truth, type TruthRecordOf, type TruthSection, type WorldSummary } from './truth.js';

export class BadTruthFileError extends ChaintrailError {
  constructor(path: string, detail: string) {
    super('CHAINTRAIL_BAD_TRUTH_FILE', `${path} is not a scenario truth file: ${detail}. Regenerate it with \`chaintrail scenario\`.`);
  }
}

/** One record of truth.json with the array it belongs to. */
export type TruthRecord = { [S in TruthSection]: { readonly section: S; readonly record: TruthRecordOf[S] } }[TruthSection];

/** The header of truth.json: what comes before the record arrays. */
export interface TruthHeader {
  readonly options: Readonly<Record<string, unknown>>;
  readonly summary: WorldSummary;
}

interface RawSummary extends Omit<WorldSummary, 'site'> {
  readonly site: Record<keyof SiteMoney, string>;
}

function reviveSummary(raw: RawSummary): WorldSummary {
  const site = raw.site;
  return { ...raw, site: { received: BigInt(site.received), exited: BigInt(site.exited), fees: BigInt(site.fees), held: BigInt(site.held) } };
}

/** Reads a whole truth.json into memory: for worlds of up to some tens of thousands of users. */
export async function readTruth(path: string): Promise<Truth> {
  const raw = JSON.parse(await readFile(path, 'utf8')) as Omit<Truth, 'summary'> & { summary: RawSummary };
  if (raw.format !== 'chaintrail-scenario-truth' || raw.version !== 1) throw new BadTruthFileError(path, `format ${String(raw.format)} version ${String(raw.version)}`);
  return { ...raw, summary: reviveSummary(raw.summary) };
}

/**
 * Reads truth.json a line at a time, in bounded memory, for worlds of any size: calls
 * `onHeader` once, then yields every record with its section.
 */
export async function* streamTruth(path: string, onHeader?: (header: TruthHeader) => void): AsyncGenerator<TruthRecord> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let section: TruthSection | null = null;
  let options: Readonly<Record<string, unknown>> | null = null;
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (line.startsWith('{"format"')) {
        if (!line.startsWith('{"format":"chaintrail-scenario-truth","version":1,')) throw new BadTruthFileError(path, `unknown format on line ${lineNo}`);
      } else if (line.startsWith('"options":')) {
        options = JSON.parse(line.slice(10, line.endsWith(',') ? -1 : undefined)) as Record<string, unknown>;
      } else if (line.startsWith('"summary":')) {
        const summary = reviveSummary(JSON.parse(line.slice(10, line.endsWith(',') ? -1 : undefined)) as RawSummary);
        onHeader?.({ options: options ?? {}, summary });
      } else if (line.startsWith('"')) {
        const name = line.slice(line.indexOf('"') + 1, line.lastIndexOf('"'));
        section = (TRUTH_SECTIONS as readonly string[]).includes(name) ? (name as TruthSection) : null;
        if (section === null) throw new BadTruthFileError(path, `unknown section "${name}" on line ${lineNo}`);
      } else if (line.startsWith('{')) {
        if (section === null) throw new BadTruthFileError(path, `record outside any section on line ${lineNo}`);
        const record = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as TruthRecordOf[TruthSection];
        yield { section, record } as TruthRecord;
      }
    }
  } finally {
    lines.close();
  }
}
