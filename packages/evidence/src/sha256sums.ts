/**
 * `SHA256SUMS` in the format of GNU coreutils (`sha256sum`, text mode): one line per file,
 * `<64 hex>  <path>`, sorted by path. Anyone can check a bundle folder with
 * `sha256sum -c SHA256SUMS`, without chaintrail.
 */

export interface SumLine {
  readonly path: string;
  readonly sha256: string;
  /** 1-based line in SHA256SUMS. */
  readonly line: number;
}

export function formatSums(sums: ReadonlyMap<string, string>): string {
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, sha]) => `${sha}  ${path}\n`)
    .join('');
}

const LINE = /^([0-9a-f]{64}) [ *](.+)$/;

/** Parses SHA256SUMS; lines that do not parse come back in `bad` with their numbers. */
export function parseSums(text: string): { sums: SumLine[]; bad: { line: number; text: string }[] } {
  const sums: SumLine[] = [];
  const bad: { line: number; text: string }[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((content, i) => {
    const match = LINE.exec(content);
    if (match) sums.push({ sha256: match[1] as string, path: match[2] as string, line: i + 1 });
    else bad.push({ line: i + 1, text: content });
  });
  return { sums, bad };
}
