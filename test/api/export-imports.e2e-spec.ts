import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runWithTenant, systemContext, TenantDatabase } from '@pilotage/database';
import { MetricImportService } from '@pilotage/ingestion';
import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const FIXTURES = join(__dirname, '../fixtures/exports');

interface ExportImportReport {
  importId: string | null;
  status: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: Array<{ line: number; column: string; code: string; message: string }>;
  export?: {
    preset: { id: string; name: string } | null;
    language: string | null;
    columnsMapped: Array<{ column: string; use: string }>;
    columnsIgnored: Array<{ column: string; reason: string }>;
    rowsSkipped: Array<{ reason: string; count: number }>;
    notes: string[];
  };
}

/** Σ per metric and channel, then per metric over all channels ('TOTAL'), as stored. */
type Totals = Record<string, Record<string, number>>;

/**
 * Hand-computed from the fixtures (see the comments of libs/ingestion's export spec for each
 * sum); the same figures for the French and English variants of a platform.
 */
const GOOGLE_ADS: Totals = {
  ad_spend: { PAID_SEARCH: 2944, OTHER: 45.1, TOTAL: 2989.1 },
  ad_clicks: { PAID_SEARCH: 2005, OTHER: 32, TOTAL: 2037 },
  ad_impressions: { PAID_SEARCH: 32640, OTHER: 18900, TOTAL: 51540 },
  // 41 + 6.5 (rounded to 7 for its day and campaign) + 39 + (4.25 + 3.75).
  ad_conversions: { PAID_SEARCH: 95, OTHER: 0, TOTAL: 95 },
  ad_revenue: { PAID_SEARCH: 9685.5, OTHER: 60, TOTAL: 9745.5 },
};
const META_ADS: Totals = {
  ad_spend: { PAID_SOCIAL: 988, TOTAL: 988 },
  ad_impressions: { PAID_SOCIAL: 29344, TOTAL: 29344 },
  ad_clicks: { PAID_SOCIAL: 664, TOTAL: 664 },
  ad_conversions: { PAID_SOCIAL: 33, TOTAL: 33 },
  ad_revenue: { PAID_SOCIAL: 2965.5, TOTAL: 2965.5 },
};
const GA4: Totals = {
  sessions: { ORGANIC_SEARCH: 2300, DIRECT: 1000, PAID_SEARCH: 1760, EMAIL: 180, OTHER: 110, REFERRAL: 140, TOTAL: 5490 },
  bounced_sessions: { ORGANIC_SEARCH: 820, DIRECT: 410, PAID_SEARCH: 528, EMAIL: 50, OTHER: 70, REFERRAL: 50, TOTAL: 1928 },
  new_visitors: { ORGANIC_SEARCH: 1240, DIRECT: 410, PAID_SEARCH: 800, EMAIL: 20, OTHER: 60, REFERRAL: 80, TOTAL: 2610 },
};
const SEARCH_CONSOLE: Totals = {
  search_clicks: { ORGANIC_SEARCH: 410, TOTAL: 410 },
  search_impressions: { ORGANIC_SEARCH: 16000, TOTAL: 16000 },
  search_position_weighted: { ORGANIC_SEARCH: 130860, TOTAL: 130860 },
};
const BREVO: Totals = {
  emails_sent: { EMAIL: 10380, TOTAL: 10380 },
  emails_delivered: { EMAIL: 10200, TOTAL: 10200 },
  email_opens: { EMAIL: 4029, TOTAL: 4029 },
  email_clicks: { EMAIL: 790, TOTAL: 790 },
  email_unsubscribes: { EMAIL: 21, TOTAL: 21 },
};

const CASES: ReadonlyArray<readonly [file: string, preset: string, language: string, totals: Totals]> = [
  ['google-ads-en.csv', 'GOOGLE_ADS', 'en', GOOGLE_ADS],
  ['google-ads-fr.csv', 'GOOGLE_ADS', 'fr', GOOGLE_ADS],
  ['meta-ads-en.csv', 'META_ADS', 'en', META_ADS],
  ['meta-ads-fr.csv', 'META_ADS', 'fr', META_ADS],
  ['ga4-en.csv', 'GA4', 'en', GA4],
  ['ga4-fr.csv', 'GA4', 'fr', GA4],
  ['search-console-en.csv', 'SEARCH_CONSOLE', 'en', SEARCH_CONSOLE],
  ['search-console-fr.csv', 'SEARCH_CONSOLE', 'fr', SEARCH_CONSOLE],
  [
    'shopify-en.csv',
    'SHOPIFY',
    'en',
    // Orders #1001, #1002 (Oct 1), #1003, #1005 (Oct 2); #1004 voided. Revenue = Σ (Total − Taxes).
    { orders: { OTHER: 4, TOTAL: 4 }, revenue: { OTHER: 379.91, TOTAL: 379.91 }, refunds_amount: { OTHER: 60, TOTAL: 60 } },
  ],
  [
    'stripe-payments-en.csv',
    'STRIPE_PAYMENTS',
    'en',
    // (49 − 8.17) + (120 − 20) + (30 − 5) + 46.10; the failed payment left out.
    { revenue: { OTHER: 211.93, TOTAL: 211.93 }, refunds_amount: { OTHER: 30, TOTAL: 30 } },
  ],
  ['stripe-balance-en.csv', 'STRIPE_BALANCE', 'en', { revenue: { OTHER: 169, TOTAL: 169 }, refunds_amount: { OTHER: 30, TOTAL: 30 } }],
  [
    'mailchimp-en.csv',
    'MAILCHIMP',
    'en',
    {
      emails_sent: { EMAIL: 25610, TOTAL: 25610 },
      emails_delivered: { EMAIL: 25150, TOTAL: 25150 },
      email_opens: { EMAIL: 8310, TOTAL: 8310 },
      email_clicks: { EMAIL: 1320, TOTAL: 1320 },
      email_unsubscribes: { EMAIL: 80, TOTAL: 80 },
    },
  ],
  ['brevo-fr.csv', 'BREVO', 'fr', BREVO],
  ['brevo-en.csv', 'BREVO', 'en', BREVO],
];

const SAVE = `mutation ($input: SaveColumnMappingInput!) { saveColumnMapping(input: $input) { id name clientId dateColumn dateFormat channel channelColumn channelValues { value channel } source metrics { column metricKey } } }`;
const LIST = `query ($clientId: ID!) { columnMappings(clientId: $clientId) { id name } }`;
const DELETE = `mutation ($id: ID!) { deleteColumnMapping(id: $id) { id } }`;

describe(`${MetricImportService.name} with platform exports`, () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let other: TestAgency;

  async function postFile(
    clientId: string,
    body: Buffer | string,
    query: Record<string, string> = {},
    token = agency.token,
  ): Promise<{ status: number; body: ExportImportReport }> {
    const params = new URLSearchParams(query);
    const response = await fetch(`${api.baseUrl}/clients/${clientId}/metric-imports?${params.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: response.status, body: (await response.json()) as ExportImportReport };
  }

  async function storedTotals(clientId: string): Promise<Totals> {
    const result = await owner.query<{ metric_key: string; channel: string; total: string }>(
      `SELECT metric_key, channel, sum(value)::text AS total FROM metric_values WHERE client_id = $1 GROUP BY ROLLUP (metric_key, channel) HAVING metric_key IS NOT NULL`,
      [clientId],
    );
    const totals: Totals = {};
    for (const row of result.rows) {
      const byChannel = (totals[row.metric_key] ??= {});
      byChannel[row.channel ?? 'TOTAL'] = Number(row.total);
    }
    return totals;
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api);
    other = await newAgency(api);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
    await owner.end();
  }, TEARDOWN_TIMEOUT_MS);

  it.each(CASES)('recognises %s as %s (%s) and stores the hand-computed totals by channel and overall', async (file, preset, language, totals) => {
    const client = await newClient(api, agency, { timeZone: 'Europe/Paris' });
    const { status, body } = await postFile(client.id, readFileSync(join(FIXTURES, file)), { fileName: file });

    expect(body.errors).toEqual([]);
    expect(status).toBe(200);
    expect(body.status).toBe('COMMITTED');
    expect(body.export?.preset?.id).toBe(preset);
    expect(body.export?.language).toBe(language);
    // A channel whose values are all 0 is still stored: a 0 is a figure, not a missing one.
    expect(await storedTotals(client.id)).toEqual(totals);
  });

  it('stores campaigns and sources next to the channel, and a second import of the same file changes nothing', async () => {
    const client = await newClient(api, agency, { timeZone: 'Europe/Paris' });
    const file = readFileSync(join(FIXTURES, 'google-ads-en.csv'));
    const first = await postFile(client.id, file);
    const again = await postFile(client.id, file);

    expect(first.body).toMatchObject({ status: 'COMMITTED', inserted: first.body.rows, updated: 0 });
    expect(again.body).toMatchObject({ status: 'COMMITTED', inserted: 0, updated: 0, unchanged: first.body.rows });
    const generic = await owner.query(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, source, channel, campaign, value::text AS value FROM metric_values
        WHERE client_id = $1 AND metric_key = 'ad_spend' AND campaign = 'Generic - Search' ORDER BY date`,
      [client.id],
    );
    expect(generic.rows).toEqual([
      { date: '2026-10-01', source: 'Google Ads', channel: 'PAID_SEARCH', campaign: 'Generic - Search', value: '310.2000' },
      { date: '2026-10-02', source: 'Google Ads', channel: 'PAID_SEARCH', campaign: 'Generic - Search', value: '298.8000' },
    ]);
  });

  it('names the missing column of a preset file in its language, answers 422 and writes nothing', async () => {
    const client = await newClient(api, agency);
    const french = readFileSync(join(FIXTURES, 'google-ads-fr.csv')).toString('utf8').replace('Coût,', 'Dépense,');
    const { status, body } = await postFile(client.id, french);

    expect(status).toBe(422);
    expect(body.status).toBe('REJECTED');
    expect(body.errors).toEqual([
      expect.objectContaining({ code: 'MISSING_COLUMN', column: 'Coût', message: expect.stringContaining('has no column "Coût"') }),
    ]);
    expect((await owner.query('SELECT count(*)::int AS n FROM metric_values WHERE client_id = $1', [client.id])).rows[0].n).toBe(0);
    const history = await owner.query(`SELECT status FROM metric_imports WHERE client_id = $1`, [client.id]);
    expect(history.rows).toEqual([{ status: 'REJECTED' }]);
  });

  it('reads a file as the preset asked for, and refuses a preset with our own layout’s conventions', async () => {
    const client = await newClient(api, agency);
    const forced = await postFile(client.id, readFileSync(join(FIXTURES, 'meta-ads-en.csv')), { preset: 'GOOGLE_ADS' });
    expect(forced.status).toBe(422);
    // Meta's "Day" and "Impressions" are Google Ads columns too; the others are named as missing.
    expect(forced.body.errors.map((error) => `${error.code}:${error.column}`)).toEqual([
      'MISSING_COLUMN:Campaign',
      'MISSING_COLUMN:Cost',
      'MISSING_COLUMN:Clicks',
    ]);

    const mixed = await postFile(client.id, readFileSync(join(FIXTURES, 'ga4-en.csv')), { preset: 'GA4', delimiter: ';' });
    expect(mixed.status).toBe(400);

    const unknown = await postFile(client.id, 'x', { preset: 'MYSPACE' });
    expect(unknown.status).toBe(400);
  });

  it('still streams our own layout (a date, metric, value file is not mistaken for an export)', async () => {
    const client = await newClient(api, agency);
    const { status, body } = await postFile(client.id, 'date;metric;value\n2026-10-01;sessions;12\n');

    expect(status).toBe(200);
    expect(body.export).toBeUndefined();
    expect(await storedTotals(client.id)).toEqual({ sessions: { OTHER: 12, TOTAL: 12 } });
  });

  describe('saved column mappings', () => {
    const input = (clientId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
      clientId,
      name: 'Microsoft Ads daily',
      dateColumn: 'Gregorian date',
      dateFormat: 'MDY',
      campaignColumn: 'Campaign name',
      channel: 'OTHER',
      channelColumn: 'Network',
      channelValues: [{ value: 'Bing and Yahoo! search', channel: 'PAID_SEARCH' }],
      source: 'Microsoft Ads 1234',
      metrics: [
        { column: 'Spend', metricKey: 'ad_spend' },
        { column: 'Clicks', metricKey: 'ad_clicks' },
      ],
      ...overrides,
    });
    const MICROSOFT_ADS =
      'Gregorian date,Campaign name,Network,Spend,Clicks\n' +
      '10/01/2026,Brand,Bing and Yahoo! search,12.50,10\n' +
      '10/01/2026,Brand,Bing and Yahoo! search,"1,000.25",90\n' +
      '10/02/2026,Brand,Audience,4.00,2\n';

    it('saves a mapping, imports a file with it and sums it to the day per channel', async () => {
      const client = await newClient(api, agency);
      const saved = await api.gqlOk<{ saveColumnMapping: { id: string; channelValues: unknown[] } }>(SAVE, { input: input(client.id) }, agency.token);
      const listed = await api.gqlOk<{ columnMappings: Array<{ id: string; name: string }> }>(LIST, { clientId: client.id }, agency.token);
      expect(listed.columnMappings).toEqual([{ id: saved.saveColumnMapping.id, name: 'Microsoft Ads daily' }]);

      const { status, body } = await postFile(client.id, MICROSOFT_ADS, { mapping: saved.saveColumnMapping.id });
      expect(body.errors).toEqual([]);
      expect(status).toBe(200);
      expect(body.export?.preset).toEqual({ id: 'MAPPING', name: 'mapping "Microsoft Ads daily"' });
      expect(await storedTotals(client.id)).toEqual({
        ad_spend: { PAID_SEARCH: 1012.75, OTHER: 4, TOTAL: 1016.75 },
        ad_clicks: { PAID_SEARCH: 100, OTHER: 2, TOTAL: 102 },
      });
    });

    it('refuses a mapping to an unknown metric or with a blank column, naming each field', async () => {
      const client = await newClient(api, agency);
      const response = await api.gql(SAVE, { input: input(client.id, { metrics: [{ column: ' ', metricKey: 'unicorns' }] }) }, agency.token);

      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toContain('metrics[0].column: must not be empty');
      expect(response.errors?.[0]?.message).toContain('metrics[0].metricKey: "unicorns" is not a metric');
    });

    it('refuses two mappings of one client with the same name', async () => {
      const client = await newClient(api, agency);
      await api.gqlOk(SAVE, { input: input(client.id) }, agency.token);
      const again = await api.gql(SAVE, { input: input(client.id) }, agency.token);

      expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    });

    it('keeps a mapping from another agency: not listed, not changed, not deleted, not usable for an import', async () => {
      const client = await newClient(api, agency);
      const saved = await api.gqlOk<{ saveColumnMapping: { id: string } }>(SAVE, { input: input(client.id) }, agency.token);
      const id = saved.saveColumnMapping.id;

      const listed = await api.gql(LIST, { clientId: client.id }, other.token);
      expect(listed.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const replaced = await api.gql(SAVE, { input: input(client.id, { id, name: 'pwned' }) }, other.token);
      expect(replaced.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const deleted = await api.gql(DELETE, { id }, other.token);
      expect(deleted.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      // Their own client, our mapping id: the mapping is not theirs.
      const theirClient = await newClient(api, other);
      const imported = await postFile(theirClient.id, MICROSOFT_ADS, { mapping: id }, other.token);
      expect(imported.status).toBe(404);

      const stored = await owner.query('SELECT name FROM client_column_mappings WHERE id = $1', [id]);
      expect(stored.rows).toEqual([{ name: 'Microsoft Ads daily' }]);
    });

    it('hides the table from another agency even in hand-written SQL under the tenant role', async () => {
      const client = await newClient(api, agency);
      const saved = await api.gqlOk<{ saveColumnMapping: { id: string } }>(SAVE, { input: input(client.id) }, agency.token);
      const dataSource: DataSource = createDataSource({ url: testDatabase().appUrl, poolSize: 1 });
      await dataSource.initialize();
      try {
        const db = new TenantDatabase(dataSource);
        await runWithTenant(systemContext(other.agencyId), () =>
          db.run(async (manager) => {
            expect(await manager.query('SELECT id FROM client_column_mappings WHERE id = $1', [saved.saveColumnMapping.id])).toHaveLength(0);
            const [, updated] = await manager.query(`UPDATE client_column_mappings SET name = 'pwned' WHERE id = $1`, [saved.saveColumnMapping.id]);
            expect(updated).toBe(0);
          }),
        );
      } finally {
        await dataSource.destroy();
      }
    });

    it('lets no client viewer read or save mappings, even of their own client', async () => {
      const client = await newClient(api, agency);
      const viewer = await newClientViewer(api, agency, client.id);

      const listed = await api.gql(LIST, { clientId: client.id }, viewer.token);
      expect(listed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const saved = await api.gql(SAVE, { input: input(client.id) }, viewer.token);
      expect(saved.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });

    it('deletes a mapping, after which importing with it is NOT_FOUND', async () => {
      const client = await newClient(api, agency);
      const saved = await api.gqlOk<{ saveColumnMapping: { id: string } }>(SAVE, { input: input(client.id) }, agency.token);
      await api.gqlOk(DELETE, { id: saved.saveColumnMapping.id }, agency.token);

      const imported = await postFile(client.id, MICROSOFT_ADS, { mapping: saved.saveColumnMapping.id });
      expect(imported.status).toBe(404);
      const listed = await api.gqlOk<{ columnMappings: unknown[] }>(LIST, { clientId: client.id }, agency.token);
      expect(listed.columnMappings).toEqual([]);
    });
  });
});
