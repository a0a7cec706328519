export type * from './graph-store.js';
export * from './errors.js';
export { openStore, type OpenStoreOptions, type Neo4jOptions, type SqliteOptions, type Neo4jStoreModule } from './open-store.js';
export { openSqliteStore } from './sqlite/sqlite-store.js';
export { annotationPalette, checkAnnotationColour } from './annotation-colour.js';
