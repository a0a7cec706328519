/**
 * Cases in the SQLite store: seeds with the line they came from, annotations, saved views
 * and job checkpoints.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  Annotation,
  AnnotationCreate,
  CaseCreate,
  CaseRecord,
  JobCheckpoint,
  JobCheckpointWrite,
  JsonValue,
  NodeRef,
  Page,
  PageQuery,
  SavedView,
  SavedViewWrite,
  SeedRecord,
} from '../graph-store.js';
import { BadQueryError, NotFoundError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { checkAddress, checkLimit, checkNode, maxPageLimit } from '../query-validation.js';
import { ChunkedValues } from './chunked-statements.js';

interface CaseRow {
  id: string;
  name: string;
  description: string | null;
  created_at: string;
  seed_count: number;
}
interface AnnotationRow {
  id: string;
  case_id: string;
  target_kind: NodeRef['kind'];
  target_id: string;
  text: string;
  author: string | null;
  created_at: string;
  updated_at: string;
}
interface ViewRow {
  id: string;
  case_id: string;
  name: string;
  state: string;
  created_at: string;
  updated_at: string;
}
interface CheckpointRow {
  job_id: string;
  case_id: string | null;
  kind: string;
  state: string;
  updated_at: string;
}

export class CaseRecords {
  private readonly insertCase: Database.Statement;
  private readonly caseById: Database.Statement;
  private readonly allCases: Database.Statement;
  private readonly insertSeeds: ChunkedValues;
  private readonly seedsPage: Database.Statement;
  private readonly insertAnnotation: Database.Statement;
  private readonly annotationById: Database.Statement;
  private readonly setAnnotationText: Database.Statement;
  private readonly removeAnnotation: Database.Statement;
  private readonly annotationsOf: Database.Statement;
  private readonly annotationsOn: Database.Statement;
  private readonly upsertView: Database.Statement;
  private readonly viewById: Database.Statement;
  private readonly viewsOf: Database.Statement;
  private readonly removeView: Database.Statement;
  private readonly checkpointById: Database.Statement;
  private readonly upsertCheckpoint: Database.Statement;
  private readonly allCheckpoints: Database.Statement;
  private readonly checkpointsOf: Database.Statement;

  constructor(db: Database.Database) {
    const caseColumns = 'c.id, c.name, c.description, c.created_at, (SELECT count(*) FROM seeds s WHERE s.case_id = c.id) AS seed_count';
    this.insertCase = db.prepare('INSERT INTO cases (id, name, description, created_at) VALUES (?, ?, ?, ?)');
    this.caseById = db.prepare(`SELECT ${caseColumns} FROM cases c WHERE c.id = ?`);
    this.allCases = db.prepare(`SELECT ${caseColumns} FROM cases c ORDER BY c.seq`);
    this.insertSeeds = new ChunkedValues(db, 'INSERT INTO seeds (case_id, address, line, file)', 4, 'ON CONFLICT (case_id, address) DO NOTHING');
    this.seedsPage = db.prepare(
      `SELECT address, line, file FROM seeds WHERE case_id = @case AND (@line IS NULL OR (line, address) > (@line, @address))
       ORDER BY line, address LIMIT @limit`,
    );
    this.insertAnnotation = db.prepare(
      'INSERT INTO annotations (id, case_id, target_kind, target_id, text, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.annotationById = db.prepare('SELECT * FROM annotations WHERE id = ?');
    this.setAnnotationText = db.prepare('UPDATE annotations SET text = ?, updated_at = ? WHERE id = ?');
    this.removeAnnotation = db.prepare('DELETE FROM annotations WHERE id = ?');
    this.annotationsOf = db.prepare('SELECT * FROM annotations WHERE case_id = ? ORDER BY seq');
    this.annotationsOn = db.prepare('SELECT * FROM annotations WHERE case_id = ? AND target_kind = ? AND target_id = ? ORDER BY seq');
    this.upsertView = db.prepare(
      `INSERT INTO saved_views (id, case_id, name, state, created_at, updated_at) VALUES (@id, @case, @name, @state, @now, @now)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.viewById = db.prepare('SELECT * FROM saved_views WHERE id = ?');
    this.viewsOf = db.prepare('SELECT * FROM saved_views WHERE case_id = ? ORDER BY seq');
    this.removeView = db.prepare('DELETE FROM saved_views WHERE id = ?');
    this.checkpointById = db.prepare('SELECT * FROM job_checkpoints WHERE job_id = ?');
    this.upsertCheckpoint = db.prepare(
      `INSERT INTO job_checkpoints (job_id, case_id, kind, state, updated_at) VALUES (@job, @case, @kind, @state, @now)
       ON CONFLICT (job_id) DO UPDATE SET case_id = excluded.case_id, kind = excluded.kind, state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.allCheckpoints = db.prepare('SELECT * FROM job_checkpoints ORDER BY job_id');
    this.checkpointsOf = db.prepare('SELECT * FROM job_checkpoints WHERE case_id = ? ORDER BY job_id');
  }

  createCase(create: CaseCreate): CaseRecord {
    if (typeof create.name !== 'string' || create.name.length === 0) throw new BadQueryError('case', 'the name must be a non-empty string');
    const id = create.id ?? randomUUID();
    if (id.length === 0) throw new BadQueryError('case', 'the id must be a non-empty string');
    if (this.caseById.get(id)) throw new BadQueryError('case', `a case with id ${JSON.stringify(id)} exists already; pick another id`);
    this.insertCase.run(id, create.name, create.description ?? null, new Date().toISOString());
    return this.getCase(id);
  }

  getCase(caseId: string): CaseRecord {
    const row = this.caseById.get(caseId) as CaseRow | undefined;
    if (!row) throw new NotFoundError('case', caseId, 'List the cases with `chaintrail case list`.');
    return toCase(row);
  }

  listCases(): CaseRecord[] {
    return (this.allCases.all() as CaseRow[]).map(toCase);
  }

  addSeeds(caseId: string, seeds: readonly SeedRecord[]): void {
    this.getCase(caseId);
    this.insertSeeds.run(
      seeds.flatMap((seed) => {
        checkAddress(seed.address);
        if (!Number.isInteger(seed.line) || seed.line < 1) throw new BadQueryError(`seed ${seed.address}`, `line must be a positive integer, got ${seed.line}`);
        return [caseId, seed.address, seed.line, seed.file ?? null];
      }),
    );
  }

  seeds(caseId: string, query: PageQuery): Page<SeedRecord> {
    const limit = checkLimit('case seeds', query.limit, maxPageLimit);
    this.getCase(caseId);
    const [line, address] = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : [null, null];
    const rows = this.seedsPage.all({ case: caseId, line, address, limit: limit + 1 }) as { address: string; line: number; file: string | null }[];
    const items = rows.slice(0, limit).map((row): SeedRecord => ({ address: row.address, line: row.line, file: row.file }));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.line, last.address]) : null };
  }

  addAnnotation(caseId: string, create: AnnotationCreate): Annotation {
    this.getCase(caseId);
    const target = checkNode(create.target);
    if (typeof create.text !== 'string') throw new BadQueryError('annotation', 'text must be a string');
    const id = randomUUID();
    const now = new Date().toISOString();
    this.insertAnnotation.run(id, caseId, target.kind, target.id, create.text, create.author ?? null, now, now);
    return this.annotation(id);
  }

  updateAnnotation(annotationId: string, text: string): Annotation {
    this.annotation(annotationId);
    if (typeof text !== 'string') throw new BadQueryError('annotation', 'text must be a string');
    this.setAnnotationText.run(text, new Date().toISOString(), annotationId);
    return this.annotation(annotationId);
  }

  deleteAnnotation(annotationId: string): void {
    if (this.removeAnnotation.run(annotationId).changes === 0) throw new NotFoundError('annotation', annotationId);
  }

  listAnnotations(caseId: string, target?: NodeRef): Annotation[] {
    this.getCase(caseId);
    const rows = target ? this.annotationsOn.all(caseId, target.kind, checkNode(target).id) : this.annotationsOf.all(caseId);
    return (rows as AnnotationRow[]).map(toAnnotation);
  }

  saveView(caseId: string, view: SavedViewWrite): SavedView {
    this.getCase(caseId);
    if (typeof view.name !== 'string' || view.name.length === 0) throw new BadQueryError('saved view', 'the name must be a non-empty string');
    const existing = view.id === undefined ? undefined : (this.viewById.get(view.id) as ViewRow | undefined);
    if (existing && existing.case_id !== caseId) throw new BadQueryError('saved view', `view ${view.id} belongs to another case`);
    const id = view.id ?? randomUUID();
    this.upsertView.run({ id, case: caseId, name: view.name, state: toJson('saved view state', view.state), now: new Date().toISOString() });
    return this.getView(id);
  }

  getView(viewId: string): SavedView {
    const row = this.viewById.get(viewId) as ViewRow | undefined;
    if (!row) throw new NotFoundError('saved view', viewId);
    return toView(row);
  }

  listViews(caseId: string): SavedView[] {
    this.getCase(caseId);
    return (this.viewsOf.all(caseId) as ViewRow[]).map(toView);
  }

  deleteView(viewId: string): void {
    if (this.removeView.run(viewId).changes === 0) throw new NotFoundError('saved view', viewId);
  }

  getCheckpoint(jobId: string): JobCheckpoint | null {
    const row = this.checkpointById.get(jobId) as CheckpointRow | undefined;
    return row ? toCheckpoint(row) : null;
  }

  setCheckpoint(checkpoint: JobCheckpointWrite): JobCheckpoint {
    if (typeof checkpoint.jobId !== 'string' || checkpoint.jobId.length === 0) throw new BadQueryError('job checkpoint', 'jobId must be a non-empty string');
    this.upsertCheckpoint.run({
      job: checkpoint.jobId,
      case: checkpoint.caseId,
      kind: checkpoint.kind,
      state: toJson('job checkpoint state', checkpoint.state),
      now: new Date().toISOString(),
    });
    return this.getCheckpoint(checkpoint.jobId)!;
  }

  listCheckpoints(caseId?: string): JobCheckpoint[] {
    return ((caseId === undefined ? this.allCheckpoints.all() : this.checkpointsOf.all(caseId)) as CheckpointRow[]).map(toCheckpoint);
  }

  private annotation(annotationId: string): Annotation {
    const row = this.annotationById.get(annotationId) as AnnotationRow | undefined;
    if (!row) throw new NotFoundError('annotation', annotationId);
    return toAnnotation(row);
  }
}

function toJson(what: string, value: JsonValue): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error('not JSON data');
    return text;
  } catch (error) {
    throw new BadQueryError(what, `must be plain JSON data (${error instanceof Error ? error.message : String(error)})`);
  }
}

function toCase(row: CaseRow): CaseRecord {
  return { id: row.id, name: row.name, description: row.description, createdAt: row.created_at, seedCount: row.seed_count };
}

function toAnnotation(row: AnnotationRow): Annotation {
  return {
    id: row.id,
    caseId: row.case_id,
    target: { kind: row.target_kind, id: row.target_id },
    text: row.text,
    author: row.author,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toView(row: ViewRow): SavedView {
  return { id: row.id, caseId: row.case_id, name: row.name, state: JSON.parse(row.state) as JsonValue, createdAt: row.created_at, updatedAt: row.updated_at };
}

function toCheckpoint(row: CheckpointRow): JobCheckpoint {
  return { jobId: row.job_id, caseId: row.case_id, kind: row.kind, state: JSON.parse(row.state) as JsonValue, updatedAt: row.updated_at };
}
