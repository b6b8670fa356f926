import { createServer } from 'node:net';
import type { Pool } from 'pg';
import { RENDER_HEARTBEAT_SECONDS, STALE_RENDERING_SECONDS } from '@pilotage/report-production';
import { newAgency } from '../support/factories';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, BROWSER_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';
import { seedFrenchShop } from '../reports/report-fixtures';
import { isAlive, startTestWorker, waitFor, type TestWorker } from '../report-jobs/test-worker';
import { chromiumChildrenOf, descendantsOf, spawnTypescript, type TypescriptProcess } from './child-process';

const GENERATE_REPORT = `mutation ($input: GenerateReportInput!) { generateReport(input: $input) { id status } }`;

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

describe('Processes', () => {
  const started: TypescriptProcess[] = [];
  const spawned = (process: TypescriptProcess): TypescriptProcess => {
    started.push(process);
    return process;
  };

  afterAll(async () => {
    await Promise.all(started.map((process) => process.kill()));
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'takes Chromium down with the process that launched it, even when that process is SIGKILLed',
    async () => {
      const renderer = spawned(spawnTypescript('test/security/fixtures/render-then-wait.ts', { NODE_ENV: 'test' }));
      await renderer.waitForLine(/^rendered$/, BROWSER_TIMEOUT_MS);
      const browsers = chromiumChildrenOf(renderer.pid);
      expect(browsers).toHaveLength(1);
      const chromium = [...browsers, ...browsers.flatMap((pid) => descendantsOf(pid))];

      await renderer.kill();
      const survivors = await waitFor(
        'Chromium to exit after its parent was killed',
        async () => {
          const alive = chromium.filter(isAlive);
          return alive.length === 0 ? alive : null;
        },
        { timeoutMs: 5_000 },
      ).catch(() => chromium.filter(isAlive));
      // Whatever the outcome, nothing of this test outlives it.
      for (const pid of survivors) process.kill(pid, 'SIGKILL');
      expect(survivors).toEqual([]);
    },
    BROWSER_TIMEOUT_MS * 2,
  );

  describe('a worker killed mid-render', () => {
    let api: TestApi;
    let owner: Pool;
    let rescuer: TestWorker | null = null;

    beforeAll(async () => {
      api = await startTestApi();
      owner = ownerPool();
    }, APP_BOOT_TIMEOUT_MS);

    afterAll(async () => {
      await rescuer?.close();
      await api?.close();
      await owner?.end();
    }, TEARDOWN_TIMEOUT_MS);

    it(
      'leaves its report to another worker, READY within 60 s of the death',
      async () => {
        // The claim goes stale before the dead worker's job can come back (see report-job-queue.ts).
        expect(STALE_RENDERING_SECONDS).toBeLessThan(RENDER_HEARTBEAT_SECONDS);
        const database = testDatabase();
        const worker = spawned(
          spawnTypescript('apps/worker/src/main.ts', {
            NODE_ENV: 'test',
            LOG_LEVEL: 'info',
            DATABASE_URL: database.appUrl,
            DATABASE_QUEUE_URL: database.queueUrl,
            MIGRATIONS_RUN: 'false',
            JWT_SECRET: TEST_JWT_SECRET,
            STORAGE_DIR: api.config.storageDir,
            DATA_DIR: database.dataDir,
          }),
        );
        await worker.waitForLine(/Pilotage worker ready/, APP_BOOT_TIMEOUT_MS);

        // A full report (8+ pages, charts): long enough inside Chromium to be caught there.
        const agency = await newAgency(api);
        const shop = await seedFrenchShop(api, { agency });
        const { generateReport } = await api.gqlOk<{ generateReport: { id: string } }>(
          GENERATE_REPORT,
          { input: { clientId: shop.clientId, kind: 'MONTHLY', periodStart: '2026-10-01' } },
          agency.token,
        );
        await waitFor(
          'the worker to claim the report',
          async () => {
            const { rows } = await owner.query<{ status: string }>(`SELECT status FROM reports WHERE id = $1`, [generateReport.id]);
            return rows[0]?.status === 'RENDERING' ? true : null;
          },
          { timeoutMs: 30_000, intervalMs: 20 },
        );
        await worker.kill();
        const diedAt = Date.now();
        const { rows: afterDeath } = await owner.query<{ status: string }>(`SELECT status FROM reports WHERE id = $1`, [generateReport.id]);
        expect(afterDeath[0].status).toBe('RENDERING');

        rescuer = await startTestWorker(api.config);
        const ready = await waitFor(
          'another worker to render the report',
          async () => {
            const { rows } = await owner.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM reports WHERE id = $1`, [generateReport.id]);
            return rows[0]?.status === 'READY' ? rows[0] : null;
          },
          { timeoutMs: 75_000, intervalMs: 250 },
        );
        const recoveredInMs = Date.now() - diedAt;
        expect(ready.attempts).toBeGreaterThanOrEqual(2);
        expect(recoveredInMs).toBeLessThan(60_000);
      },
      RENDER_TEST_TIMEOUT_MS,
    );
  });

  it(
    'logs a client error at info without a stack, and nothing at error level',
    async () => {
      const database = testDatabase();
      const port = await freePort();
      const apiProcess = spawned(
        spawnTypescript('apps/api/src/main.ts', {
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          DATABASE_URL: database.appUrl,
          MIGRATIONS_RUN: 'false',
          JWT_SECRET: TEST_JWT_SECRET,
          PORT: String(port),
          DATA_DIR: database.dataDir,
        }),
      );
      await apiProcess.waitForLine(/Pilotage API ready/, APP_BOOT_TIMEOUT_MS);
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation ($input: SignUpInput!) { signUp(input: $input) { verificationExpiresAt } }`,
          variables: {
            input: { agencyName: 'Agency', agencySlug: 'ok-slug', email: 'not an e-mail', password: 'a long enough password', displayName: 'Owner' },
          },
        }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

      const entries = await waitFor(
        'the API to log the client error',
        () => {
          const lines = apiProcess
            .stdout()
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as Record<string, unknown>);
          return Promise.resolve(lines.some((entry) => entry.code === 'BAD_USER_INPUT') ? lines : null);
        },
        { timeoutMs: 10_000 },
      );
      const clientError = entries.find((entry) => entry.code === 'BAD_USER_INPUT');
      expect(clientError).toMatchObject({ level: 30 });
      expect(entries.filter((entry) => typeof entry.level === 'number' && entry.level >= 50)).toEqual([]);
      expect(apiProcess.stdout()).not.toMatch(/"stack"|\n\s+at /);
    },
    APP_BOOT_TIMEOUT_MS + 30_000,
  );
});
