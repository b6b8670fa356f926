import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { METRIC_MONTHLY_REBUILD_SQL, MetricAggregatesRepository, runWithTenant, TenantDatabase, type ReportEntity } from '@pilotage/database';
import { assessAgainstTarget, compareValues, type KpiUnit } from '@pilotage/kpi';
import { formatKpiChange, formatKpiValue } from '@pilotage/reporting';
import { ReportsService } from '@pilotage/report-production';
import { approvePlan, newAgency, newClient, type TestAgency } from '../support/factories';
import { ownerPool } from '../support/test-database';
import { startTestApi, type TestApi } from '../support/test-api';
import { REPORT_SETUP_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';
import { normalizeSpaces, readPdf, storedPdf, type PdfReading } from './report-fixtures';

/*
 * A shop selling on four channels: Google Ads (two campaigns, paid search), Meta (one campaign,
 * paid social), organic search (GA4 sessions and the orders they brought) and a Mailchimp
 * newsletter (e-mail sessions and orders, a campaign without spend). Daily values from
 * 1 September to 1 November 2026, so that the reported week 2026-W44 (26 October – 1 November)
 * has the week before, and October has September.
 */
interface Feed {
  readonly tag: string;
  readonly channel: string;
  readonly campaign: string;
  readonly source: string;
  readonly values: (day: number) => Record<string, number>;
}

const FEEDS: readonly Feed[] = [
  {
    tag: 'seed:brand',
    channel: 'PAID_SEARCH',
    campaign: 'Marque — Exact',
    source: 'Google Ads 123-456-7890',
    values: (i) => {
      const conversions = 4 + (i % 3);
      return { ad_spend: 40 + (i % 4) * 5, ad_clicks: 80 + (i % 5) * 4, ad_conversions: conversions, ad_revenue: conversions * 55 };
    },
  },
  {
    tag: 'seed:generic',
    channel: 'PAID_SEARCH',
    campaign: 'Générique — Luminaires',
    source: 'Google Ads 123-456-7890',
    values: (i) => {
      const conversions = 3 + (i % 2);
      // Generic search gets dearer from 26 October: its CPC rises against the week before.
      const spend = (90 + (i % 6) * 3) * (i >= 55 ? 1.25 : 1);
      return { ad_spend: spend, ad_clicks: 110 + (i % 7) * 2, ad_conversions: conversions, ad_revenue: conversions * 48.5 };
    },
  },
  {
    tag: 'seed:meta',
    channel: 'PAID_SOCIAL',
    campaign: 'Prospection — Lookalike',
    source: 'Meta Ads act_998877',
    values: (i) => {
      const conversions = 2 + (i % 3);
      return { ad_spend: 70 + (i % 5) * 6, ad_clicks: 300 + (i % 4) * 10, ad_conversions: conversions, ad_revenue: conversions * 60 };
    },
  },
  {
    tag: 'seed:organic',
    channel: 'ORGANIC_SEARCH',
    campaign: '',
    source: 'GA4 properties/4242',
    values: (i) => ({ sessions: 900 + (i % 7) * 20, orders: 18 + (i % 4) }),
  },
  {
    tag: 'seed:newsletter',
    channel: 'EMAIL',
    campaign: 'Newsletter octobre',
    source: 'Mailchimp',
    values: (i) => ({ sessions: 150 + (i % 3) * 30, orders: 4 + (i % 2) }),
  },
];

const FIRST_DAY = '2026-09-01';
const LAST_DAY = '2026-11-01';
const WEEK = { start: '2026-10-26', end: '2026-11-01' };
const PREVIOUS_WEEK = { start: '2026-10-19', end: '2026-10-25' };
const OCTOBER = { start: '2026-10-01', end: '2026-10-31' };
const SEPTEMBER = { start: '2026-09-01', end: '2026-09-30' };
const fr = { locale: 'fr' as const, currency: 'EUR' };

function days(): string[] {
  const result: string[] = [];
  for (let day = new Date(`${FIRST_DAY}T00:00:00Z`); day <= new Date(`${LAST_DAY}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
    result.push(day.toISOString().slice(0, 10));
  }
  return result;
}

interface SeededValue {
  readonly feed: Feed;
  readonly metricKey: string;
  readonly date: string;
  readonly value: number;
}

/** Every value seeded, kept to compute the expectations by hand (sums over the feeds' own numbers). */
function seededValues(feeds: readonly Feed[]): SeededValue[] {
  return days().flatMap((date, index) =>
    feeds.flatMap((feed) => Object.entries(feed.values(index)).map(([metricKey, value]) => ({ feed, metricKey, date, value: Math.round(value * 100) / 100 }))),
  );
}

/**
 * Writes the values through the API (`recordMetricValues`, one source per feed), then, as the
 * database owner, gives each feed its channel and campaign — until the import path resolves
 * channels itself — and rebuilds the monthly roll-up the reports read.
 */
async function seed(api: TestApi, owner: Pool, agency: TestAgency, clientId: string, feeds: readonly Feed[]): Promise<SeededValue[]> {
  const values = seededValues(feeds);
  const input = values.map((value) => ({
    metricKey: value.metricKey,
    date: value.date,
    value: value.value.toFixed(2),
    granularity: 'DAY',
    source: value.feed.tag,
  }));
  for (let offset = 0; offset < input.length; offset += 1000) {
    await api.gqlOk(
      `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted } }`,
      { input: { clientId, values: input.slice(offset, offset + 1000) } },
      agency.token,
    );
  }
  for (const feed of feeds) {
    await owner.query(`UPDATE metric_values SET channel = $3, campaign = $4, source = $5 WHERE agency_id = $1 AND client_id = $2 AND source = $6`, [
      agency.agencyId,
      clientId,
      feed.channel,
      feed.campaign,
      feed.source,
      feed.tag,
    ]);
  }
  await owner.query(`DELETE FROM metric_monthly WHERE agency_id = $1 AND client_id = $2`, [agency.agencyId, clientId]);
  await owner.query(METRIC_MONTHLY_REBUILD_SQL);
  return values;
}

async function planWithAdTargets(api: TestApi, agency: TestAgency, clientId: string): Promise<void> {
  await approvePlan(api, agency, {
    clientId,
    businessModel: 'ECOMMERCE',
    channels: ['PAID_SEARCH', 'SOCIAL', 'SEO', 'EMAIL'],
    coreTarget: 'Amateurs de luminaires design',
    objectiveKeys: ['INCREASE_SALES'],
    selections: ['sessions', 'ecommerce_conversion_rate', 'revenue', 'cost_per_click', 'cost_per_acquisition', 'roas'].map((kpiKey) => ({
      kpiKey,
      objectiveKey: 'INCREASE_SALES',
    })),
    targets: {
      year: 2026,
      values: Array.from({ length: 12 }, (_, index) => [
        { kpiKey: 'cost_per_click', month: index + 1, value: 0.5 },
        { kpiKey: 'roas', month: index + 1, value: 3 },
      ]).flat(),
    },
  });
}

async function render(api: TestApi, agency: TestAgency, clientId: string, kind: 'WEEKLY' | 'MONTHLY', periodStart: string): Promise<ReportEntity> {
  const reports = api.app.get(ReportsService);
  const db = api.app.get(TenantDatabase);
  const requested = await runWithTenant({ agencyId: agency.agencyId, userId: agency.userId, role: 'OWNER', clientId: null }, () =>
    db.run((manager) => reports.requestReport(manager, { clientId, kind, periodStart })),
  );
  return reports.renderReport(agency.agencyId, requested.id);
}

/** Sum of a metric over a period, for the feeds that match; null when nothing was seeded (missing is not zero). */
function sum(values: readonly SeededValue[], metricKey: string, period: { start: string; end: string }, match: (feed: Feed) => boolean): number | null {
  const matching = values.filter((value) => value.metricKey === metricKey && value.date >= period.start && value.date <= period.end && match(value.feed));
  return matching.length === 0 ? null : matching.reduce((total, value) => total + value.value, 0);
}

function divide(numerator: number | null, denominator: number | null): number | null {
  return numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;
}

interface Expected {
  readonly spend: number | null;
  readonly clicks: number | null;
  readonly costPerClick: number | null;
  readonly conversions: number | null;
  readonly costPerAcquisition: number | null;
  readonly roas: number | null;
}

const UNITS: Record<keyof Expected, KpiUnit> = {
  spend: 'CURRENCY',
  clicks: 'COUNT',
  costPerClick: 'CURRENCY',
  conversions: 'COUNT',
  costPerAcquisition: 'CURRENCY',
  roas: 'RATIO',
};
const ORDER: readonly (keyof Expected)[] = ['spend', 'clicks', 'costPerClick', 'conversions', 'costPerAcquisition', 'roas'];

/** A channel's figures by hand: Σ spend / Σ clicks per channel (ratio of sums); sessions and orders for a channel without ads. */
function expected(values: readonly SeededValue[], period: { start: string; end: string }, match: (feed: Feed) => boolean, ads: boolean): Expected {
  const spend = sum(values, 'ad_spend', period, match);
  const clicks = sum(values, ads ? 'ad_clicks' : 'sessions', period, match);
  const conversions = sum(values, ads ? 'ad_conversions' : 'orders', period, match);
  return {
    spend,
    clicks,
    costPerClick: ads ? divide(spend, clicks) : null,
    conversions,
    costPerAcquisition: ads ? divide(spend, conversions) : null,
    roas: divide(sum(values, 'ad_revenue', period, match), spend),
  };
}

/** The line of the PDF's text holding a row's name and figures in the channel table (names sit on the figures' line), and the line of changes under it. */
function rowLines(text: string, name: string, afterRow?: string): [string, string] {
  const lines = text.slice(text.indexOf('Résultats par canal')).split('\n');
  const from = afterRow === undefined ? 0 : lines.findIndex((line) => line.trimStart().startsWith(afterRow));
  const index = lines.findIndex((line, position) => position > from - (afterRow === undefined ? 1 : 0) && line.trimStart().startsWith(name));
  if (index < 0) throw new Error(`No row "${name}" in the channel table`);
  return [lines[index] ?? '', lines[index + 1] ?? ''];
}

/** The figures as the report prints them, in column order (a missing figure is "—"). */
function printed(figures: Expected): string[] {
  return ORDER.map((key) => normalizeSpaces(formatKpiValue(figures[key], UNITS[key], fr)));
}

function printedChanges(current: Expected, previous: Expected): string[] {
  return ORDER.map((key) => normalizeSpaces(formatKpiChange(compareValues(current[key], previous[key], UNITS[key]), 'fr')));
}

/** Asserts the row's figures appear in its line, in order, and its changes in the line under it. */
function expectRow(text: string, name: string, current: Expected, previous: Expected): void {
  const [line, changes] = rowLines(text, name);
  const figures = printed(current);
  expect({ name, line: line.replace(/\s+/g, ' ') }).toEqual({ name, line: expect.stringContaining(figures.join(' ')) });
  const deltas = printedChanges(current, previous).filter((_, index) => current[ORDER[index] ?? 'spend'] !== null);
  expect({ name, changes: changes.replace(/\s+/g, ' ') }).toEqual({ name, changes: expect.stringContaining(deltas.join(' ')) });
}

const CHANNEL = (channel: string) => (feed: Feed) => feed.channel === channel;
const ALL = () => true;

describe('channel figures in the weekly and monthly reports (end to end, Chromium)', () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let clientId: string;
  let values: SeededValue[];
  let weekly: PdfReading;
  let monthly: PdfReading;
  let weeklyPdf: Buffer;
  let monthlyPdf: Buffer;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api, { name: 'Agence Canaux', locale: 'fr' });
    const client = await newClient(api, agency, { name: 'Lumière & Cie', businessModel: 'ECOMMERCE', locale: 'fr', currency: 'EUR', timeZone: 'Europe/Paris' });
    clientId = client.id;
    values = await seed(api, owner, agency, client.id, FEEDS);
    await planWithAdTargets(api, agency, client.id);
    weeklyPdf = await storedPdf(api, await render(api, agency, client.id, 'WEEKLY', WEEK.start));
    monthlyPdf = await storedPdf(api, await render(api, agency, client.id, 'MONTHLY', OCTOBER.start));
    weekly = await readPdf(weeklyPdf);
    monthly = await readPdf(monthlyPdf);
    // To look at the pages: REPORT_CHANNELS_PDF_DIR=/tmp/x, then pdftoppm -r 50 -png.
    const directory = process.env.REPORT_CHANNELS_PDF_DIR;
    if (directory !== undefined) {
      await writeFile(join(directory, 'weekly.pdf'), weeklyPdf);
      await writeFile(join(directory, 'monthly.pdf'), monthlyPdf);
    }
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  it('opens the weekly report with the channel table, channels ordered by spend', () => {
    const text = weekly.text;
    const section = text.indexOf('Résultats par canal');
    expect(section).toBeGreaterThan(0);
    expect(section).toBeLessThan(text.indexOf('Tableau de bord'));
    expect(text).toContain('Objectifs : ceux du mois ramenés à la semaine');
    const order = ['Recherche payante', 'Social payant', 'Recherche naturelle', 'E-mail'].map((name) => text.indexOf(name, section));
    expect(order.every((position) => position > section)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Paid search (two campaigns) spent more than paid social this week: hand-checked from the feeds.
    const search = sum(values, 'ad_spend', WEEK, CHANNEL('PAID_SEARCH')) ?? 0;
    const social = sum(values, 'ad_spend', WEEK, CHANNEL('PAID_SOCIAL')) ?? 0;
    expect(search).toBeGreaterThan(social);
  });

  it('prints each channel’s spend, clicks, CPC (Σ spend / Σ clicks), conversions, CPA and ROAS and their change vs the previous week', () => {
    for (const [name, channel, ads] of [
      ['Recherche payante', 'PAID_SEARCH', true],
      ['Social payant', 'PAID_SOCIAL', true],
      ['Recherche naturelle', 'ORGANIC_SEARCH', false],
      ['E-mail', 'EMAIL', false],
    ] as const) {
      expectRow(weekly.text, name, expected(values, WEEK, CHANNEL(channel), ads), expected(values, PREVIOUS_WEEK, CHANNEL(channel), ads));
    }
    // One figure written out: paid search's CPC is the two campaigns' spend over their clicks, not the mean of their CPCs.
    const brand = expected(values, WEEK, (feed) => feed.tag === 'seed:brand', true);
    const generic = expected(values, WEEK, (feed) => feed.tag === 'seed:generic', true);
    const ratioOfSums = ((brand.spend ?? 0) + (generic.spend ?? 0)) / ((brand.clicks ?? 0) + (generic.clicks ?? 0));
    const meanOfRatios = ((brand.costPerClick ?? 0) + (generic.costPerClick ?? 0)) / 2;
    expect(normalizeSpaces(formatKpiValue(ratioOfSums, 'CURRENCY', fr))).not.toBe(normalizeSpaces(formatKpiValue(meanOfRatios, 'CURRENCY', fr)));
    expect(rowLines(weekly.text, 'Recherche payante')[0]).toContain(normalizeSpaces(formatKpiValue(ratioOfSums, 'CURRENCY', fr)));
  });

  it('prints no CPC, CPA or ROAS for a channel without spend, and explains what its clicks and conversions count', () => {
    const [organic] = rowLines(weekly.text, 'Recherche naturelle');
    expect(organic.match(/—/g)?.length).toBe(4); // spend, CPC, CPA, ROAS
    const flat = weekly.text.replace(/\s+/g, ' ');
    expect(flat).toContain('Canal sans publicité : clics = sessions du canal, conversions = commandes du canal.');
  });

  it('totals the ad platforms’ figures and holds CPC and ROAS to the plan’s targets for the week', () => {
    const total = expected(values, WEEK, ALL, true);
    expectRow(weekly.text, 'Total', total, expected(values, PREVIOUS_WEEK, ALL, true));
    // Total spend is every channel's: paid search + paid social.
    expect(total.spend).toBeCloseTo(
      (sum(values, 'ad_spend', WEEK, CHANNEL('PAID_SEARCH')) ?? 0) + (sum(values, 'ad_spend', WEEK, CHANNEL('PAID_SOCIAL')) ?? 0),
      6,
    );
    const [targetLine, statusLine] = rowLines(weekly.text, 'Objectif', 'Total');
    expect(targetLine).toContain('0,50 €');
    expect(targetLine).toContain('3,0×');
    // The French status labels, written out: the test reads what a client reads.
    const labels = { ON_TRACK: 'Objectif atteint', AT_RISK: 'À surveiller', OFF_TRACK: 'En retard', NO_DATA: 'Pas de données', NO_TARGET: 'Sans objectif' };
    const status = (value: number | null, target: number, direction: 'LOWER_IS_BETTER' | 'HIGHER_IS_BETTER', unit: KpiUnit) =>
      labels[assessAgainstTarget({ value, target, direction, unit, aggregation: 'LEVEL', elapsedFraction: 1 }).status];
    const cpcStatus = status(total.costPerClick, 0.5, 'LOWER_IS_BETTER', 'CURRENCY');
    const roasStatus = status(total.roas, 3, 'HIGHER_IS_BETTER', 'RATIO');
    expect(`${targetLine} ${statusLine}`).toContain(cpcStatus);
    expect(`${targetLine} ${statusLine}`).toContain(roasStatus);
  });

  it('lists the week’s top campaigns by spend with their channel', () => {
    const section = weekly.text.slice(weekly.text.indexOf('Campagnes principales'));
    const campaigns = FEEDS.filter((feed) => feed.campaign !== '')
      .map((feed) => ({ feed, spend: sum(values, 'ad_spend', WEEK, (candidate) => candidate === feed) }))
      .sort((a, b) => (b.spend ?? -1) - (a.spend ?? -1));
    expect(campaigns.map(({ feed }) => feed.campaign)).toEqual(['Générique — Luminaires', 'Prospection — Lookalike', 'Marque — Exact', 'Newsletter octobre']);
    const positions = campaigns.map(({ feed }) => section.indexOf(feed.campaign));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const generic = section.split('\n').find((line) => line.includes('Générique — Luminaires')) ?? '';
    expect(generic).toContain('Recherche payante');
    expect(generic).toContain(normalizeSpaces(formatKpiValue(campaigns[0]?.spend ?? null, 'CURRENCY', fr)));
  });

  it(
    'adds a channel section to the monthly report, October against September, after the funnel',
    () => {
      const text = monthly.text;
      const section = text.indexOf('Résultats par canal');
      expect(section).toBeGreaterThan(text.indexOf('Entonnoir de conversion'));
      expect(text).toContain('par rapport au mois précédent');
      for (const [name, channel, ads] of [
        ['Recherche payante', 'PAID_SEARCH', true],
        ['Social payant', 'PAID_SOCIAL', true],
        ['Recherche naturelle', 'ORGANIC_SEARCH', false],
        ['E-mail', 'EMAIL', false],
      ] as const) {
        expectRow(text, name, expected(values, OCTOBER, CHANNEL(channel), ads), expected(values, SEPTEMBER, CHANNEL(channel), ads));
      }
      expect(Number(monthly.info.Pages)).toBeLessThanOrEqual(8);
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it('reads no other agency’s channels or campaigns, even asked with that agency’s ids (row-level security)', async () => {
    const db = api.app.get(TenantDatabase);
    const aggregates = api.app.get(MetricAggregatesRepository, { strict: false });
    const query = { agencyId: agency.agencyId, clientId, metricKeys: ['ad_spend', 'sessions'], from: WEEK.start, to: WEEK.end, grain: 'day' as const };
    const read = (tenant: TestAgency) =>
      runWithTenant({ agencyId: tenant.agencyId, userId: tenant.userId, role: 'OWNER', clientId: null }, () =>
        db.run(async (manager) => ({
          groups: new Set((await aggregates.breakdown(manager, query, 'CHANNEL')).map((bucket) => bucket.group)),
          campaigns: await aggregates.campaignChannels(manager, query, ['Marque — Exact', 'Newsletter octobre']),
        })),
      );
    const own = await read(agency);
    expect([...own.groups].sort()).toEqual(['EMAIL', 'ORGANIC_SEARCH', 'PAID_SEARCH', 'PAID_SOCIAL']);
    expect(Object.fromEntries(own.campaigns)).toEqual({ 'Marque — Exact': ['PAID_SEARCH'], 'Newsletter octobre': ['EMAIL'] });
    const other = await read(await newAgency(api));
    expect(other.groups.size).toBe(0);
    expect(other.campaigns.size).toBe(0);
  });

  it(
    'leaves the channel section out of the monthly report of a client with a single channel',
    async () => {
      const single = await newClient(api, agency, {
        name: 'Un Seul Canal',
        businessModel: 'ECOMMERCE',
        locale: 'fr',
        currency: 'EUR',
        timeZone: 'Europe/Paris',
      });
      await seed(api, owner, agency, single.id, FEEDS.slice(0, 1));
      await planWithAdTargets(api, agency, single.id);
      const reading = await readPdf(await storedPdf(api, await render(api, agency, single.id, 'MONTHLY', OCTOBER.start)));
      expect(reading.text).toContain('Rapport mensuel de performance');
      expect(reading.text).not.toContain('Résultats par canal');
      expect(reading.text).not.toContain('Campagnes principales');
    },
    RENDER_TEST_TIMEOUT_MS,
  );
});
