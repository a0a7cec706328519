/**
 * The Neo4j schema (../shared/DESIGN.md, "Model"), as migrations, and its version check.
 *
 *   (:Tx)-[:OUTPUT]->(:Output)-[:LOCKED_BY]->(:Address)-[:IN_ENTITY]->(:Entity)
 *   (:Output)-[:SPENT_IN {vin}]->(:Tx)      first stored spender only, as an output has one
 *   (:Tx)-[:AWAITS {vin, vout}]->(:MissingTx)   an input whose parent is not stored yet
 *   (:Address)-[:LINKED {key, txid, heuristic, confidence}]->(:Address)
 *   (:Tag)-[:TAGS]->(:Address)
 *   (:CoinJoin {txid, rule}), (:Block {hash}), (:Case), (:Seed), (:Annotation),
 *   (:SavedView), (:JobCheckpoint), (:Sequence), (:ChaintrailSchema)
 *
 * Every key has a uniqueness constraint, so MERGE is idempotent even between concurrent
 * writers, and every lookup is an index seek. Keys that users choose (addresses, labels,
 * entity, case and job ids) are stored as index keys (./index-key.ts), with `full` copies
 * of values too long to index and `head` prefixes for prefix search. The version lives on the (:ChaintrailSchema)
 * node; a database written by a newer chaintrail is refused, an older one migrated.
 */
import { NotAStoreError, StoreSchemaError } from '../errors.js';
import type { Neo4jConnection } from './neo4j-connection.js';
import { row } from './neo4j-connection.js';
import { int, num, numOrNull } from './neo4j-values.js';

export interface Neo4jMigration {
  /** The version the store has after this step; consecutive from 1. */
  readonly version: number;
  readonly description: string;
  /** Schema statements, each idempotent (IF NOT EXISTS): a migration cut short can rerun. */
  readonly statements: readonly string[];
}

const unique = (name: string, pattern: string, property: string): string =>
  `CREATE CONSTRAINT ${name} IF NOT EXISTS FOR ${pattern} REQUIRE ${property} IS UNIQUE`;

/** Append only: released databases hold every earlier version. */
export const neo4jMigrations: readonly Neo4jMigration[] = [
  {
    version: 1,
    description: 'uniqueness constraints on every key, lookup and text indexes',
    statements: [
      unique('chaintrail_schema_id', '(s:ChaintrailSchema)', 's.id'),
      unique('chaintrail_sequence_name', '(s:Sequence)', 's.name'),
      unique('chaintrail_tx_txid', '(t:Tx)', 't.txid'),
      unique('chaintrail_output_id', '(o:Output)', 'o.id'),
      unique('chaintrail_address_address', '(a:Address)', 'a.address'),
      unique('chaintrail_missing_tx_txid', '(m:MissingTx)', 'm.txid'),
      unique('chaintrail_entity_id', '(e:Entity)', 'e.id'),
      unique('chaintrail_linked_key', '()-[l:LINKED]-()', 'l.key'),
      unique('chaintrail_coinjoin_txid', '(c:CoinJoin)', 'c.txid'),
      unique('chaintrail_tag_key', '(t:Tag)', '(t.address, t.label, t.source)'),
      unique('chaintrail_block_hash', '(b:Block)', 'b.hash'),
      unique('chaintrail_case_id', '(c:Case)', 'c.id'),
      unique('chaintrail_seed_key', '(s:Seed)', '(s.caseId, s.address)'),
      unique('chaintrail_annotation_id', '(a:Annotation)', 'a.id'),
      unique('chaintrail_saved_view_id', '(v:SavedView)', 'v.id'),
      unique('chaintrail_job_checkpoint_id', '(j:JobCheckpoint)', 'j.jobId'),
      'CREATE INDEX chaintrail_address_head IF NOT EXISTS FOR (a:Address) ON (a.head)',
      'CREATE INDEX chaintrail_entity_head IF NOT EXISTS FOR (e:Entity) ON (e.head)',
      'CREATE INDEX chaintrail_tag_address IF NOT EXISTS FOR (t:Tag) ON (t.address)',
      'CREATE TEXT INDEX chaintrail_tag_label IF NOT EXISTS FOR (t:Tag) ON (t.labelLower)',
      'CREATE TEXT INDEX chaintrail_entity_label IF NOT EXISTS FOR (e:Entity) ON (e.labelLower)',
      'CREATE INDEX chaintrail_block_height IF NOT EXISTS FOR (b:Block) ON (b.height)',
      'CREATE INDEX chaintrail_seed_line IF NOT EXISTS FOR (s:Seed) ON (s.caseId, s.line)',
      'CREATE INDEX chaintrail_annotation_case IF NOT EXISTS FOR (a:Annotation) ON (a.caseId)',
      'CREATE INDEX chaintrail_saved_view_case IF NOT EXISTS FOR (v:SavedView) ON (v.caseId)',
      'CREATE INDEX chaintrail_job_checkpoint_case IF NOT EXISTS FOR (j:JobCheckpoint) ON (j.caseId)',
    ],
  },
];

export interface SchemaOptions {
  readonly migrate: boolean;
  readonly readonly: boolean;
}

/** Brings the database to the latest schema, or refuses it with a typed error. */
export async function prepareNeo4jSchema(connection: Neo4jConnection, migrations: readonly Neo4jMigration[], options: SchemaOptions): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0;
  const state = await connection.read((tx) =>
    row<{ version: unknown; nodes: unknown }>(
      tx,
      `OPTIONAL MATCH (s:ChaintrailSchema {id: 'schema'})
       WITH s.version AS version
       CALL () { MATCH (n) RETURN count(n) AS nodes }
       RETURN version, nodes`,
    ),
  );
  const found = numOrNull(state.version);
  const location = connection.location;
  if (found === null) {
    if (num(state.nodes) > 0) {
      throw new NotAStoreError(location, 'the database holds nodes but no chaintrail schema version; point chaintrail at an empty database');
    }
    if (options.readonly) throw new NotAStoreError(location, 'the database is empty');
    await runMigrations(connection, migrations, 0);
    return latest;
  }
  if (found > latest) throw new StoreSchemaError(location, found, latest);
  if (found < latest) {
    if (options.readonly || !options.migrate) {
      throw new StoreSchemaError(
        location,
        found,
        latest,
        `migration was not allowed (${options.readonly ? 'opened read-only' : 'migrate: false'}); open it once with migration on`,
      );
    }
    await runMigrations(connection, migrations, found);
  }
  return latest;
}

async function runMigrations(connection: Neo4jConnection, migrations: readonly Neo4jMigration[], from: number): Promise<void> {
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    for (const statement of migration.statements) await connection.autoCommit(statement);
    // Constraints must be online before the first MERGE relies on them.
    await connection.autoCommit('CALL db.awaitIndexes(300)');
    await connection.write((tx) =>
      tx.run(
        `MERGE (s:ChaintrailSchema {id: 'schema'})
         SET s.version = $version, s.history = coalesce(s.history, []) + [$entry]`,
        { version: int(migration.version), entry: `${migration.version} ${new Date().toISOString()} ${migration.description}` },
      ),
    );
  }
}
