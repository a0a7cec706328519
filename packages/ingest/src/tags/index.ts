export * from './csv-tags.js';
export * from './ofac.js';
export * from './tag-problems.js';
export * from './tagpack.js';
