// Lint rules that keep the layers honest: shared/ imports nothing runtime-specific, renderer/ talks to
// the server only over HTTP, services build neither repositories nor services (the composition root
// does), and every promise is awaited or handled.
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
    // One composition root (server/composition/): a service receives its repositories and the services
    // it uses through its constructor, so what it depends on is in its signature and each is built once.
    files: ['server/**/*.service.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          // A repository bound to a transaction (`new XRepository(tx)` in a transaction callback) may stay.
          selector: "NewExpression[callee.name=/Repository$/]:not([arguments.0.name='tx'])",
          message:
            'A service receives its repositories through its constructor; build them in server/composition/repositories.ts.',
        },
        {
          selector: 'NewExpression[callee.name=/Service$/]',
          message:
            'A service receives the services it uses through its constructor; build them in server/composition/services.ts.',
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
