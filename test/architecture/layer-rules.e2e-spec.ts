import { existsSync } from 'node:fs';
import { join } from 'node:path';
// dependency-cruiser is ESM-only and exports only an `import` condition, so a static value import
// (compiled to require by ts-jest) cannot resolve it; the dynamic import()s below stay ESM imports
// under module nodenext, which Jest runs because the suite starts with --experimental-vm-modules.
import type { ICruiseResult as CruiseResult } from 'dependency-cruiser' with { 'resolution-mode': 'import' };

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures');

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/**
 * Cruises one fixture tree (a miniature repository: apps/, libs/, bench/, test/ and a tsconfig
 * with `@pilotage/*` paths) with the repository's own `.dependency-cruiser.cjs` rules.
 */
async function cruiseFixture(name: string): Promise<{ violations: Violation[]; result: CruiseResult }> {
  const { cruise } = await import('dependency-cruiser');
  const { default: extractDepcruiseOptions } = await import('dependency-cruiser/config-utl/extract-depcruise-options');
  const { default: extractTSConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
  const options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
  const baseDir = join(FIXTURES, name);
  const tsConfig = join(baseDir, 'tsconfig.json');
  const roots = ['apps', 'libs', 'bench', 'test'].filter((folder) => existsSync(join(baseDir, folder)));
  const reported = await cruise(roots, { ...options, baseDir, tsConfig: { fileName: tsConfig } }, {}, { tsConfig: extractTSConfig(tsConfig) });
  if (typeof reported.output === 'string') throw new Error(`Expected a cruise result object, got: ${reported.output.slice(0, 200)}`);
  const result = reported.output;
  const violations = result.summary.violations.map((violation) => ({ rule: violation.rule.name, from: violation.from, to: violation.to }));
  return { violations, result };
}

// Checked once so that a typo in a fixture's import fails here rather than silently passing.
function unresolved(result: CruiseResult): string[] {
  return result.modules.flatMap((module) =>
    module.dependencies.filter((dependency) => dependency.couldNotResolve).map((dependency) => `${module.source} -> ${dependency.module}`),
  );
}

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it('passes a tree that keeps the house: apps import libs, libs import kpi, tests import apps', async () => {
    const { violations, result } = await cruiseFixture('clean');
    expect(violations).toEqual([]);
    expect(unresolved(result)).toEqual([]);
    // The aliases resolved: the kpi lib is reached through `@pilotage/kpi` from the other lib and the app.
    const aliased = result.modules
      .flatMap((module) => module.dependencies)
      .filter((dependency) => dependency.module === '@pilotage/kpi')
      .map((dependency) => dependency.resolved);
    expect(aliased).toEqual(['libs/kpi/src/index.ts', 'libs/kpi/src/index.ts']);
  });

  it('reports an app importing another app', async () => {
    const { violations } = await cruiseFixture('app-imports-app');
    expect(violations).toEqual([{ rule: 'app-imports-other-app', from: 'apps/worker/src/worker.module.ts', to: 'apps/api/src/report-renderer.service.ts' }]);
  });

  it('reports a lib importing an app, even for a type-only import', async () => {
    const { violations } = await cruiseFixture('lib-imports-app');
    expect(violations).toEqual([{ rule: 'lib-imports-app', from: 'libs/reporting/src/index.ts', to: 'apps/api/src/analytics/analytics.models.ts' }]);
  });

  it('reports libs/kpi importing a node built-in', async () => {
    const { violations } = await cruiseFixture('kpi-imports-node');
    expect(violations).toEqual([{ rule: 'kpi-imports-outside-kpi', from: 'libs/kpi/src/index.ts', to: 'fs' }]);
  });

  it('reports libs/kpi importing an npm package outside its specs', async () => {
    const { violations } = await cruiseFixture('kpi-imports-npm');
    expect(violations.map(({ rule, from }) => ({ rule, from }))).toEqual([{ rule: 'kpi-imports-outside-kpi', from: 'libs/kpi/src/index.ts' }]);
    expect(violations[0]?.to).toMatch(/node_modules\/fast-check\//);
  });

  it('reports libs/kpi importing another lib through its @pilotage alias', async () => {
    const { violations } = await cruiseFixture('kpi-imports-lib');
    expect(violations).toEqual([{ rule: 'kpi-imports-outside-kpi', from: 'libs/kpi/src/index.ts', to: 'libs/database/src/index.ts' }]);
  });

  it('reports a libs/kpi spec importing another lib', async () => {
    const { violations } = await cruiseFixture('kpi-spec-imports-lib');
    expect(violations).toEqual([{ rule: 'kpi-spec-imports-other-lib-or-app', from: 'libs/kpi/src/growth.spec.ts', to: 'libs/database/src/index.ts' }]);
  });

  it('reports bench importing an app', async () => {
    const { violations } = await cruiseFixture('bench-imports-app');
    expect(violations).toEqual([{ rule: 'bench-imports-app', from: 'bench/ingest.ts', to: 'apps/api/src/clients/clients.service.ts' }]);
  });
});
