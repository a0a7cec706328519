/**
 * Every file against SHA256SUMS, and the files the format requires. A file changed, added
 * or removed after export is named here; what it breaks is named by the checks that read it.
 */
import { createHash } from 'node:crypto';
import { FIGURE_SVG_FILE, GEXF_FILE, GRAPHML_FILE, HEADERS_FILE, MANIFEST_FILE, README_FILE, REPORT_HTML_FILE, SUMS_FILE, TABLES } from '../bundle-layout.js';
import { parseSums } from '../sha256sums.js';
import type { VerifyContext } from './verify-context.js';

/** Files every bundle has, whatever it covers. */
export const REQUIRED_FILES: readonly string[] = [
  MANIFEST_FILE,
  README_FILE,
  SUMS_FILE,
  ...Object.values(TABLES).map((t) => t.file),
  HEADERS_FILE,
  GRAPHML_FILE,
  GEXF_FILE,
  FIGURE_SVG_FILE,
  REPORT_HTML_FILE,
].filter((f, i, all) => all.indexOf(f) === i);

export async function verifyFileHashes(ctx: Pick<VerifyContext, 'reader' | 'findings'>): Promise<number> {
  const { reader, findings } = ctx;
  for (const p of reader.problems) findings.fail({ check: 'files', file: p.path, message: p.message });
  for (const required of REQUIRED_FILES) {
    if (!reader.has(required)) findings.fail({ check: 'files', file: required, message: 'required file is missing from the bundle' });
  }
  if (!reader.has(SUMS_FILE)) return 0;
  const { sums, bad } = parseSums((await reader.read(SUMS_FILE)).toString('utf8'));
  for (const b of bad) findings.fail({ check: 'files', file: SUMS_FILE, line: b.line, message: `not a "<sha256>  <path>" line: ${JSON.stringify(b.text.slice(0, 120))}` });
  const listed = new Map<string, number>();
  let checked = 0;
  for (const sum of sums) {
    if (listed.has(sum.path)) {
      findings.fail({ check: 'files', file: SUMS_FILE, line: sum.line, message: `${sum.path} is listed twice (first on line ${listed.get(sum.path)})` });
      continue;
    }
    listed.set(sum.path, sum.line);
    if (!reader.has(sum.path)) {
      findings.fail({ check: 'files', file: sum.path, message: `listed in ${SUMS_FILE} (line ${sum.line}) but missing from the bundle` });
      continue;
    }
    const actual = createHash('sha256').update(await reader.read(sum.path)).digest('hex');
    checked++;
    if (actual !== sum.sha256) findings.fail({ check: 'files', file: sum.path, message: `content changed since export: its SHA-256 is ${actual}, ${SUMS_FILE} line ${sum.line} says ${sum.sha256}` });
  }
  for (const file of reader.files) {
    if (file !== SUMS_FILE && !listed.has(file)) findings.fail({ check: 'files', file, message: `not listed in ${SUMS_FILE}: added to the bundle after export` });
  }
  return checked;
}
