import { formatKpiValue } from '@pilotage/reporting';
import { approvePlan, newAgency, newClient, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { RENDER_TEST_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';
import { readPdf, requestAndRender, storedPdf, type PdfReading } from './report-fixtures';

/*
 * Issue 12, items 1–3, with figures computed by hand, through the GraphQL scorecard and in the
 * PDF's text. November 2026 of a French shop:
 * - sessions: 1,000 a day except on 11 and 12 November (no data): 28,000 over 28 days;
 * - orders: 20 a day, 45 on 11 and 12 November: 650 over 30 days;
 * - customers, typed per month: 1,000 at September 1; September +50 −20, October +40 −31,
 *   November +60 −19;
 * - NPS answers, typed per month: October 520 promoters, 330 passives, 150 detractors (37.0),
 *   November 549 / 321 / 130 (41.9);
 * - visitors: 1,000 a day, 30,000 against a 30,100 target: 99.67 %, printed "100 %".
 */
const SCORECARD = `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) { rows {
  kpiKey value coverage daysWithData daysInPeriod target expected attainment status incomplete
  gaps { metricKey name from to }
  mom { value change { kind points percent } }
  ytd { value target rollUp } } } }`;
const SERIES = `query ($clientId: ID!, $keys: [String!]!, $from: String!, $to: String!, $grain: PeriodGrain!) {
  kpiSeries(clientId: $clientId, kpiKeys: $keys, from: $from, to: $to, grain: $grain) { kpiKey points { start value target rollUp } } }`;

interface Row {
  kpiKey: string;
  value: number | null;
  coverage: number;
  daysWithData: number;
  daysInPeriod: number;
  target: number | null;
  expected: number | null;
  attainment: number | null;
  status: string;
  incomplete: boolean;
  gaps: Array<{ metricKey: string; name: string; from: string; to: string }>;
  mom: { value: number | null; change: { kind: string; points: number | null; percent: number | null } | null };
  ytd: { value: number | null; target: number | null; rollUp: string };
}

const november = Array.from({ length: 30 }, (_, index) => `2026-11-${String(index + 1).padStart(2, '0')}`);
const missingSessions = new Set(['2026-11-11', '2026-11-12']);

function metricValues(): Array<{ metricKey: string; date: string; value: string; granularity: string }> {
  const values: Array<{ metricKey: string; date: string; value: string; granularity: string }> = [];
  const day = (metricKey: string, date: string, value: number): void => void values.push({ metricKey, date, value: String(value), granularity: 'DAY' });
  const month = (metricKey: string, date: string, value: number): void => void values.push({ metricKey, date, value: String(value), granularity: 'MONTH' });
  for (const date of november) {
    day('orders', date, missingSessions.has(date) ? 45 : 20);
    if (!missingSessions.has(date)) day('sessions', date, 1000);
    day('visitors', date, 1000);
  }
  let total = 1000;
  for (const [start, newCustomers, lost] of [
    ['2026-09-01', 50, 20],
    ['2026-10-01', 40, 31],
    ['2026-11-01', 60, 19],
  ] as const) {
    total += newCustomers - lost;
    month('new_customers', start, newCustomers);
    month('customers_lost', start, lost);
    month('customers_total', start, total);
  }
  month('nps_promoters', '2026-10-01', 520);
  month('nps_passives', '2026-10-01', 330);
  month('nps_detractors', '2026-10-01', 150);
  month('nps_promoters', '2026-11-01', 549);
  month('nps_passives', '2026-11-01', 321);
  month('nps_detractors', '2026-11-01', 130);
  return values;
}

describe('report figures: period semantics, aligned coverage, changes by unit (end to end)', () => {
  let api: TestApi;
  let agency: TestAgency;
  let clientId: string;
  let rows: Map<string, Row>;
  let reading: PdfReading;
  /** The PDF's text on one line: notes wrapped in table cells read as sentences again. */
  let flat: string;

  beforeAll(async () => {
    api = await startTestApi();
    agency = await newAgency(api, { name: 'Agence Horizon', locale: 'fr' });
    clientId = (await newClient(api, agency, { name: 'Maison Aligne', businessModel: 'ECOMMERCE', locale: 'fr', currency: 'EUR', timeZone: 'Europe/Paris' }))
      .id;
    await api.gqlOk(
      `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted } }`,
      { input: { clientId, values: metricValues() } },
      agency.token,
    );
    await approvePlan(api, agency, {
      clientId,
      businessModel: 'ECOMMERCE',
      traits: ['EMAIL_AUTOMATION'],
      channels: ['SEO'],
      coreTarget: 'Amateurs de luminaires',
      objectiveKeys: ['INCREASE_SALES', 'IMPROVE_RETENTION'],
      selections: [
        { kpiKey: 'visitors', objectiveKey: 'INCREASE_SALES' },
        { kpiKey: 'sessions', objectiveKey: 'INCREASE_SALES' },
        { kpiKey: 'ecommerce_conversion_rate', objectiveKey: 'INCREASE_SALES' },
        { kpiKey: 'churn_rate', objectiveKey: 'IMPROVE_RETENTION' },
        { kpiKey: 'nps', objectiveKey: 'IMPROVE_RETENTION' },
      ],
      targets: {
        year: 2026,
        values: Array.from({ length: 12 }, (_, index) => [
          { kpiKey: 'churn_rate', month: index + 1, value: index + 1 === 10 ? 0.03 : 0.02 },
          { kpiKey: 'ecommerce_conversion_rate', month: index + 1, value: 0.021 },
          { kpiKey: 'sessions', month: index + 1, value: 28_500 },
          { kpiKey: 'visitors', month: index + 1, value: 30_100 },
        ]).flat(),
      },
    });

    const data = await api.gqlOk<{ scorecard: { rows: Row[] } }>(SCORECARD, { clientId, month: '2026-11' }, agency.token);
    rows = new Map(data.scorecard.rows.map((row) => [row.kpiKey, row]));
    reading = await readPdf(await storedPdf(api, await requestAndRender(api, agency, clientId, '2026-11-01')));
    flat = reading.text.replace(/\s+/g, ' ');
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(() => api.close(), TEARDOWN_TIMEOUT_MS);

  const row = (key: string): Row => {
    const found = rows.get(key);
    if (!found) throw new Error(`no scorecard row for ${key}`);
    return found;
  };

  it('rolls churn up over the year as Σ lost / Σ starting bases, against the same weighting of the monthly targets', () => {
    const churn = row('churn_rate');
    // November alone: 19 lost over 1,039 at November 1.
    expect(churn.value).toBeCloseTo(19 / 1039, 12);
    // Year to date (only September to November have customers): (20 + 31 + 19) / (1,000 + 1,030 + 1,039) = 2.28 %,
    // not 70 / 1,000 = 7 % (three months of churn over September's base).
    expect(churn.ytd.value).toBeCloseTo(70 / 3069, 12);
    expect(churn.ytd.rollUp).toBe('MONTHLY_AVERAGE');
    // Targets 2 %, 3 % (October), 2 % weighted by the same bases; months without customers weigh nothing.
    expect(churn.ytd.target).toBeCloseTo((0.02 * 1000 + 0.03 * 1030 + 0.02 * 1039) / 3069, 12);
  });

  it('gives a week no churn target: a monthly churn target does not compare with seven days of churn', async () => {
    const data = await api.gqlOk<{ weeklyScorecard: { rows: Array<{ kpiKey: string; target: number | null; status: string; ytd: { rollUp: string } }> } }>(
      `query ($clientId: ID!, $weekStart: String!) { weeklyScorecard(clientId: $clientId, weekStart: $weekStart) { rows { kpiKey target status ytd { rollUp } } } }`,
      { clientId, weekStart: '2026-11-09' },
      agency.token,
    );
    const weekly = new Map(data.weeklyScorecard.rows.map((weeklyRow) => [weeklyRow.kpiKey, weeklyRow]));
    expect(weekly.get('churn_rate')).toMatchObject({ target: null, status: 'NO_TARGET', ytd: { rollUp: 'MONTHLY_AVERAGE' } });
    // A volume's weekly target stays the monthly one prorated by days: 7/30 of 28,500.
    expect(weekly.get('sessions')?.target).toBeCloseTo((28_500 * 7) / 30, 6);
  });

  it('labels quarters of a rate over a stock base as monthly averages in kpiSeries', async () => {
    const data = await api.gqlOk<{
      kpiSeries: Array<{ kpiKey: string; points: Array<{ start: string; value: number | null; target: number | null; rollUp: string | null }> }>;
    }>(SERIES, { clientId, keys: ['churn_rate', 'sessions'], from: '2026-07-01', to: '2026-12-31', grain: 'QUARTER' }, agency.token);
    const [churn, sessions] = data.kpiSeries;
    expect(churn.points.map((point) => point.rollUp)).toEqual(['MONTHLY_AVERAGE', 'MONTHLY_AVERAGE']);
    // Q3: September only (20 / 1,000); Q4: October and November, (31 + 19) / (1,030 + 1,039).
    expect(churn.points[0].value).toBeCloseTo(20 / 1000, 12);
    expect(churn.points[1].value).toBeCloseTo((31 + 19) / (1030 + 1039), 12);
    // Quarter targets combine the monthly ones as the values do: weighted by the bases for churn, summed for sessions.
    expect(churn.points[0].target).toBeCloseTo(0.02, 12);
    expect(churn.points[1].target).toBeCloseTo((0.03 * 1030 + 0.02 * 1039) / (1030 + 1039), 12);
    expect(sessions.points.map((point) => point.rollUp)).toEqual(['SUM', 'SUM']);
    expect(sessions.points[1].target).toBeCloseTo(3 * 28_500, 6);
  });

  it('computes the conversion rate over the 28 days where sessions and orders are both known, and names the missing days', () => {
    const conversion = row('ecommerce_conversion_rate');
    // 28 × 20 orders / 28 × 1,000 sessions = 2.00 %, not 650 / 28,000 = 2.32 %.
    expect(conversion.value).toBeCloseTo(560 / 28_000, 12);
    expect(conversion).toMatchObject({ daysWithData: 28, daysInPeriod: 30, incomplete: false });
    expect(conversion.coverage).toBeCloseTo(28 / 30, 12);
    expect(conversion.gaps).toEqual([{ metricKey: 'sessions', name: 'Sessions', from: '2026-11-11', to: '2026-11-12' }]);
    // 2.00 % against 2.1 %: 95.2 %, near the target, not "reached 110 %".
    expect(conversion.attainment).toBeCloseTo(0.02 / 0.021, 10);
    expect(conversion.status).toBe('AT_RISK');
  });

  it('judges sessions with two missing days against the target prorated to their 28 days: ahead, and incomplete', () => {
    const sessions = row('sessions');
    expect(sessions).toMatchObject({ value: 28_000, daysWithData: 28, target: 28_500, status: 'ON_TRACK', incomplete: true });
    // 98.2 % of the full month's target, 105.3 % of its 28 days' share.
    expect(sessions.expected).toBeCloseTo((28_500 * 28) / 30, 9);
    expect(sessions.attainment).toBeCloseTo(28_000 / ((28_500 * 28) / 30), 10);
    expect(sessions.gaps).toEqual([{ metricKey: 'sessions', name: 'Sessions', from: '2026-11-11', to: '2026-11-12' }]);
  });

  it('judges the status on the attainment as printed: 99.67 % prints "100 %" and is on track', () => {
    const visitors = row('visitors');
    expect(visitors.attainment).toBeCloseTo(30_000 / 30_100, 10);
    expect(visitors).toMatchObject({ status: 'ON_TRACK', incomplete: false });
  });

  it('gives an NPS change in points: 37.0 → 41.9 is +4.9 points', () => {
    const nps = row('nps');
    expect(nps.value).toBeCloseTo(41.9, 10);
    expect(nps.mom.value).toBeCloseTo(37, 10);
    expect(nps.mom.change?.kind).toBe('POINTS');
    expect(nps.mom.change?.points).toBeCloseTo(4.9, 10);
  });

  it(
    'prints the same figures in the PDF: churn year to date as a monthly average, the aligned conversion, the missing days, the NPS points',
    () => {
      const context = { locale: 'fr' as const, currency: 'EUR' };
      expect(flat).toContain(`${formatKpiValue(70 / 3069, 'PERCENT', context)} (moyenne mensuelle)`.replace(/\s+/g, ' '));
      expect(flat).not.toContain(formatKpiValue(0.07, 'PERCENT', context).replace(/\s+/g, ' '));
      expect(flat).toContain(formatKpiValue(0.02, 'PERCENT', context).replace(/\s+/g, ' '));
      expect(flat).toContain('Sessions : données manquantes les 11 et 12 nov.');
      expect(flat).not.toContain('nov..');
      expect(flat).toContain('Calculé sur les 28 jours sur 30 où ses données sont connues.');
      expect(flat).toContain('Objectif ramené aux jours couverts.');
      expect(flat).toContain('+4,9 pt');
      expect(flat).not.toMatch(/\+13,\d %/);
      expect(flat).not.toContain('sous-estimée');
      // The visitors' row: value, target, attainment rounded as judged, status.
      expect(flat).toMatch(/30 000 30 100 100 % .{0,40}Objectif atteint/);
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
