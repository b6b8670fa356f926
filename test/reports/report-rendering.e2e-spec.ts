import type { Pool } from 'pg';
import { findMetric, FUNNELS } from '@pilotage/kpi';
import { formatKpiValue } from '@pilotage/reporting';
import { RENDER_JOB_OPTIONS, ReportsService, STALE_RENDERING_SECONDS } from '@pilotage/report-production';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { normalizeSpaces, readPdf, requestAndRender, seedFrenchShop, SHOP_KPIS, storedPdf, type PdfReading, type SeededShop } from './report-fixtures';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const SCORECARD = `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) { rows { kpiKey name unit value target } } }`;

interface ScorecardRow {
  kpiKey: string;
  name: string;
  unit: 'COUNT' | 'CURRENCY' | 'PERCENT' | 'RATIO' | 'DURATION' | 'SCORE';
  value: number | null;
  target: number | null;
}

describe('monthly report PDF (end to end)', () => {
  let api: TestApi;
  let owner: Pool;
  let shop: SeededShop;
  let reportId: string;
  let pdf: Buffer;
  let reading: PdfReading;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    shop = await seedFrenchShop(api);
    const report = await requestAndRender(api, shop.agency, shop.clientId);
    reportId = report.id;
    pdf = await storedPdf(api, report);
    reading = await readPdf(pdf);
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  it('renders the seeded client’s October 2026 report: at most 8 pages, with title and author metadata', async () => {
    const { rows } = await owner.query(`SELECT status, page_count, byte_size, checksum FROM reports WHERE id = $1`, [reportId]);
    expect(rows[0]).toMatchObject({ status: 'READY', byte_size: pdf.length });
    expect(Number(reading.info.Pages)).toBeGreaterThanOrEqual(6);
    expect(Number(reading.info.Pages)).toBeLessThanOrEqual(8);
    expect(rows[0].page_count).toBe(Number(reading.info.Pages));
    expect(reading.info.Title).toContain(shop.clientName);
    expect(reading.info.Title).toMatch(/octobre 2026/i);
    expect(reading.info.Author).toBe('Owner');
  });

  it('embeds every font it uses', () => {
    expect(reading.fonts.length).toBeGreaterThan(0);
    expect(reading.fonts.filter((font) => !font.embedded)).toEqual([]);
  });

  it('prints the client’s name and the period in French', () => {
    expect(reading.text).toContain(shop.clientName);
    expect(reading.text).toContain('Octobre 2026');
    expect(reading.text).not.toContain('October');
  });

  it('prints every KPI value exactly as the scorecard API computes it, in French number formats', async () => {
    const data = await api.gqlOk<{ scorecard: { rows: ScorecardRow[] } }>(SCORECARD, { clientId: shop.clientId, month: '2026-10' }, shop.agency.token);
    expect(data.scorecard.rows.map((row) => row.kpiKey)).toEqual(SHOP_KPIS.map((kpi) => kpi.kpiKey));
    for (const row of data.scorecard.rows) {
      expect(row.value).not.toBeNull();
      const printed = normalizeSpaces(formatKpiValue(row.value, row.unit, { locale: 'fr', currency: 'EUR' }));
      expect({ kpi: row.kpiKey, found: reading.text.includes(printed) }).toEqual({ kpi: row.kpiKey, found: true });
      expect(reading.text).toContain(row.name);
    }
    // French formats: a decimal comma before " %", and euros after the amount with a space.
    const conversion = data.scorecard.rows.find((row) => row.kpiKey === 'ecommerce_conversion_rate');
    expect(normalizeSpaces(formatKpiValue(conversion?.value ?? null, 'PERCENT', { locale: 'fr', currency: 'EUR' }))).toMatch(/^\d+,\d %$/);
    // Month over month, computed by hand from the seeded days: 59,149 visitors in October
    // against 52,361 in September is +12.96 %.
    expect(reading.text).toContain('59 149');
    expect(reading.text).toContain('+13,0 %');
    const revenue = data.scorecard.rows.find((row) => row.kpiKey === 'revenue');
    expect(normalizeSpaces(formatKpiValue(revenue?.value ?? null, 'CURRENCY', { locale: 'fr', currency: 'EUR' }))).toMatch(/^\d{1,3}( \d{3})+ €$/);
  });

  it('names what each funnel stage counts, a plan KPI or else the catalog metric', () => {
    const stages = { ACQUISITION: 'Acquisition', CONVERSION: 'Conversion', ENGAGEMENT: 'Engagement' } as const;
    for (const step of FUNNELS.ECOMMERCE.steps) {
      const metric = findMetric(step.metricKey);
      expect(reading.text).toMatch(new RegExp(`${stages[step.stage as keyof typeof stages]} +${metric?.name.fr ?? '?'} `));
    }
  });

  it(
    'records QUEUED → RENDERING → READY in the audit trail and never renders a READY report twice',
    async () => {
      const before = (await owner.query(`SELECT status, checksum, storage_key, attempts, rendered_at FROM reports WHERE id = $1`, [reportId])).rows[0];
      const again = await api.app.get(ReportsService).renderReport(shop.agency.agencyId, reportId);
      expect(again).toMatchObject({ status: 'READY', checksum: before.checksum, storageKey: before.storage_key, attempts: 1 });
      const after = (await owner.query(`SELECT status, checksum, storage_key, attempts, rendered_at FROM reports WHERE id = $1`, [reportId])).rows[0];
      expect(after).toEqual(before);
      const audit = await owner.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at, action`, [reportId]);
      expect(audit.rows.map((row) => row.action)).toEqual(['report.requested', 'report.rendering', 'report.ready']);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it(
    'lets the next attempt take over a report a dead worker left RENDERING, once the claim is stale',
    async () => {
      // The queue retries an attempt it considers lost after its expiry: by then the claim must be stale.
      expect(STALE_RENDERING_SECONDS).toBeLessThan(RENDER_JOB_OPTIONS.expireInSeconds ?? 0);
      const reports = api.app.get(ReportsService);
      const report = await requestAndRender(api, shop.agency, shop.clientId, '2026-09-01');
      // A worker died right after claiming: RENDERING, no file written for this attempt.
      await owner.query(`UPDATE reports SET status = 'RENDERING', updated_at = now() WHERE id = $1`, [report.id]);
      await expect(reports.renderReport(shop.agency.agencyId, report.id)).rejects.toThrow(/being rendered by another worker/);
      await owner.query(`UPDATE reports SET updated_at = now() - make_interval(secs => $2) WHERE id = $1`, [report.id, STALE_RENDERING_SECONDS + 1]);
      const taken = await reports.renderReport(shop.agency.agencyId, report.id);
      expect(taken).toMatchObject({ status: 'READY', attempts: 2, version: 1 });
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
