// ESLint flat config: typescript-eslint's type-checked recommended rules on apps, libs, test and
// bench, a few rules the house rules of STYLE.md ask for, and eslint-config-prettier last so that
// formatting is Prettier's business only. The layer rule lives in .dependency-cruiser.cjs.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    'dist/',
    '.data/',
    'coverage/',
    'templates/',
    'storage/',
    'bench/results/',
    // Miniature repositories that test/architecture/layer-rules.e2e-spec.ts cruises; they break the layers on purpose.
    'test/architecture/fixtures/',
  ]),
  {
    files: ['{apps,libs,test,bench}/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // One TypeScript program per tsconfig, found by the file: the same types `npm run typecheck` sees.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Kept on purpose (already in recommendedTypeChecked, restated so a later preset change cannot drop them):
      // an unawaited promise loses its error and escapes the tenant transaction it was started in.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',

      // House rules (STYLE.md "Avoid"): no non-null assertions, no `as unknown as`, no `==`.
      '@typescript-eslint/no-non-null-assertion': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSAsExpression > TSAsExpression.expression > TSUnknownKeyword.typeAnnotation',
          message: '`as unknown as` hides a type error: narrow the value, or fix the type it comes from.',
        },
      ],
      eqeqeq: ['error', 'always'],
      // Named exports only (STYLE.md); Jest's globalSetup/globalTeardown files are the exception below.
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true, named: true, defaultFrom: true, namedFrom: true, namespaceFrom: true } }],

      // Type-only imports say so. Files with decorators are skipped by the rule itself under
      // emitDecoratorMetadata (read from tsconfig.json), so Nest's constructor injection keeps its value imports.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      // A leading underscore marks a parameter a signature requires but the body does not use (Nest's `_data`, `_args`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `return await` inside try/catch, so the catch sees the rejection (and the transaction's finally runs after it).
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],

      // Relaxed: Nest lifecycle hooks, resolvers and interface methods are `async` to honour a Promise-returning
      // signature without awaiting anything; no-floating-promises and no-misused-promises catch the real bugs.
      '@typescript-eslint/require-await': 'off',
      // Relaxed for Nest: a `@Module({...}) class XModule {}` is an empty decorated class by design;
      // an undecorated class of statics is still reported.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
    },
  },
  {
    // Apps log through pino with the request id (STYLE.md); CLIs write to process.stdout. Bench prints its results.
    files: ['{apps,libs}/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Jest loads globalSetup/globalTeardown through their default export.
    files: ['test/support/global-setup.ts', 'test/support/global-teardown.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      // supertest's `response.body`, GraphQL response data and pg's raw `rows` are `any` by declaration; a test
      // reads them and its assertions are the type check. Production code keeps these rules.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // `expect(service.method).toHaveBeenCalled()` passes a method without calling it; Jest never invokes it unbound.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // Last: turns off every stylistic rule that Prettier owns.
  prettier,
);
