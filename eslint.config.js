// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Modules that do I/O or talk to the outside: forbidden in packages/core. */
const ioModules = ['node:*', 'fs', 'path', 'os', 'net', 'http', 'https', 'child_process', 'crypto', 'axios', 'neo4j-driver', 'better-sqlite3', 'undici'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/scratch/**', '**/tmp-*/**', '**/*-tmp.mjs', '**/dist/**', 'apps/viewer/**', 'test/neo4j/target/**', '**/*.d.ts', 'tmp/**', 'bench/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Deep imports into another package's src/ bypass its public API.
      'no-restricted-imports': ['error', { patterns: [{ group: ['@chaintrail/*/src/*', '**/packages/*/src/*'], message: 'Import the package by its name, not its src/ files.' }] }],
    },
  },
  {
    // The pure layer: no I/O, no drivers, no network. See ../shared/CONVENTIONS.md habit 2.
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioModules.filter((m) => !m.includes('*')).map((name) => ({ name, message: 'packages/core is pure: do I/O in chain, store, ingest or cli.' })),
        patterns: [
          { group: ['node:*'], message: 'packages/core is pure: do I/O in chain, store, ingest or cli.' },
          { group: ['@chaintrail/*'], message: 'packages/core depends on no other chaintrail package.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
