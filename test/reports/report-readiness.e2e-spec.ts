import { writeFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import { ReportJobsService, ReportsService } from '@pilotage/report-production';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { readPdf, seedFrenchShop, storedPdf, type SeededShop } from './report-fixtures';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

interface ReportRow {
  id: string;
  periodStart: string;
  readinessWarning: string | null;
}

/**
 * The readiness gate of scheduled MONTHLY reports, through the schedule tick of one agency
 * (requestDueForAgency, what the hourly job runs) at chosen instants. The shop's data ends on
 * 31 October 2026: October is complete, November has none. REPORT_SETTLE_DAYS 3, cap 10 days.
 */
describe('readiness gate of scheduled monthly reports', () => {
  let api: TestApi;
  let owner: Pool;
  let shop: SeededShop;

  const monthlyReports = async (): Promise<ReportRow[]> =>
    (
      await owner.query<ReportRow>(
        `SELECT id, to_char(period_start, 'YYYY-MM-DD') AS "periodStart", readiness_warning AS "readinessWarning"
           FROM reports WHERE client_id = $1 AND kind = 'MONTHLY' ORDER BY period_start, version`,
        [shop.clientId],
      )
    ).rows;

  beforeAll(async () => {
    api = await startTestApi({ REPORT_SETTLE_DAYS: '3', REPORT_READINESS_CAP_DAYS: '10' });
    owner = ownerPool();
    shop = await seedFrenchShop(api);
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  it(
    'generates a complete month once settled, holds an incomplete one before the cap, and generates it at the cap with a warning printed',
    async () => {
      const jobs = api.app.get(ReportJobsService);
      const agencyId = shop.agency.agencyId;

      // 4 November in Paris: October is settled and complete.
      expect(await jobs.requestDueForAgency(agencyId, new Date('2026-11-04T12:00:00Z'))).toEqual({ monthly: 1, weekly: 0 });
      expect(await monthlyReports()).toEqual([{ id: expect.any(String), periodStart: '2026-10-01', readinessWarning: null }]);

      // November has no data: settled on 4 December, still waiting on 9 December.
      expect(await jobs.requestDueForAgency(agencyId, new Date('2026-12-04T12:00:00Z'))).toEqual({ monthly: 0, weekly: 0 });
      expect(await jobs.requestDueForAgency(agencyId, new Date('2026-12-09T22:00:00Z'))).toEqual({ monthly: 0, weekly: 0 });
      expect(await monthlyReports()).toHaveLength(1);

      // 10 December in Paris (23:30 UTC on the 9th): the cap day; generated with the incomplete KPIs named.
      expect(await jobs.requestDueForAgency(agencyId, new Date('2026-12-09T23:30:00Z'))).toEqual({ monthly: 1, weekly: 0 });
      const november = (await monthlyReports()).find((row) => row.periodStart === '2026-11-01');
      expect(november?.readinessWarning?.split(',')).toEqual(expect.arrayContaining(['sessions', 'revenue']));
      // The next tick requests nothing more.
      expect(await jobs.requestDueForAgency(agencyId, new Date('2026-12-10T12:00:00Z'))).toEqual({ monthly: 0, weekly: 0 });

      const listed = await api.gqlOk<{ report: { incompleteKpiKeys: string[] } }>(
        `query ($id: ID!) { report(id: $id) { incompleteKpiKeys } }`,
        { id: november?.id },
        shop.agency.token,
      );
      expect(listed.report.incompleteKpiKeys).toEqual(november?.readinessWarning?.split(','));
      const rendered = await api.app.get(ReportsService).renderReport(agencyId, november?.id ?? '');
      expect(rendered.status).toBe('READY');
      const pdf = await storedPdf(api, rendered);
      if (process.env.KEEP_PDF !== undefined) await writeFile(`${process.env.KEEP_PDF}/readiness-fr.pdf`, pdf);
      const text = (await readPdf(pdf)).text.replace(/\s+/g, ' ');
      expect(text).toContain('Données incomplètes : ce rapport a été produit à la date limite alors que des données manquaient encore pour');
      expect(text).toMatch(/manquaient encore pour [^.]*Sessions/);

      const october = (await monthlyReports()).find((row) => row.periodStart === '2026-10-01');
      const complete = await api.app.get(ReportsService).renderReport(agencyId, october?.id ?? '');
      expect((await readPdf(await storedPdf(api, complete))).text).not.toContain('date limite');
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
