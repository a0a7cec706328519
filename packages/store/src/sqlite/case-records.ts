/**
 * Cases in the SQLite store: seeds with the line they came from, annotations, saved views
 * and job checkpoints.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  Annotation,
  AnnotationColour,
  AnnotationCreate,
  AnnotationUpdate,
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
import { checkLimit, checkNode, maxPageLimit } from '../query-validation.js';
import { checkAnnotationColour } from '../annotation-colour.js';
import { checkAnnotationText, checkAnnotationUpdate, checkCaseCreate, checkJobId, checkSeed, checkViewName, toJson } from '../record-checks.js';
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
  colour: AnnotationColour | null;
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
  private readonly caseExists: Database.Statement;
  private readonly allCases: Database.Statement;
  private readonly insertSeeds: ChunkedValues;
  private readonly seedsPage: Database.Statement;
  private readonly insertAnnotation: Database.Statement;
  private readonly annotationById: Database.Statement;
  private readonly setAnnotation: Database.Statement;
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
    this.caseExists = db.prepare('SELECT 1 FROM cases WHERE id = ?').pluck();
    this.allCases = db.prepare(`SELECT ${caseColumns} FROM cases c ORDER BY c.seq`);
    this.insertSeeds = new ChunkedValues(db, 'INSERT INTO seeds (case_id, address, line, file)', 4, 'ON CONFLICT (case_id, address) DO NOTHING');
    this.seedsPage = db.prepare(
      // A plain row-value bound (the first page starts below every line) lets SQLite seek
      // seeds_by_line; `@line IS NULL OR ...` made it rescan the case from the start on every
      // page, quadratic in a million-seed case.
      `SELECT address, line, file FROM seeds WHERE case_id = @case AND (line, address) > (@line, @address)
       ORDER BY line, address LIMIT @limit`,
    );
    this.insertAnnotation = db.prepare(
      'INSERT INTO annotations (id, case_id, target_kind, target_id, text, colour, author, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.annotationById = db.prepare('SELECT * FROM annotations WHERE id = ?');
    this.setAnnotation = db.prepare(
      'UPDATE annotations SET text = coalesce(@text, text), colour = CASE WHEN @keepColour THEN colour ELSE @colour END, updated_at = @now WHERE id = @id',
    );
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
    const { id, name, description } = checkCaseCreate(create, randomUUID);
    if (this.caseById.get(id)) throw new BadQueryError('case', `a case with id ${JSON.stringify(id)} exists already; pick another id`);
    this.insertCase.run(id, name, description, new Date().toISOString());
    return this.getCase(id);
  }

  getCase(caseId: string): CaseRecord {
    const row = this.caseById.get(caseId) as CaseRow | undefined;
    if (!row) throw new NotFoundError('case', caseId, 'List the cases with `chaintrail case list`.');
    return toCase(row);
  }

  /** getCase without the seed count, which costs a scan of the case's seeds. */
  private requireCase(caseId: string): void {
    if (this.caseExists.get(caseId) === undefined) throw new NotFoundError('case', caseId, 'List the cases with `chaintrail case list`.');
  }

  listCases(): CaseRecord[] {
    return (this.allCases.all() as CaseRow[]).map(toCase);
  }

  addSeeds(caseId: string, seeds: readonly SeedRecord[]): void {
    this.requireCase(caseId);
    this.insertSeeds.run(
      seeds.flatMap((seed) => {
        checkSeed(seed);
        return [caseId, seed.address, seed.line, seed.file ?? null];
      }),
    );
  }

  seeds(caseId: string, query: PageQuery): Page<SeedRecord> {
    const limit = checkLimit('case seeds', query.limit, maxPageLimit);
    this.requireCase(caseId);
    const [line, address] = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : [Number.MIN_SAFE_INTEGER, ''];
    const rows = this.seedsPage.all({ case: caseId, line, address, limit: limit + 1 }) as { address: string; line: number; file: string | null }[];
    const items = rows.slice(0, limit).map((row): SeedRecord => ({ address: row.address, line: row.line, file: row.file }));
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.line, last.address]) : null };
  }

  addAnnotation(caseId: string, create: AnnotationCreate): Annotation {
    this.requireCase(caseId);
    const target = checkNode(create.target);
    const text = checkAnnotationText(create.text);
    const colour = checkAnnotationColour(create.colour);
    const id = randomUUID();
    const now = new Date().toISOString();
    this.insertAnnotation.run(id, caseId, target.kind, target.id, text, colour, create.author ?? null, now, now);
    return this.annotation(id);
  }

  updateAnnotation(annotationId: string, update: string | AnnotationUpdate): Annotation {
    this.annotation(annotationId);
    const { text, colour } = checkAnnotationUpdate(update);
    this.setAnnotation.run({ id: annotationId, text: text ?? null, keepColour: colour === undefined ? 1 : 0, colour: colour ?? null, now: new Date().toISOString() });
    return this.annotation(annotationId);
  }

  getAnnotation(caseId: string, annotationId: string): Annotation {
    this.requireCase(caseId);
    const found = this.annotationById.get(annotationId) as AnnotationRow | undefined;
    if (!found || found.case_id !== caseId) throw new NotFoundError('annotation', annotationId, `Case ${JSON.stringify(caseId)} has no annotation with that id; list them with listAnnotations.`);
    return toAnnotation(found);
  }

  deleteAnnotation(annotationId: string): void {
    if (this.removeAnnotation.run(annotationId).changes === 0) throw new NotFoundError('annotation', annotationId);
  }

  listAnnotations(caseId: string, target?: NodeRef): Annotation[] {
    this.requireCase(caseId);
    const rows = target ? this.annotationsOn.all(caseId, target.kind, checkNode(target).id) : this.annotationsOf.all(caseId);
    return (rows as AnnotationRow[]).map(toAnnotation);
  }

  saveView(caseId: string, view: SavedViewWrite): SavedView {
    this.requireCase(caseId);
    checkViewName(view.name);
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
    this.requireCase(caseId);
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
    checkJobId(checkpoint.jobId);
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

function toCase(row: CaseRow): CaseRecord {
  return { id: row.id, name: row.name, description: row.description, createdAt: row.created_at, seedCount: row.seed_count };
}

function toAnnotation(row: AnnotationRow): Annotation {
  return {
    id: row.id,
    caseId: row.case_id,
    target: { kind: row.target_kind, id: row.target_id },
    text: row.text,
    colour: row.colour,
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
