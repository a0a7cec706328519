export * from './flow-model.js';
export * from './flow-errors.js';
export * from './taint-runs.js';
export * from './split-transaction.js';
export * from './proportional-shares.js';
