export * from './lift-tags.js';
export * from './tag.js';
