// @ts-check
// The viewer's lint, the root rules (../../eslint.config.js) for a browser app: type-checked
// with this folder's tsconfig, browser globals. `pnpm --filter @chaintrail/viewer lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The viewer talks to the API over HTTP only (DESIGN.md): no chaintrail package at run time.
      'no-restricted-imports': ['error', { patterns: [{ group: ['@chaintrail/*', '**/packages/*'], message: 'The viewer talks to the API only; mirror the JSON shape in src/api/wire-types.ts.' }] }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
