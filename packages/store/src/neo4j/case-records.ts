/**
 * Cases in Neo4j: (:Case)-[:HAS_SEED]->(:Seed) with the line each seed came from,
 * annotations, saved views and job checkpoints. Creation order (listing order) comes from
 * a (:Sequence) counter, taken inside the creating transaction. Ids, case ids and seed
 * addresses are index keys (./index-key.ts), with the verbatim value beside the ones too
 * long to be their own key.
 */
import type {
  Annotation,
  AnnotationColour,
  CaseRecord,
  JobCheckpoint,
  JobCheckpointWrite,
  JsonValue,
  NodeRef,
  Page,
  PageQuery,
  SavedView,
  SeedRecord,
} from '../graph-store.js';
import { BadQueryError, NotFoundError } from '../errors.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';
import { checkLimit, maxPageLimit } from '../query-validation.js';
import { checkSeed } from '../record-checks.js';
import { fullValue, indexKey, keyed } from './index-key.js';
import { row, rows, type Tx } from './neo4j-connection.js';
import { int, num } from './neo4j-values.js';

const nextSeq = 'MERGE (s:Sequence {name: $sequence}) SET s.value = coalesce(s.value, 0) + 1 RETURN s.value AS seq';

const caseColumns =
  'coalesce(c.full, c.id) AS id, c.name AS name, c.description AS description, c.createdAt AS createdAt, COUNT { (c)-[:HAS_SEED]->(:Seed) } AS seedCount';
/** Annotations come back whole, in the interface's shape. */
const annotationRecord = `{id: a.id, caseId: coalesce(a.fullCaseId, a.caseId), target: {kind: a.targetKind, id: a.targetId}, text: a.text,
  colour: a.colour, author: a.author, createdAt: a.createdAt, updatedAt: a.updatedAt} AS record`;
const viewColumns = 'coalesce(v.full, v.id) AS id, coalesce(v.fullCaseId, v.caseId) AS caseId, v.name AS name, v.state AS state, v.createdAt AS createdAt, v.updatedAt AS updatedAt';
const checkpointColumns = 'coalesce(j.full, j.jobId) AS jobId, coalesce(j.fullCaseId, j.caseId) AS caseId, j.kind AS kind, j.state AS state, j.updatedAt AS updatedAt';

/** Rows as stored: a count still a Cypher integer, JSON state still text. */
type CaseRow = Omit<CaseRecord, 'seedCount'> & { seedCount: unknown };
type ViewRow = Omit<SavedView, 'state'> & { state: string };
type CheckpointRow = Omit<JobCheckpoint, 'state'> & { state: string };

export async function createCase(tx: Tx, create: { id: string; name: string; description: string | null; createdAt: string }): Promise<CaseRecord> {
  const id = keyed(create.id);
  const [existing] = await rows(tx, 'MATCH (c:Case {id: $id}) RETURN c.id AS id', { id: id.key });
  if (existing) throw new BadQueryError('case', `a case with id ${JSON.stringify(create.id)} exists already; pick another id`);
  const { seq } = await row<{ seq: unknown }>(tx, nextSeq, { sequence: 'case' });
  await tx.run('CREATE (:Case {id: $id, full: $full, name: $name, description: $description, createdAt: $createdAt, seq: $seq})', {
    ...create,
    id: id.key,
    full: id.full,
    seq,
  });
  return getCase(tx, create.id);
}

export async function getCase(tx: Tx, caseId: string): Promise<CaseRecord> {
  const [found] = await rows<CaseRow>(tx, `MATCH (c:Case {id: $id}) RETURN ${caseColumns}`, { id: indexKey(caseId) });
  if (!found) throw new NotFoundError('case', caseId, 'List the cases with `chaintrail case list`.');
  return toCase(found);
}

export async function listCases(tx: Tx): Promise<CaseRecord[]> {
  return (await rows<CaseRow>(tx, `MATCH (c:Case) RETURN ${caseColumns} ORDER BY c.seq`)).map(toCase);
}

/** Checks seeds before any transaction opens; repeats in one call keep their first line. */
export function seedRows(seeds: readonly SeedRecord[]): Record<string, unknown>[] {
  const first = new Map<string, Record<string, unknown>>();
  for (const seed of seeds) {
    checkSeed(seed);
    if (!first.has(seed.address)) first.set(seed.address, { address: indexKey(seed.address), full: fullValue(seed.address), line: int(seed.line), file: seed.file ?? null });
  }
  return [...first.values()];
}

/** Idempotent by (case, address): the first line an address was seen on is kept. */
export async function addSeeds(tx: Tx, caseId: string, seeds: readonly Record<string, unknown>[]): Promise<void> {
  await getCase(tx, caseId);
  if (seeds.length === 0) return;
  await tx.run(
    `MATCH (c:Case {id: $case})
     UNWIND $seeds AS r
     OPTIONAL MATCH (s:Seed {caseId: $case, address: r.address})
     WITH c, r WHERE s IS NULL
     CREATE (c)-[:HAS_SEED]->(:Seed {caseId: $case, address: r.address, full: r.full, line: r.line, file: r.file})`,
    { case: indexKey(caseId), seeds },
  );
}

export async function seeds(tx: Tx, caseId: string, query: PageQuery): Promise<Page<SeedRecord>> {
  const limit = checkLimit('case seeds', query.limit, maxPageLimit);
  const [line, address] = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : [null, null];
  await getCase(tx, caseId);
  const found = await rows<{ address: string; line: unknown; file: string | null }>(
    tx,
    `MATCH (s:Seed) WHERE s.caseId = $case
     WITH s, coalesce(s.full, s.address) AS address
     WHERE $line IS NULL OR s.line > $line OR (s.line = $line AND address > $address)
     RETURN address, s.line AS line, s.file AS file ORDER BY line, address LIMIT $limit`,
    { case: indexKey(caseId), line: line === null ? null : int(line as number), address, limit: int(limit + 1) },
  );
  const items = found.slice(0, limit).map((seed): SeedRecord => ({ address: seed.address, line: num(seed.line), file: seed.file }));
  const last = items.at(-1);
  return { items, nextCursor: found.length > limit && last ? encodeCursor([last.line, last.address]) : null };
}

export async function addAnnotation(
  tx: Tx,
  annotation: { id: string; caseId: string; target: NodeRef; text: string; colour: AnnotationColour | null; author: string | null; now: string },
): Promise<Annotation> {
  await getCase(tx, annotation.caseId);
  const { seq } = await row<{ seq: unknown }>(tx, nextSeq, { sequence: 'annotation' });
  await tx.run(
    `CREATE (:Annotation {id: $id, caseId: $caseId, fullCaseId: $fullCaseId, targetKind: $targetKind, targetId: $targetId, text: $text,
       colour: $colour, author: $author, createdAt: $now, updatedAt: $now, seq: $seq})`,
    {
      ...annotation,
      caseId: indexKey(annotation.caseId),
      fullCaseId: fullValue(annotation.caseId),
      targetKind: annotation.target.kind,
      targetId: annotation.target.id,
      seq,
    },
  );
  return getAnnotation(tx, annotation.id);
}

/** `text` or `colour` undefined: keep the stored value. */
export async function updateAnnotation(
  tx: Tx,
  annotationId: string,
  update: { text: string | undefined; colour: AnnotationColour | null | undefined; now: string },
): Promise<Annotation> {
  await getAnnotation(tx, annotationId);
  await tx.run(
    `MATCH (a:Annotation {id: $id})
     SET a.text = coalesce($text, a.text), a.colour = CASE WHEN $keepColour THEN a.colour ELSE $colour END, a.updatedAt = $now`,
    { id: indexKey(annotationId), text: update.text ?? null, keepColour: update.colour === undefined, colour: update.colour ?? null, now: update.now },
  );
  return getAnnotation(tx, annotationId);
}

/** One annotation of the case; NotFoundError for another case's (or no) annotation. */
export async function getAnnotationOfCase(tx: Tx, caseId: string, annotationId: string): Promise<Annotation> {
  await getCase(tx, caseId);
  const [found] = await rows<{ record: Annotation }>(tx, `MATCH (a:Annotation {id: $id}) RETURN ${annotationRecord}`, { id: indexKey(annotationId) });
  if (found?.record.caseId !== caseId) {
    throw new NotFoundError('annotation', annotationId, `Case ${JSON.stringify(caseId)} has no annotation with that id; list them with listAnnotations.`);
  }
  return found.record;
}

export async function deleteAnnotation(tx: Tx, annotationId: string): Promise<void> {
  const { deleted } = await row<{ deleted: unknown }>(tx, 'OPTIONAL MATCH (a:Annotation {id: $id}) DELETE a RETURN count(a) AS deleted', {
    id: indexKey(annotationId),
  });
  if (num(deleted) === 0) throw new NotFoundError('annotation', annotationId);
}

export async function listAnnotations(tx: Tx, caseId: string, target?: NodeRef): Promise<Annotation[]> {
  await getCase(tx, caseId);
  const found = await rows<{ record: Annotation }>(
    tx,
    `MATCH (a:Annotation {caseId: $caseId})
     WHERE $kind IS NULL OR (a.targetKind = $kind AND a.targetId = $id)
     RETURN ${annotationRecord} ORDER BY a.seq`,
    { caseId: indexKey(caseId), kind: target?.kind ?? null, id: target?.id ?? null },
  );
  return found.map((r) => r.record);
}

export async function saveView(tx: Tx, view: { id: string; caseId: string; name: string; state: string; now: string }): Promise<SavedView> {
  await getCase(tx, view.caseId);
  const keys = { ...view, id: indexKey(view.id), full: fullValue(view.id), caseId: indexKey(view.caseId), fullCaseId: fullValue(view.caseId) };
  const [existing] = await rows<{ caseId: string }>(tx, 'MATCH (v:SavedView {id: $id}) RETURN v.caseId AS caseId', keys);
  if (existing && existing.caseId !== keys.caseId) throw new BadQueryError('saved view', `view ${view.id} belongs to another case`);
  if (existing) {
    await tx.run('MATCH (v:SavedView {id: $id}) SET v.name = $name, v.state = $state, v.updatedAt = $now', keys);
  } else {
    const { seq } = await row<{ seq: unknown }>(tx, nextSeq, { sequence: 'view' });
    await tx.run(
      `CREATE (:SavedView {id: $id, full: $full, caseId: $caseId, fullCaseId: $fullCaseId, name: $name, state: $state,
         createdAt: $now, updatedAt: $now, seq: $seq})`,
      { ...keys, seq },
    );
  }
  return getView(tx, view.id);
}

export async function getView(tx: Tx, viewId: string): Promise<SavedView> {
  const [found] = await rows<ViewRow>(tx, `MATCH (v:SavedView {id: $id}) RETURN ${viewColumns}`, { id: indexKey(viewId) });
  if (!found) throw new NotFoundError('saved view', viewId);
  return toView(found);
}

export async function listViews(tx: Tx, caseId: string): Promise<SavedView[]> {
  await getCase(tx, caseId);
  return (await rows<ViewRow>(tx, `MATCH (v:SavedView {caseId: $caseId}) RETURN ${viewColumns} ORDER BY v.seq`, { caseId: indexKey(caseId) })).map(toView);
}

export async function deleteView(tx: Tx, viewId: string): Promise<void> {
  const { deleted } = await row<{ deleted: unknown }>(tx, 'OPTIONAL MATCH (v:SavedView {id: $id}) DELETE v RETURN count(v) AS deleted', { id: indexKey(viewId) });
  if (num(deleted) === 0) throw new NotFoundError('saved view', viewId);
}

export async function getCheckpoint(tx: Tx, jobId: string): Promise<JobCheckpoint | null> {
  const [found] = await rows<CheckpointRow>(tx, `MATCH (j:JobCheckpoint {jobId: $jobId}) RETURN ${checkpointColumns}`, { jobId: indexKey(jobId) });
  return found ? toCheckpoint(found) : null;
}

export async function setCheckpoint(tx: Tx, checkpoint: Omit<JobCheckpointWrite, 'state'> & { state: string; now: string }): Promise<JobCheckpoint> {
  const caseId = checkpoint.caseId;
  await tx.run(
    `MERGE (j:JobCheckpoint {jobId: $jobId})
     SET j.full = $full, j.caseId = $caseId, j.fullCaseId = $fullCaseId, j.kind = $kind, j.state = $state, j.updatedAt = $now`,
    {
      ...checkpoint,
      jobId: indexKey(checkpoint.jobId),
      full: fullValue(checkpoint.jobId),
      caseId: caseId === null ? null : indexKey(caseId),
      fullCaseId: caseId === null ? null : fullValue(caseId),
    },
  );
  return (await getCheckpoint(tx, checkpoint.jobId))!;
}

export async function listCheckpoints(tx: Tx, caseId?: string): Promise<JobCheckpoint[]> {
  const found = await rows<CheckpointRow>(
    tx,
    `MATCH (j:JobCheckpoint) WHERE $all OR j.caseId = $caseId RETURN ${checkpointColumns} ORDER BY jobId`,
    { all: caseId === undefined, caseId: caseId === undefined || caseId === null ? null : indexKey(caseId) },
  );
  return found.map(toCheckpoint);
}

async function getAnnotation(tx: Tx, annotationId: string): Promise<Annotation> {
  const [found] = await rows<{ record: Annotation }>(tx, `MATCH (a:Annotation {id: $id}) RETURN ${annotationRecord}`, { id: indexKey(annotationId) });
  if (!found) throw new NotFoundError('annotation', annotationId);
  return found.record;
}

function toCase(found: CaseRow): CaseRecord {
  return { ...found, seedCount: num(found.seedCount) };
}

function toView(found: ViewRow): SavedView {
  return { ...found, state: JSON.parse(found.state) as JsonValue };
}

function toCheckpoint(found: CheckpointRow): JobCheckpoint {
  return { ...found, state: JSON.parse(found.state) as JsonValue };
}
