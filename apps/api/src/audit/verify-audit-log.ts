/**
 * `chaintrail audit verify`: walks the log line by line (streamed, so a log of millions of
 * requests needs no memory), re-computing the hash chain, and compares the end with the
 * head file. Any edited, inserted, reordered or deleted line is reported with its line
 * number.
 *
 * What a chain cannot show on its own: someone who rewrites the whole log *and* its head
 * file consistently. Against that, write the head hash somewhere the server cannot reach
 * (case notes, an e-mail to oneself) and pass it back as `expectedHead`.
 */
import { createReadStream, existsSync, openSync, closeSync, fstatSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { auditEntrySchema, GENESIS_HASH, headPathOf, lineHash, type AuditHead } from './audit-entry.js';
import { readHeadFile } from './audit-log.js';

export interface AuditProblem {
  /** 1-based line of the log; 0 for a problem of the log as a whole (head file, end). */
  readonly line: number;
  readonly problem: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly path: string;
  readonly entries: number;
  /** Seq and hash of the last line read (what to write down as the expected head). */
  readonly head: AuditHead;
  readonly headFile: AuditHead | null;
  /** The first problems found (at most `maxProblems`). */
  readonly problems: AuditProblem[];
}

export interface VerifyAuditOptions {
  /** A head written down earlier: the log must still contain it, at that seq. */
  readonly expectedHead?: AuditHead;
  readonly maxProblems?: number;
}

export async function verifyAuditLog(path: string, options: VerifyAuditOptions = {}): Promise<AuditVerification> {
  const maxProblems = options.maxProblems ?? 100;
  const problems: AuditProblem[] = [];
  const note = (line: number, problem: string): void => {
    if (problems.length < maxProblems) problems.push({ line, problem });
  };
  if (!existsSync(path)) {
    return { ok: false, path, entries: 0, head: { seq: 0, hash: GENESIS_HASH }, headFile: null, problems: [{ line: 0, problem: `no audit log at ${path}` }] };
  }
  let prevHash = GENESIS_HASH;
  let lineNo = 0;
  let lastSeq = 0;
  let expectedFound = options.expectedHead === undefined || options.expectedHead.seq === 0;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo++;
    const parsed = auditEntrySchema.safeParse(parseJson(line));
    if (!parsed.success) {
      note(lineNo, `not an audit entry (${parsed.error.issues[0]?.message ?? 'bad JSON'}): the line was edited or damaged`);
    } else {
      const entry = parsed.data;
      if (entry.prev !== prevHash) note(lineNo, 'its prev hash does not match the line before: that line was edited, or lines were inserted or removed here');
      if (entry.seq !== lastSeq + 1) note(lineNo, `sequence jumps from ${lastSeq} to ${entry.seq}: lines were removed or reordered`);
      lastSeq = entry.seq;
    }
    prevHash = lineHash(line);
    const expected = options.expectedHead;
    if (expected !== undefined && lastSeq === expected.seq && !expectedFound) {
      expectedFound = true;
      if (prevHash !== expected.hash) note(lineNo, `entry ${expected.seq} no longer has the hash written down (${expected.hash.slice(0, 12)}…): the log was rewritten up to here`);
    }
  }
  if (lineNo > 0 && !endsWithNewline(path)) note(lineNo, 'the last line is incomplete (a crash mid-write, or an edit)');
  const head: AuditHead = { seq: lastSeq, hash: prevHash };
  const headPath = headPathOf(path);
  let headFile: AuditHead | null = null;
  if (!existsSync(headPath)) {
    if (lineNo > 0) note(0, `the head file ${headPath} is missing, so lines cut from the end cannot be ruled out`);
  } else {
    try {
      headFile = readHeadFile(path, headPath);
      if (headFile.seq !== head.seq || headFile.hash !== head.hash) {
        note(0, `the log ends at entry ${head.seq} but the head file records entry ${headFile.seq}: lines were cut from the end or the log was rewritten`);
      }
    } catch (error) {
      note(0, error instanceof Error ? error.message : String(error));
    }
  }
  if (!expectedFound && options.expectedHead !== undefined) {
    note(0, `the log never reaches entry ${options.expectedHead.seq} written down earlier: lines were cut`);
  }
  return { ok: problems.length === 0, path, entries: lineNo, head, headFile, problems };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function endsWithNewline(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}
