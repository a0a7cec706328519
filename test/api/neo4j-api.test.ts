import { afterAll, beforeAll } from 'vitest';
import { useApiContext } from './api-context.js';
import { describeApiRoutes } from './api-routes.js';
import { describeHostileInputs } from './hostile-inputs.js';
import { lockNeo4j, neo4jTestUrl, openEmptyNeo4jStore } from './neo4j-test-store.js';

// Fails the file at once when the URL is unset: Neo4j tests never skip.
neo4jTestUrl();
let release: (() => void) | undefined;
beforeAll(async () => {
  release = await lockNeo4j();
}, 660_000);
afterAll(() => release?.());

const context = useApiContext(openEmptyNeo4jStore);
describeApiRoutes('Neo4j', context);
describeHostileInputs('Neo4j', context);
