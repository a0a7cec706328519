import { afterAll, beforeAll } from 'vitest';
import { openStore } from '@chaintrail/store';
import { lockNeo4jTestDatabase, neo4jTestUrl, wipeNeo4jTestDatabase } from '../neo4j/neo4j-test-database.js';
import { useApiContext } from './api-context.js';
import { describeApiRoutes } from './api-routes.js';
import { describeHostileInputs } from './hostile-inputs.js';
import { describeTagFileImport } from './tag-file-import.js';

// Throws at once when CHAINTRAIL_TEST_NEO4J_URL is unset: Neo4j tests never skip.
const url = neo4jTestUrl();
let release: (() => void) | undefined;
beforeAll(async () => {
  release = await lockNeo4jTestDatabase(url);
}, 660_000);
afterAll(() => release?.());

const context = useApiContext(async () => {
  await wipeNeo4jTestDatabase(url);
  return openStore(`neo4j:${url}`);
});
describeApiRoutes('Neo4j', context);
describeHostileInputs('Neo4j', context);
describeTagFileImport('Neo4j', context);
