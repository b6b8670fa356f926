// The layer rule of DESIGN.md ("The house"): apps wire, libs hold the logic, libs/kpi is pure.
// `npm run lint` runs it on apps libs test bench; test/architecture/layer-rules.e2e-spec.ts
// proves each rule fires on fixture trees. Paths are relative to the directory cruised from.

// Tests may import apps: an e2e test boots them, a spec next to a file tests it.
const TEST_FILE = '(^test/|\\.spec\\.ts$|\\.e2e-spec\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'app-imports-other-app',
      severity: 'error',
      comment: 'An app wires libs; what two apps share belongs in a lib (apps/<a> must not import apps/<b>).',
      from: { path: '^apps/([^/]+)/', pathNot: TEST_FILE },
      // $1 is the importing app: its own folder stays allowed.
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-imports-app',
      severity: 'error',
      comment: 'Libs hold the logic the apps use; a lib importing an app turns the dependency around.',
      from: { path: '^libs/', pathNot: TEST_FILE },
      to: { path: '^apps/' },
    },
    {
      name: 'kpi-imports-outside-kpi',
      severity: 'error',
      comment:
        'libs/kpi is pure TypeScript (no Nest, no I/O): it imports nothing but itself, neither another lib, ' +
        'nor an npm package, nor a node built-in. Its specs may use test tooling (fast-check) but no other lib.',
      from: { path: '^libs/kpi/', pathNot: TEST_FILE },
      to: { pathNot: '^libs/kpi/' },
    },
    {
      name: 'kpi-spec-imports-other-lib-or-app',
      severity: 'error',
      comment: 'libs/kpi specs stay unit tests in ms: test tooling from npm is fine, another lib or an app is not.',
      from: { path: '^libs/kpi/.+\\.spec\\.ts$' },
      to: { path: '^(libs|apps)/', pathNot: '^libs/kpi/' },
    },
    {
      name: 'bench-imports-app',
      severity: 'error',
      comment: 'Benchmarks import libs or start the compiled apps; they do not reach inside an app.',
      from: { path: '^bench/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    // Type-only imports count: `import type { X } from '../../apps/...'` still ties a lib to an app.
    tsPreCompilationDeps: true,
    // Resolves tsconfig.json `paths`, so `@pilotage/<lib>` imports land on libs/<lib>/src.
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // Not `node_modules`: excluding it would also drop npm dependencies, which the kpi rule must see.
    exclude: { path: '^(dist|\\.data|templates)/|^test/architecture/fixtures/' },
    // Resolution conditions of a Node.js (nodenext) TypeScript project.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
