import type { Pool } from 'pg';
import { runWithTenant, TenantDatabase, type ReportEntity } from '@pilotage/database';
import { formatKpiChange, formatKpiValue } from '@pilotage/reporting';
import { compareValues, type KpiUnit } from '@pilotage/kpi';
import { ReportsService } from '@pilotage/report-production';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { normalizeSpaces, readPdf, seedFrenchShop, SHOP_KPIS, storedPdf, type PdfReading, type SeededShop } from './report-fixtures';
import { REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const KPI_SERIES = `query ($clientId: ID!, $kpiKeys: [String!]!, $from: String!, $to: String!) {
  kpiSeries(clientId: $clientId, kpiKeys: $kpiKeys, from: $from, to: $to, grain: WEEK) { kpiKey name unit points { start end value coverage } }
}`;

interface SeriesRow {
  kpiKey: string;
  name: string;
  unit: KpiUnit;
  points: { start: string; end: string; value: number | null; coverage: number }[];
}

/*
 * The seeded shop has daily metrics from Monday 1 September 2025 to Saturday 31 October 2026
 * (61 weeks). The reported week, 2026-W44, runs from Monday 26 October to Sunday 1 November:
 * it straddles two months (its flow targets take 6/31 of October's and 1/30 of November's) and
 * its Sunday has no data yet, as when a connector has not delivered the weekend.
 */
const WEEK_START = '2026-10-26';
const fr = { locale: 'fr' as const, currency: 'EUR' };

async function requestAndRenderWeekly(api: TestApi, shop: SeededShop, periodStart: string): Promise<ReportEntity> {
  const reports = api.app.get(ReportsService);
  const db = api.app.get(TenantDatabase);
  const { agency } = shop;
  const requested = await runWithTenant({ agencyId: agency.agencyId, userId: agency.userId, role: 'OWNER', clientId: null }, () =>
    db.run((manager) => reports.requestReport(manager, { clientId: shop.clientId, kind: 'WEEKLY', periodStart })),
  );
  return reports.renderReport(agency.agencyId, requested.id);
}

describe('weekly operational report PDF (end to end)', () => {
  let api: TestApi;
  let owner: Pool;
  let shop: SeededShop;
  let report: ReportEntity;
  let reading: PdfReading;
  let series: SeriesRow[];

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    shop = await seedFrenchShop(api);
    report = await requestAndRenderWeekly(api, shop, WEEK_START);
    reading = await readPdf(await storedPdf(api, report));
    const data = await api.gqlOk<{ kpiSeries: SeriesRow[] }>(
      KPI_SERIES,
      { clientId: shop.clientId, kpiKeys: SHOP_KPIS.map((kpi) => kpi.kpiKey), from: '2026-10-19', to: '2026-11-01' },
      shop.agency.token,
    );
    series = data.kpiSeries;
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  it('renders the ISO week Monday to Sunday as a READY report whose page count is the PDF’s', async () => {
    const { rows } = await owner.query(
      `SELECT kind, status, to_char(period_start, 'YYYY-MM-DD') AS start, to_char(period_end, 'YYYY-MM-DD') AS "end", page_count FROM reports WHERE id = $1`,
      [report.id],
    );
    expect(rows[0]).toMatchObject({ kind: 'WEEKLY', status: 'READY', start: '2026-10-26', end: '2026-11-01' });
    const pages = Number(reading.info.Pages);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(rows[0].page_count).toBe(pages);
    expect(reading.info.Title).toBe('Rapport hebdomadaire de performance — Maison Lumière — Semaine du 26 octobre 2026 au 1 novembre 2026');
  });

  it('prints the week, not a month: title, weekly wording of the columns and the 13 weeks on the charts', () => {
    expect(reading.text).toContain('Rapport hebdomadaire de performance');
    expect(reading.text).toContain('Semaine du 26 octobre 2026 au 1 novembre 2026');
    expect(reading.text).toContain('vs S−1');
    expect(reading.text).toContain('vs S−1 = vs semaine précédente');
    expect(reading.text).not.toContain('vs M−1');
    expect(reading.text).not.toContain('vs mois précédent');
    expect(reading.text).toContain('13 dernières semaines');
    // Weeks 32 (3 August) to 44 on the trend charts' axis.
    expect(reading.text).toMatch(/S32 +S33 +S34 .*S43 +S44/);
  });

  it('prints every KPI of the plan with the week’s value the kpiSeries API returns at WEEK grain', () => {
    expect(series.map((row) => row.kpiKey)).toEqual(SHOP_KPIS.map((kpi) => kpi.kpiKey));
    for (const row of series) {
      const week = row.points.find((point) => point.start === WEEK_START);
      expect(week?.value).not.toBeNull();
      const printed = normalizeSpaces(formatKpiValue(week?.value ?? null, row.unit, fr));
      expect({ kpi: row.kpiKey, printed, found: reading.text.includes(printed) }).toEqual({ kpi: row.kpiKey, printed, found: true });
      expect(reading.text).toContain(row.name);
    }
  });

  it('compares with the previous week: the change the API values give, said "vs semaine précédente"', () => {
    // Revenue, the sales objective's headline KPI, leads the cover with its change vs the previous week.
    const revenue = series.find((row) => row.kpiKey === 'revenue');
    const [previous, current] = [revenue?.points.find((point) => point.start === '2026-10-19'), revenue?.points.find((point) => point.start === WEEK_START)];
    const change = compareValues(current?.value ?? null, previous?.value ?? null, 'CURRENCY');
    expect(change).not.toBeNull();
    const printed = normalizeSpaces(formatKpiChange(change, 'fr'));
    expect(printed).toMatch(/^[+−]\d+,\d %$/);
    expect(reading.text).toContain(`${printed} vs semaine précédente`);
  });

  it('brings the monthly targets to the week: flows prorated by the days of each month, rates as they are', () => {
    // Sessions: 40,000 a month → 6/31 of October + 1/30 of November = 9,075.27.
    expect(reading.text).toContain(normalizeSpaces(formatKpiValue(40_000 * (6 / 31) + 40_000 / 30, 'COUNT', fr)));
    expect(reading.text).toContain('9 075');
    // Revenue: 800,000 a year split evenly, 66,666.67 a month → 14,123.66.
    expect(reading.text).toContain(normalizeSpaces(formatKpiValue((800_000 / 12) * (6 / 31 + 1 / 30), 'CURRENCY', fr)));
    // Conversion rate: October's 2.1 % (the week's Thursday is 29 October).
    expect(reading.text).toContain('2,1 %');
  });

  it('prints no channel table for a shop whose values say no channel (all unattributed, OTHER)', () => {
    expect(reading.text).not.toContain('Résultats par canal');
    expect(reading.text).not.toContain('Autres / non attribué');
  });

  it('shows that the week’s Sunday has no data', () => {
    const sessions = series.find((row) => row.kpiKey === 'sessions')?.points.find((point) => point.start === WEEK_START);
    expect(sessions?.coverage).toBeCloseTo(6 / 7, 9);
    // The note says on how many days the value stands and which input misses which day, no direction.
    const flat = reading.text.replace(/\s+/g, ' ');
    expect(flat).toContain('Calculé sur les 6 jours sur 7 où ses données sont connues.');
    expect(flat).toContain('Sessions : données manquantes le 1er nov.');
    expect(flat).not.toContain('sous-estimée');
    expect(reading.text).toMatch(/\d Sessions — /); // a numbered note under the scorecard
  });
});
