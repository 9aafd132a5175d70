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
  {
    // The web client talks to the server only through @zhixin/sdk: no server code, no raw fetch/WebSocket.
    files: ['packages/web/src/**/*.ts', 'packages/web/src/**/*.tsx'],
    ignores: ['packages/web/src/pwa/service-worker.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@zhixin/server', '@zhixin/server/*'] }],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Use the SDK (app/client.ts).' },
        { name: 'WebSocket', message: 'Use the SDK (app/client.ts).' },
      ],
    },
  },
);
