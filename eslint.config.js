// Lint rules that keep the layers honest: shared/ imports nothing runtime-specific, renderer/ talks to
// the server only over HTTP, services build neither repositories nor services (the composition root
// does), and every promise is awaited or handled. Inside server/: pipeline stages reach no database, HTTP
// or queue, routes no repository, the library (server/lib/) no serving module, and serving code no
// offline tool (server/offline/).
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

/** Serving code (everything in server/ but the library and offline tools) never imports server/offline/. */
const NO_OFFLINE = {
  group: ['**/offline/**'],
  message: 'Serving code does not import offline tools (server/offline/); only server/app.ts starts the demo loader.',
};

/** The slate's pure stages: retrieval's rules, pair features, the serving rankers, post-rank, the pipeline. */
const PIPELINE_STAGES = [
  'server/postrank/**/*.ts',
  'server/slate/slate-pipeline.ts',
  'server/ranking/serving-rankers.ts',
  'server/retrieval/candidate-selection.ts',
  'server/features/pair-features.ts',
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
  // Layers inside server/. A later block that sets a rule for a file replaces an earlier one, so each file
  // group below lists every pattern that applies to it. Tests are left out: they set up across layers.
  {
    files: ['server/**/*.ts'],
    // server/app.ts is the entry point, not a serving module: it runs the demo loader at start when
    // demo members are configured, so it alone may import server/offline/.
    ignores: ['**/*.test.ts', 'server/lib/**', 'server/offline/**', 'server/app.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_OFFLINE] }] },
  },
  {
    files: PIPELINE_STAGES,
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_OFFLINE,
            {
              group: ['**/db/*', '**/http/*', '**/jobs/*'],
              message:
                'A pipeline stage is a plain function of its inputs: no database, HTTP or job queue (its service passes the data in).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/**/*.route.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            NO_OFFLINE,
            {
              group: ['**/*.repository.js'],
              // Naming a row type the service returns is fine; reaching the data is the service's job.
              allowTypeImports: true,
              message: 'A route calls its service, never a repository.',
            },
          ],
        },
      ],
    },
  },
  // The library (server/lib/) imports only Node, packages, shared/ and other library files. Import rules
  // see specifiers, not resolved paths, so each depth under lib/ gets the `../` count that leaves lib/.
  ...[0, 1, 2].map((depth) => ({
    files: [`server/lib/${'*/'.repeat(depth)}*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./){${depth + 1}}(?!\\.\\./shared/)`,
              message:
                'server/lib/ is a library: it imports no serving module (only Node, packages, shared/ and lib/).',
            },
          ],
        },
      ],
    },
  })),
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
