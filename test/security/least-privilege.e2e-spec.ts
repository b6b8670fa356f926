import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type Pool } from 'pg';
import { TENANT_ROLE } from '@pilotage/database';
import { MIGRATIONS } from '../../libs/database/src/migrations';
import { SCHEDULE_QUEUE } from '@pilotage/report-production';
import { newAgency, newClient } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';
import { startTestWorker, waitFor, type TestWorker } from '../report-jobs/test-worker';

const ROOT = join(__dirname, '..', '..');

/** Runs `sql` as `url`'s login, switched to the tenant role as TenantDatabase does; returns the error code, if any. */
async function errorCodeOf(url: string, sql: string, { asTenant }: { asTenant: boolean }): Promise<string | null> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    if (asTenant) await client.query(`SET LOCAL ROLE ${TENANT_ROLE}`);
    await client.query(sql);
    return null;
  } catch (error) {
    return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

/** The `environment:` block of a service of docker-compose.yml, as text (the file is small and regular). */
function composeService(compose: string, service: string): string {
  const start = compose.indexOf(`\n  ${service}:\n`);
  if (start < 0) throw new Error(`docker-compose.yml has no service ${service}`);
  const rest = compose.slice(start + 1);
  const end = rest.slice(1).search(/\n {2}[a-z][\w-]*:\n|\nvolumes:/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

describe('Least privilege', () => {
  let owner: Pool;

  beforeAll(() => {
    owner = ownerPool();
  });

  afterAll(async () => {
    await owner?.end();
  }, TEARDOWN_TIMEOUT_MS);

  it('runs every migration as a schema owner that is neither superuser nor allowed to create roles', async () => {
    const schemaOwner = new URL(testDatabase().schemaOwnerUrl).username;
    const { rows: roles } = await owner.query<{ rolsuper: boolean; rolcreaterole: boolean; rolbypassrls: boolean; owns_database: boolean }>(
      `SELECT r.rolsuper, r.rolcreaterole, r.rolbypassrls,
              (SELECT d.datdba = r.oid FROM pg_database d WHERE d.datname = current_database()) AS owns_database
         FROM pg_roles r WHERE r.rolname = $1`,
      [schemaOwner],
    );
    expect(roles).toEqual([{ rolsuper: false, rolcreaterole: false, rolbypassrls: false, owns_database: true }]);
    const { rows: applied } = await owner.query<{ name: string; owner: string }>(
      `SELECT m.name, (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'migrations') AS owner FROM migrations m`,
    );
    expect(applied).toHaveLength(MIGRATIONS.length);
    expect(new Set(applied.map((row) => row.owner))).toEqual(new Set([schemaOwner]));
  });

  it('gives the owner no superuser in docker-compose and init-roles.sql, and the api and worker no owner credentials', () => {
    const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    const initRoles = readFileSync(join(ROOT, 'docker/postgres/init-roles.sql'), 'utf8');
    const postgresUser = /POSTGRES_USER:\s*(\S+)/.exec(composeService(compose, 'postgres'))?.[1];
    const ownerUser = /DATABASE_OWNER_URL:\s*postgres:\/\/([^:@]+)/.exec(composeService(compose, 'migrate'))?.[1];
    expect(ownerUser).toBeDefined();
    // The image's superuser is not the owner; the owner is created without superuser or CREATEROLE.
    expect(ownerUser).not.toBe(postgresUser);
    expect(initRoles).toMatch(new RegExp(`CREATE ROLE ${ownerUser ?? '?'} LOGIN NOSUPERUSER[^;]*NOCREATEROLE`));
    for (const service of ['api', 'worker']) {
      const block = composeService(compose, service);
      expect({ service, ownerUrl: /DATABASE_OWNER_URL/.test(block) }).toEqual({ service, ownerUrl: false });
    }
    expect(compose).not.toMatch(/x-app:[\s\S]*DATABASE_OWNER_URL[\s\S]*\nservices:/);
  });

  it('keeps the login directory unreadable by the tenant role, except through its one-question functions', async () => {
    const { appUrl } = testDatabase();
    expect(await errorCodeOf(appUrl, 'SELECT email FROM login_directory', { asTenant: true })).toBe('42501');
    expect(await errorCodeOf(appUrl, 'SELECT email FROM login_directory', { asTenant: false })).toBe('42501');
    // A lookup answers the e-mail asked about, not the directory.
    expect(await errorCodeOf(appUrl, `SELECT * FROM login_directory_by_email('nobody@example.com', NULL)`, { asTenant: true })).toBeNull();
  });

  it('lets the tenant role read no pg-boss job column but the id its own insert returns', async () => {
    const { appUrl } = testDatabase();
    for (const column of ['name', 'singleton_key', 'state', 'policy', 'data']) {
      expect({ column, code: await errorCodeOf(appUrl, `SELECT ${column} FROM pgboss.job_common`, { asTenant: true }) }).toEqual({ column, code: '42501' });
    }
  });

  it('gives the queue role nothing in public: no tenant table, no login directory', async () => {
    const { queueUrl } = testDatabase();
    for (const table of ['reports', 'users', 'agencies', 'login_directory', 'clients']) {
      expect({ table, code: await errorCodeOf(queueUrl, `SELECT 1 FROM ${table} LIMIT 1`, { asTenant: false }) }).toEqual({ table, code: '42501' });
    }
    expect(await errorCodeOf(queueUrl, `SET ROLE ${TENANT_ROLE}`, { asTenant: false })).toBe('42501');
  });

  describe('the worker', () => {
    let api: TestApi;
    let worker: TestWorker;

    beforeAll(async () => {
      api = await startTestApi();
      worker = await startTestWorker(api.config, { schedule: true });
    }, APP_BOOT_TIMEOUT_MS * 2);

    afterAll(async () => {
      await worker?.close();
      await api?.close();
    }, TEARDOWN_TIMEOUT_MS);

    it(
      'runs renders and the schedule with pg-boss connected as the queue role, not the owner',
      async () => {
        const queueUser = new URL(testDatabase().queueUrl).username;
        const { rows: connections } = await owner.query<{ usename: string }>(
          `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pilotage-worker-jobs'`,
        );
        expect(connections.map((row) => row.usename)).toEqual([queueUser]);
        const { rows: schedules } = await owner.query<{ name: string }>(`SELECT name FROM pgboss.schedule WHERE name = $1`, [SCHEDULE_QUEUE]);
        expect(schedules).toHaveLength(1);

        const agency = await newAgency(api);
        const client = await newClient(api, agency);
        const { generateReport } = await api.gqlOk<{ generateReport: { id: string } }>(
          `mutation ($input: GenerateReportInput!) { generateReport(input: $input) { id } }`,
          { input: { clientId: client.id, kind: 'MONTHLY', periodStart: '2026-10-01' } },
          agency.token,
        );
        const status = await waitFor('the report to be rendered', async () => {
          const { rows } = await owner.query<{ status: string }>(`SELECT status FROM reports WHERE id = $1`, [generateReport.id]);
          return rows[0]?.status === 'READY' ? rows[0].status : null;
        });
        expect(status).toBe('READY');
      },
      RENDER_TEST_TIMEOUT_MS,
    );
  });
});
