import { inflateSync } from 'node:zlib';
import { formatKpiValue } from '@pilotage/reporting';
import { startTestApi, type TestApi } from '../support/test-api';
import { normalizeSpaces, readPdf, requestAndRender, seedFrenchShop, SHOP_KPIS, storedPdf, type PdfReading, type SeededShop } from './report-fixtures';
import { REPORT_SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const SCORECARD = `query ($clientId: ID!, $month: String!) { scorecard(clientId: $clientId, month: $month) {
  rows { kpiKey name unit value series { start value target lastYear } } } }`;

const WEEKLY_SCORECARD = `query ($clientId: ID!, $weekStart: String!) { weeklyScorecard(clientId: $clientId, weekStart: $weekStart) {
  rows { kpiKey series { start value target lastYear } } } }`;

interface SeriesPoint {
  start: string;
  value: number | null;
  target: number | null;
  lastYear: number | null;
}

interface Row {
  kpiKey: string;
  name: string;
  unit: 'COUNT' | 'CURRENCY' | 'PERCENT' | 'RATIO' | 'DURATION' | 'SCORE';
  value: number | null;
  series: SeriesPoint[];
}

/** A PDF string object: literal `(...)` (PDFDocEncoding, escapes) or hex `<FEFF...>` (UTF-16BE). */
function pdfString(raw: string): string {
  if (raw.startsWith('<')) {
    const bytes = Buffer.from(raw.slice(1, -1), 'hex');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return bytes.subarray(2).swap16().toString('utf16le');
    return bytes.toString('latin1');
  }
  return raw.slice(1, -1).replace(/\\([()\\])/g, '$1');
}

/**
 * The /Alt texts of the PDF's Figure structure elements: Chromium writes the tagged structure
 * tree in (mostly compressed) object streams, so each stream is inflated and searched, as
 * someone checking the file with zlib would.
 */
function figureAltTexts(pdf: Buffer): string[] {
  const chunks: string[] = [pdf.toString('latin1')];
  const source = pdf.toString('latin1');
  for (const match of source.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const end = source.indexOf('endstream', start);
    try {
      chunks.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // Not a Flate stream (an image, a font): nothing of the structure tree in it.
    }
  }
  const alts: string[] = [];
  for (const chunk of chunks) {
    // One structure element: from its type to the end of its object (Skia writes `/S`, `/Alt`, `/P`, `/K` in one dictionary).
    for (const element of chunk.split('/Type /StructElem').slice(1)) {
      const body = element.slice(0, element.indexOf('endobj') < 0 ? 2000 : element.indexOf('endobj'));
      if (!/\/S\s*\/Figure\b/.test(body)) continue;
      const alt = /\/Alt\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)/.exec(body);
      if (alt) alts.push(pdfString(alt[1]));
    }
  }
  return alts;
}

describe('KPI trend charts in the monthly report PDF (end to end)', () => {
  let api: TestApi;
  let shop: SeededShop;
  let rows: Map<string, Row>;
  let pdf: Buffer;
  let reading: PdfReading;

  beforeAll(async () => {
    api = await startTestApi();
    shop = await seedFrenchShop(api, { clientName: 'Lumière & Fils' });
    // October 2024, two years before the report: the last-year point of the series' first month.
    await api.gqlOk(
      `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted } }`,
      {
        input: {
          clientId: shop.clientId,
          values: [
            { metricKey: 'sessions', date: '2024-10-15', value: '2000', granularity: 'DAY' },
            { metricKey: 'orders', date: '2024-10-15', value: '30', granularity: 'DAY' },
            // Tuesday of ISO week 45 of 2024: last year's week of the first week of a W05 2026 series.
            { metricKey: 'sessions', date: '2024-11-05', value: '555', granularity: 'DAY' },
          ],
        },
      },
      shop.agency.token,
    );
    const data = await api.gqlOk<{ scorecard: { rows: Row[] } }>(SCORECARD, { clientId: shop.clientId, month: '2026-10' }, shop.agency.token);
    rows = new Map(data.scorecard.rows.map((row) => [row.kpiKey, row]));
    pdf = await storedPdf(api, await requestAndRender(api, shop.agency, shop.clientId));
    reading = await readPdf(pdf);
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  it('gives each point of the scorecard’s series the same month last year, reading back 25 months, missing as null', () => {
    const conversion = rows.get('ecommerce_conversion_rate');
    const series = conversion?.series ?? [];
    expect(series.map((point) => point.start)).toEqual(
      Array.from({ length: 13 }, (_, index) => `${index < 3 ? 2025 : 2026}-${String(((index + 9) % 12) + 1).padStart(2, '0')}-01`),
    );
    // October 2025's last year is October 2024: 30 orders / 2,000 sessions, typed above.
    expect(series[0].lastYear).toBeCloseTo(30 / 2000, 12);
    // September 2025 onwards is seeded: October 2026's last year is the series' first point.
    expect(series[12].lastYear).toBe(series[0].value);
    expect(series[11].lastYear).not.toBeNull();
    // March 2025 has no data at all: no value, never zero.
    expect(series[5]).toMatchObject({ start: '2026-03-01', lastYear: null });
  });

  it('gives each week of a weekly scorecard’s series the same ISO week last year, before last year’s year to date', async () => {
    const data = await api.gqlOk<{ weeklyScorecard: { rows: Array<{ kpiKey: string; series: SeriesPoint[] }> } }>(
      WEEKLY_SCORECARD,
      { clientId: shop.clientId, weekStart: '2026-01-26' },
      shop.agency.token,
    );
    const sessions = data.weeklyScorecard.rows.find((row) => row.kpiKey === 'sessions')?.series ?? [];
    // ISO week 5 of 2026's 13 weeks start with week 45 of 2025 (Monday 3 November 2025), whose
    // last year is week 45 of 2024: the one day typed above, read although it is before January 2025.
    expect(sessions[0]?.start).toBe('2025-11-03');
    expect(sessions[0]?.lastYear).toBe(555);
    expect(sessions[12]?.start).toBe('2026-01-26');
    expect(sessions[12]?.lastYear).toBeNull();
  });

  it('prints the last-year legend next to this year’s and the target in every KPI chart', () => {
    const legends = reading.text.match(/13 derniers mois +Réalisé +Année précédente +Objectif/g) ?? [];
    // Each chart of the plan with last year's data has the three keys; those without a target have two.
    const charts = reading.text.match(/13 derniers mois/g) ?? [];
    expect(charts).toHaveLength(SHOP_KPIS.length);
    expect(legends.length).toBeGreaterThanOrEqual(3);
    expect(reading.text.match(/Réalisé +Année précédente/g)).toHaveLength(SHOP_KPIS.length);
  });

  it('tags each KPI chart as a Figure whose /Alt text is written from its data, in French', () => {
    const alts = figureAltTexts(pdf).map(normalizeSpaces);
    for (const { kpiKey } of SHOP_KPIS) {
      const row = rows.get(kpiKey);
      expect(row).toBeDefined();
      const name = row?.name ?? '';
      const first = row?.series[0]?.value ?? null;
      const last = row?.value ?? null;
      const format = (value: number | null): string => normalizeSpaces(formatKpiValue(value, row?.unit ?? 'COUNT', { locale: 'fr', currency: 'EUR' }));
      const expected = `${name}, oct. 2025 à oct. 2026 : de ${format(first)} à ${format(last)}`;
      expect({ kpiKey, alt: alts.find((alt) => alt.startsWith(`${name}, `))?.slice(0, expected.length) }).toEqual({ kpiKey, alt: expected });
    }
    // The conversion rate's target for October (2.1 %, set in the plan) is read out too.
    const conversion = alts.find((alt) => alt.startsWith(`${rows.get('ecommerce_conversion_rate')?.name ?? '?'}, `));
    expect(conversion).toContain('objectif 2,1 %');
  });
});
