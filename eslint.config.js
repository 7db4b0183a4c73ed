// ESLint 10 flat config: @eslint/js recommended + typescript-eslint strictTypeChecked.
//
// Type-aware linting uses the TypeScript project service, so every linted .ts file must be
// included by some tsconfig.json (packages/<name>/tsconfig.json covers src + test; examples and
// bench have their own). Config files (*.config.ts, *.js) are linted without type information.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Library sources: the strictest rules (the viewer page's sources too). */
const librarySources = ['packages/*/src/**/*.{ts,mts,cts}', 'packages/inspect/viewer/src/**/*.{ts,tsx}'];
/** Tests (unit, property, type tests). */
const testSources = ['packages/*/test/**/*.{ts,mts,cts}', 'examples/test/**/*.{ts,mts,cts}', 'test/**/*.{ts,mts,cts}'];
/** Everything linted with type information. */
const typedSources = [
  ...librarySources,
  ...testSources,
  'examples/src/**/*.{ts,mts,cts}',
  'bench/src/**/*.{ts,mts,cts}',
  'packages/*/scripts/**/*.{ts,mts,cts}',
];
/** Config and script files outside any tsconfig: no type information. */
const untypedSources = ['**/*.{js,mjs,cjs}', '**/*.config.{ts,mts,cts}'];

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/.tsc/',
    '**/coverage/',
    'docs/api/',
    'bench/results/',
  ]),

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Sources with type information.
  {
    files: typedSources,
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A supervision runtime is promise-heavy: these stay errors everywhere (they are in
      // strictTypeChecked already; listed so no later preset can silently turn them off).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowAny: false,
          allowBoolean: false,
          allowNever: false,
          allowNullish: false,
          allowRegExp: false,
        },
      ],
      // `() => void doIt()` style callbacks are idiomatic for event handlers.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // Library code: no `any`, no TypeScript directive comments at all.
  {
    files: librarySources,
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        {
          'ts-check': false,
          'ts-expect-error': true,
          'ts-ignore': true,
          'ts-nocheck': true,
        },
      ],
    },
  },

  // Tests: a few relaxations that keep assertions readable.
  {
    files: testSources,
    rules: {
      // `map.get(k)!` after an assertion that it exists.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Task bodies such as `async () => 42` are the API under test.
      '@typescript-eslint/require-await': 'off',
      // `expect(obj.method).toHaveBeenCalled()` passes methods around unbound.
      '@typescript-eslint/unbound-method': 'off',
      // Type tests may assert errors, with a reason.
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-expect-error': 'allow-with-description', 'ts-ignore': true, 'ts-nocheck': true },
      ],
    },
  },

  // Config files and plain JavaScript: no type information.
  {
    files: untypedSources,
    extends: [
      js.configs.recommended,
      tseslint.configs.strictTypeChecked,
      tseslint.configs.disableTypeChecked,
    ],
    languageOptions: { globals: globals.node },
  },

  // Browser scripts of the API site (typedoc/mermaid.mjs copies them into docs/api/assets/).
  {
    files: ['typedoc/*-render.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
);
