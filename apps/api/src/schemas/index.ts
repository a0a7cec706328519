export * from './wire-primitives.js';
export * from './chain-schemas.js';
export * from './graph-schemas.js';
export * from './entity-schemas.js';
export * from './tag-schemas.js';
export * from './case-schemas.js';
export * from './access-schemas.js';
export * from './request-schemas.js';
