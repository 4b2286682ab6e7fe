// Lint rules that keep the layers honest: shared/ imports nothing runtime-specific, renderer/ talks to
// the server only over HTTP, and every promise is awaited or handled.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'worker_threads',
  'url',
  'util',
  'stream',
  'events',
  'buffer',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      '.sde-data/**',
      'coverage/**',
      '.probe/**',
      '.bench/**',
      '.e2e/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Fastify plugins and hooks are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ must run anywhere: no Node imports.' },
            { group: ['electron', 'electron/*'], message: 'shared/ must run anywhere: no Electron imports.' },
            { group: ['react', 'react-dom', 'react-dom/*'], message: 'shared/ must run anywhere: no DOM imports.' },
            { group: ['**/server/**', '**/electron/**', '**/renderer/**'], message: 'shared/ is the bottom layer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/server'], message: 'renderer/ talks to the server over HTTP only.' },
            { group: ['**/electron/**'], message: 'renderer/ reaches native needs through the preload object only.' },
            { group: nodeBuiltins, message: 'renderer/ runs in a browser: no Node imports.' },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON responses (`any` by nature) and assert on their shape; the assertions are the check.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
