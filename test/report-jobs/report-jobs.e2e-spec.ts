import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { ReportJobsService } from '@pilotage/report-production';
import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool } from '../support/test-database';
import { seedFrenchShop } from '../reports/report-fixtures';
import { chromiumChildren, isAlive, reportRows, startTestWorker, waitFor, type TestWorker } from './test-worker';
import { APP_BOOT_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const GENERATE_REPORT = `mutation ($input: GenerateReportInput!) { generateReport(input: $input) { id status } }`;
const GENERATE_MONTHLY = `mutation ($month: String!) { generateMonthlyReports(input: { month: $month }) { id periodStart total done failed pending status } }`;
const REPORT_BATCH = `query ($id: ID!) { reportBatch(id: $id) { id total done failed pending status } }`;

interface BatchView {
  id: string;
  periodStart?: string;
  total: number;
  done: number;
  failed: number;
  pending: number;
  status: string;
}

describe(ReportJobsService.name, () => {
  let api: TestApi;
  let worker: TestWorker;
  let owner: Pool;

  beforeAll(async () => {
    api = await startTestApi();
    worker = await startTestWorker(api.config);
    owner = ownerPool();
  }, APP_BOOT_TIMEOUT_MS * 2);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await owner?.end();
  }, TEARDOWN_TIMEOUT_MS);

  /** The files stored under an agency, as `clientId/reportId.pdf` (temporary files included). */
  function storedFiles(agencyId: string): string[] {
    const root = join(api.config.storageDir, agencyId);
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .flatMap((clientId) => readdirSync(join(root, clientId)).map((file) => `${clientId}/${file}`))
      .sort();
  }

  async function auditCount(agencyId: string, action: string, reportId: string): Promise<number> {
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM audit_log WHERE agency_id = $1 AND action = $2 AND entity_id = $3`, [
      agencyId,
      action,
      reportId,
    ]);
    return rows[0].n;
  }

  async function batchWhen(agency: TestAgency, batchId: string, settled: (batch: BatchView) => boolean): Promise<BatchView> {
    return waitFor(`batch ${batchId}`, async () => {
      const { reportBatch } = await api.gqlOk<{ reportBatch: BatchView }>(REPORT_BATCH, { id: batchId }, agency.token);
      return settled(reportBatch) ? reportBatch : null;
    });
  }

  it(
    'renders a generated report once through the worker, and a second request while it is pending gives the same report',
    async () => {
      const agency = await newAgency(api);
      const client = await newClient(api, agency, { timeZone: 'Europe/Paris' });
      const input = { clientId: client.id, kind: 'MONTHLY', periodStart: '2026-10-01' };
      const [first, second] = await Promise.all([
        api.gqlOk<{ generateReport: { id: string; status: string } }>(GENERATE_REPORT, { input }, agency.token),
        api.gqlOk<{ generateReport: { id: string; status: string } }>(GENERATE_REPORT, { input }, agency.token),
      ]);
      expect(second.generateReport.id).toBe(first.generateReport.id);
      const reportId = first.generateReport.id;

      await waitFor('the report to be READY', async () => {
        const rows = await reportRows(owner, agency.agencyId);
        return rows.every((row) => row.status === 'READY') ? rows : null;
      });
      const rows = await reportRows(owner, agency.agencyId);
      expect(rows).toEqual([
        expect.objectContaining({ id: reportId, status: 'READY', version: 1, attempts: 1, storage_key: `${agency.agencyId}/${client.id}/${reportId}.pdf` }),
      ]);
      expect(storedFiles(agency.agencyId)).toEqual([`${client.id}/${reportId}.pdf`]);
      expect(await auditCount(agency.agencyId, 'report.ready', reportId)).toBe(1);
      // One job for the report, completed: the second request found the first one's job pending.
      const jobs = await owner.query(`SELECT state FROM pgboss.job WHERE name = 'report.render' AND singleton_key = $1`, [reportId]);
      expect(jobs.rows).toEqual([{ state: 'completed' }]);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'generates a month for every active client as one batch, and asking again while it runs returns that batch',
    async () => {
      const agency = await newAgency(api);
      const clients = [
        await newClient(api, agency, { timeZone: 'Europe/Paris' }),
        await newClient(api, agency, { timeZone: 'America/Los_Angeles' }),
        await newClient(api, agency, { timeZone: 'Pacific/Kiritimati' }),
      ];
      const archived = await newClient(api, agency);
      await api.gqlOk(`mutation ($id: ID!) { archiveClient(id: $id) { id } }`, { id: archived.id }, agency.token);

      const [first, again] = await Promise.all([
        api.gqlOk<{ generateMonthlyReports: BatchView }>(GENERATE_MONTHLY, { month: '2026-10' }, agency.token),
        api.gqlOk<{ generateMonthlyReports: BatchView }>(GENERATE_MONTHLY, { month: '2026-10' }, agency.token),
      ]);
      expect(again.generateMonthlyReports.id).toBe(first.generateMonthlyReports.id);
      expect(first.generateMonthlyReports).toMatchObject({ periodStart: '2026-10-01', total: 3 });

      const done = await batchWhen(agency, first.generateMonthlyReports.id, (batch) => batch.status !== 'RUNNING');
      expect(done).toEqual({ id: first.generateMonthlyReports.id, total: 3, done: 3, failed: 0, pending: 0, status: 'COMPLETED' });
      const rows = await reportRows(owner, agency.agencyId);
      expect(rows.map((row) => row.client_id).sort()).toEqual(clients.map((client) => client.id).sort());
      expect(rows.every((row) => row.status === 'READY' && row.version === 1 && row.batch_id === done.id)).toBe(true);

      // Once the batch is over, asking again is a new generation: a new batch of new versions.
      const next = await api.gqlOk<{ generateMonthlyReports: BatchView }>(GENERATE_MONTHLY, { month: '2026-10' }, agency.token);
      expect(next.generateMonthlyReports.id).not.toBe(done.id);
      await batchWhen(agency, next.generateMonthlyReports.id, (batch) => batch.status === 'COMPLETED');
      expect((await reportRows(owner, agency.agencyId)).map((row) => row.version).sort()).toEqual([1, 1, 1, 2, 2, 2]);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'renders every report of a batch exactly once when Chromium is killed in the middle of it',
    async () => {
      // Clients with a plan and 14 months of data: full reports (8+ pages, charts), so that a
      // render spends long enough inside Chromium to be caught there.
      const agency = await newAgency(api);
      for (let index = 0; index < 6; index += 1) await seedFrenchShop(api, { agency, clientName: `Boutique ${index + 1}` });
      const { generateMonthlyReports: batch } = await api.gqlOk<{ generateMonthlyReports: BatchView }>(GENERATE_MONTHLY, { month: '2026-10' }, agency.token);
      expect(batch.total).toBe(6);
      await batchWhen(agency, batch.id, (progress) => progress.done >= 1);

      // Kill the browser, again each time the worker relaunches it, until a render has failed
      // for it (a report FAILED, to be retried): a kill between two renders would only prove
      // the relaunch.
      const killed: number[] = [];
      let failedAttempts = 0;
      for (let round = 0; failedAttempts === 0 && round < 300; round += 1) {
        const browsers = chromiumChildren().filter((pid) => !killed.includes(pid));
        for (const pid of browsers) process.kill(pid, 'SIGKILL');
        killed.push(...browsers);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const { rows } = await owner.query(`SELECT count(*)::int AS n FROM audit_log WHERE agency_id = $1 AND action = 'report.failed'`, [agency.agencyId]);
        failedAttempts = rows[0].n;
      }
      expect(failedAttempts).toBeGreaterThanOrEqual(1);
      expect(killed.length).toBeGreaterThanOrEqual(1);

      const settled = await batchWhen(agency, batch.id, (progress) => progress.status !== 'RUNNING');
      expect(settled).toEqual({ id: batch.id, total: 6, done: 6, failed: 0, pending: 0, status: 'COMPLETED' });
      for (const pid of killed) expect(isAlive(pid)).toBe(false);

      const rows = await reportRows(owner, agency.agencyId);
      expect(rows).toHaveLength(6);
      // No duplicate version, and one stored file per report, at its own key (no leftover temporary file).
      expect(rows.every((row) => row.status === 'READY' && row.version === 1)).toBe(true);
      expect(storedFiles(agency.agencyId)).toEqual(rows.map((row) => `${row.client_id}/${row.id}.pdf`).sort());
      // The failed attempts were retried by pg-boss: more attempts than reports, each one audited, one success each.
      expect(rows.reduce((sum, row) => sum + row.attempts, 0)).toBeGreaterThan(6);
      for (const row of rows) {
        expect(await auditCount(agency.agencyId, 'report.rendering', row.id)).toBe(row.attempts);
        expect(await auditCount(agency.agencyId, 'report.ready', row.id)).toBe(1);
      }
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'renders a queued batch back to back: no lane waits out the polling interval while jobs are queued',
    async () => {
      // The suite's worker polls every half second: stopped, so that the batch waits for one
      // that polls every minute. Before the lanes woke each other, such a worker took one job
      // per lane, then slept a minute after each.
      await worker.close();
      const agency = await newAgency(api);
      for (let index = 0; index < 8; index += 1) await newClient(api, agency);
      const { generateMonthlyReports: batch } = await api.gqlOk<{ generateMonthlyReports: BatchView }>(GENERATE_MONTHLY, { month: '2026-09' }, agency.token);
      expect(batch).toMatchObject({ total: 8, pending: 8 });

      const started = Date.now();
      worker = await startTestWorker(api.config, { pollingIntervalSeconds: 60 });
      const done = await batchWhen(agency, batch.id, (progress) => progress.status !== 'RUNNING');
      const seconds = (Date.now() - started) / 1000;
      expect(done).toEqual({ id: batch.id, total: 8, done: 8, failed: 0, pending: 0, status: 'COMPLETED' });
      // 8 jobs on 4 lanes: at least one lane took a second job after its first, without a poll.
      expect(seconds).toBeLessThan(40);
      // Each job ran once, and no retry hid a failure.
      const { rows } = await owner.query(
        `SELECT count(*)::int AS n, max(retry_count)::int AS retries FROM pgboss.job j JOIN reports r ON r.id::text = j.singleton_key
          WHERE j.name = 'report.render' AND r.agency_id = $1 AND j.state = 'completed'`,
        [agency.agencyId],
      );
      expect(rows[0]).toEqual({ n: 8, retries: 0 });

      await worker.close();
      worker = await startTestWorker(api.config);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it('hides a batch from another agency and refuses to generate for a client the agency does not own', async () => {
    const agency = await newAgency(api);
    const client = await newClient(api, agency);
    const other = await newAgency(api);
    const { generateMonthlyReports: batch } = await api.gqlOk<{ generateMonthlyReports: BatchView }>(GENERATE_MONTHLY, { month: '2026-08' }, agency.token);

    const read = await api.gql(REPORT_BATCH, { id: batch.id }, other.token);
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const generate = await api.gql(GENERATE_REPORT, { input: { clientId: client.id, periodStart: '2026-08-01' } }, other.token);
    expect(generate.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const { rows } = await owner.query(`SELECT count(*)::int AS n FROM reports WHERE agency_id = $1`, [other.agencyId]);
    expect(rows[0].n).toBe(0);
    await batchWhen(agency, batch.id, (progress) => progress.status === 'COMPLETED');
  });

  it('refuses generation and batch reads to a client viewer, even for their own client', async () => {
    const agency = await newAgency(api);
    const client = await newClient(api, agency);
    const viewer = await newClientViewer(api, agency, client.id);
    const generate = await api.gql(GENERATE_REPORT, { input: { clientId: client.id, periodStart: '2026-10-01' } }, viewer.token);
    expect(generate.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const monthly = await api.gql(GENERATE_MONTHLY, { month: '2026-10' }, viewer.token);
    expect(monthly.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await reportRows(owner, agency.agencyId)).toEqual([]);
  });

  it('names the field of a malformed month or period', async () => {
    const agency = await newAgency(api);
    const client = await newClient(api, agency);
    const month = await api.gql(GENERATE_MONTHLY, { month: '2026-13' }, agency.token);
    expect(month.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(month.errors?.[0]?.message).toMatch(/month/);
    const period = await api.gql(GENERATE_REPORT, { input: { clientId: client.id, periodStart: '2026-10-15' } }, agency.token);
    expect(period.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(period.errors?.[0]?.message).toMatch(/periodStart/);
  });

  it('requests each client’s previous month once its own calendar has settled, once only', async () => {
    const agency = await newAgency(api);
    const kiritimati = await newClient(api, agency, { timeZone: 'Pacific/Kiritimati' });
    await newClient(api, agency, { timeZone: 'America/Los_Angeles' });
    const jobs = worker.app.get(ReportJobsService);
    const settleDays = api.config.reportSettleDays;
    expect(settleDays).toBeGreaterThanOrEqual(1);
    // Midnight on 1 November + settle days in Kiritimati (UTC+14) is still the day before in Los Angeles (UTC-8).
    const now = new Date(Date.UTC(2026, 10, 1 + settleDays) - 14 * 3600_000);
    expect(await jobs.requestDueForAgency(agency.agencyId, now)).toEqual({ monthly: 1, weekly: 0 });
    expect(await jobs.requestDueForAgency(agency.agencyId, now)).toEqual({ monthly: 0, weekly: 0 });
    const rows = await owner.query(`SELECT client_id, kind, to_char(period_start, 'YYYY-MM-DD') AS period FROM reports WHERE agency_id = $1`, [
      agency.agencyId,
    ]);
    expect(rows.rows).toEqual([{ client_id: kiritimati.id, kind: 'MONTHLY', period: '2026-10-01' }]);
  });

  it('requests last week’s WEEKLY report of opted-in clients only, once settled in each client’s own time zone, once only', async () => {
    const agency = await newAgency(api);
    const OPT_IN = `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id weeklyReportEnabled } }`;
    const auckland = await newClient(api, agency, { timeZone: 'Pacific/Auckland' });
    const losAngeles = await newClient(api, agency, { timeZone: 'America/Los_Angeles' });
    await newClient(api, agency, { timeZone: 'Pacific/Auckland' });
    const archived = await newClient(api, agency, { timeZone: 'Pacific/Auckland' });
    for (const client of [auckland, losAngeles, archived]) await api.gqlOk(OPT_IN, { input: { id: client.id, weeklyReportEnabled: true } }, agency.token);
    await api.gqlOk(`mutation ($id: ID!) { archiveClient(id: $id) { id } }`, { id: archived.id }, agency.token);
    const jobs = worker.app.get(ReportJobsService);
    const hours = api.config.reportWeeklySettleHours * 3_600_000;
    const weekly = async (now: Date): Promise<number> => (await jobs.requestDueForAgency(agency.agencyId, now)).weekly;
    const weeklyReports = async (): Promise<Array<{ client: string; period: string }>> =>
      (
        await owner.query(
          `SELECT client_id, to_char(period_start, 'YYYY-MM-DD') AS period FROM reports WHERE agency_id = $1 AND kind = 'WEEKLY' ORDER BY created_at`,
          [agency.agencyId],
        )
      ).rows.map((row: { client_id: string; period: string }) => ({
        client: row.client_id === auckland.id ? 'Auckland' : row.client_id === losAngeles.id ? 'Los Angeles' : row.client_id,
        period: row.period,
      }));

    // Monday 1 February 2027, 00:00 in Auckland (NZDT, UTC+13) is Sunday 31 January 11:00 UTC,
    // when Los Angeles (PST, UTC-8) is on Sunday 31 January 03:00: its last complete week is the
    // one of 18 January, due since its own Monday (25 January).
    const aucklandDue = Date.UTC(2027, 0, 31, 11) + hours;
    expect(await weekly(new Date(aucklandDue - 1000))).toBe(1);
    expect(await weeklyReports()).toEqual([{ client: 'Los Angeles', period: '2027-01-18' }]);
    expect(await weekly(new Date(aucklandDue))).toBe(1);
    expect(await weekly(new Date(aucklandDue))).toBe(0);
    // Monday 1 February 2027, 00:00 in Los Angeles is 08:00 UTC.
    const losAngelesDue = Date.UTC(2027, 1, 1, 8) + hours;
    expect(await weekly(new Date(losAngelesDue - 1000))).toBe(0);
    expect(await weekly(new Date(losAngelesDue))).toBe(1);
    expect(await weekly(new Date(losAngelesDue))).toBe(0);
    // Neither the client that did not opt in nor the archived one got a weekly report.
    expect(await weeklyReports()).toEqual([
      { client: 'Los Angeles', period: '2027-01-18' },
      { client: 'Auckland', period: '2027-01-25' },
      { client: 'Los Angeles', period: '2027-01-25' },
    ]);
  });
});
