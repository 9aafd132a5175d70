import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.zhixin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Packages depend in one direction: protocol <- sdk <- web; server imports protocol only.
    files: ['packages/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@zhixin/*', '../../server/*', '../../sdk/*'] }],
    },
  },
  {
    files: ['packages/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@zhixin/sdk', '@zhixin/web'] }] },
  },
  {
    files: ['packages/sdk/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['@zhixin/server', '@zhixin/web'] }] },
  },
);
