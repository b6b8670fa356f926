import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, refreshMetricMonthly, runWithTenant, TenantDatabase, upsertMetricValues } from '@pilotage/database';
import { MetricImportService } from '@pilotage/ingestion';
import { newAgency, newClient, newClientViewer, type TestAgency, type TestClient } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { importId inserted updated unchanged } }`;
const IMPORTS = `query ($clientId: ID!) { metricImports(clientId: $clientId) { totalCount edges { node { id kind status fileName rows inserted updated unchanged errorCount errors { line column code } } } } }`;

interface ImportReport {
  importId: string | null;
  status: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: Array<{ line: number; column: string; columnIndex: number; code: string; message: string }>;
  conventions: { delimiter: string; decimal: string | null; dateFormat: string | null; encoding: string } | null;
}

interface ImportsResult {
  metricImports: {
    totalCount: number;
    edges: Array<{
      node: {
        id: string;
        kind: string;
        status: string;
        fileName: string | null;
        rows: number;
        inserted: number;
        updated: number;
        unchanged: number;
        errorCount: number;
      };
    }>;
  };
}

/** An export as French Excel writes it: BOM, `;`, decimal comma, dd/mm/yyyy, CRLF. */
const FRENCH_CSV =
  '\uFEFFJour;Indicateur;Valeur;Source\r\n' +
  '01/03/2025;revenue;1 234,56;Shopify\r\n' +
  '01/03/2025;orders;42;Shopify\r\n' +
  '02/03/2025;revenue;0,07;Shopify\r\n' +
  '02/03/2025;ad_spend;99999999,99;Google Ads\r\n';

describe(MetricImportService.name, () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let other: TestAgency;
  let otherClient: TestClient;

  async function postCsv(
    clientId: string,
    csv: string,
    query: Record<string, string> = {},
    token = agency.token,
  ): Promise<{ status: number; body: ImportReport }> {
    const params = new URLSearchParams({ dryRun: 'false', ...query });
    const response = await fetch(`${api.baseUrl}/clients/${clientId}/metric-imports?${params.toString()}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv; charset=utf-8', authorization: `Bearer ${token}` },
      body: csv,
    });
    return { status: response.status, body: (await response.json()) as ImportReport };
  }

  async function storedValues(clientId: string): Promise<Array<{ metric_key: string; date: string; source: string; value: string; granularity: string }>> {
    const result = await owner.query(
      `SELECT metric_key, to_char(date, 'YYYY-MM-DD') AS date, source, value::text AS value, granularity
         FROM metric_values WHERE client_id = $1 ORDER BY date, metric_key, source`,
      [clientId],
    );
    return result.rows;
  }

  async function countValues(clientId: string): Promise<number> {
    return (await owner.query('SELECT count(*)::int AS n FROM metric_values WHERE client_id = $1', [clientId])).rows[0].n;
  }

  /**
   * metric_monthly as stored (its channel, source and campaign rows added up per month as the
   * aggregate reader does), next to the same aggregates computed afresh from metric_values.
   */
  async function rollupAndValues(clientId: string): Promise<{ stored: unknown[]; expected: unknown[] }> {
    const stored = await owner.query(
      `WITH months AS (
         SELECT metric_key, month, sum(sum_value) AS sum_value, max(last_date) AS last_date, bit_or(day_mask) AS day_mask
           FROM metric_monthly WHERE client_id = $1 GROUP BY 1, 2
       )
       SELECT m.metric_key, to_char(m.month, 'YYYY-MM-DD') AS month, m.sum_value::numeric(24,4)::text AS sum, to_char(m.last_date, 'YYYY-MM-DD') AS last_date,
              (SELECT sum(g.last_value) FROM metric_monthly g
                WHERE g.client_id = $1 AND g.metric_key = m.metric_key AND g.month = m.month AND g.last_date = m.last_date)::numeric(24,4)::text AS last,
              bit_count(m.day_mask::bit(64))::int AS covered_days
         FROM months m ORDER BY 1, 2`,
      [clientId],
    );
    const expected = await owner.query(
      `WITH daily AS (
         SELECT metric_key, date, sum(value) AS value, max(granularity) AS granularity
           FROM metric_values WHERE client_id = $1 GROUP BY metric_key, date
       ), latest AS (
         SELECT DISTINCT ON (metric_key, date_trunc('month', date)) metric_key, date_trunc('month', date) AS month, date, value
           FROM daily ORDER BY metric_key, date_trunc('month', date), date DESC
       )
       SELECT daily.metric_key, to_char(date_trunc('month', daily.date), 'YYYY-MM-DD') AS month, sum(daily.value)::numeric(24,4)::text AS sum,
              to_char(max(latest.date), 'YYYY-MM-DD') AS last_date, max(latest.value)::numeric(24,4)::text AS last,
              sum(CASE daily.granularity WHEN 'DAY' THEN 1 WHEN 'WEEK' THEN 7
                    ELSE extract(day FROM date_trunc('month', daily.date) + interval '1 month - 1 day') END)::int AS covered_days
         FROM daily JOIN latest ON latest.metric_key = daily.metric_key AND latest.month = date_trunc('month', daily.date)
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [clientId],
    );
    return { stored: stored.rows, expected: expected.rows };
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api);
    other = await newAgency(api);
    otherClient = await newClient(api, other);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api.close();
    await owner.end();
  }, TEARDOWN_TIMEOUT_MS);

  it('imports a French CSV (BOM, semicolons, decimal comma, dd/mm/yyyy, CRLF) with cents exact', async () => {
    const client = await newClient(api, agency);
    const { status, body } = await postCsv(client.id, FRENCH_CSV, { fileName: 'export-mars.csv' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'COMMITTED', rows: 4, inserted: 4, updated: 0, unchanged: 0, errorCount: 0, errors: [] });
    expect(body.conventions).toMatchObject({ delimiter: ';', decimal: 'COMMA', dateFormat: 'DMY', encoding: 'UTF-8' });
    expect(await storedValues(client.id)).toEqual([
      { metric_key: 'orders', date: '2025-03-01', source: 'Shopify', value: '42.0000', granularity: 'DAY' },
      { metric_key: 'revenue', date: '2025-03-01', source: 'Shopify', value: '1234.5600', granularity: 'DAY' },
      { metric_key: 'ad_spend', date: '2025-03-02', source: 'Google Ads', value: '99999999.9900', granularity: 'DAY' },
      { metric_key: 'revenue', date: '2025-03-02', source: 'Shopify', value: '0.0700', granularity: 'DAY' },
    ]);
    const imports = await api.gqlOk<ImportsResult>(IMPORTS, { clientId: client.id }, agency.token);
    expect(imports.metricImports.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ id: body.importId, kind: 'CSV', status: 'COMMITTED', fileName: 'export-mars.csv', rows: 4, inserted: 4 }),
    ]);
  });

  it('reports every bad line with its column, answers 422 and writes nothing', async () => {
    const client = await newClient(api, agency);
    const csv =
      'date;metric;value\n' +
      '2025-03-01;orders;10\n' +
      '2025-03-01;orders;11\n' + // duplicate of line 2
      '2025-03-02;orders;-3\n' +
      '2025-03-03;unicorns;4\n' +
      '2025-02-30;revenue;5\n' +
      '2025-03-04;revenue;12,345678\n' + // 6 decimals: more than storage keeps
      '2025-03-05;revenue;18\n';
    const { status, body } = await postCsv(client.id, csv);
    expect(status).toBe(422);
    expect(body.status).toBe('REJECTED');
    expect(body.errors.map((error) => [error.line, error.column, error.code])).toEqual([
      [3, 'date', 'DUPLICATE_ROW'],
      [4, 'value', 'NEGATIVE_VALUE'],
      [5, 'metric', 'UNKNOWN_METRIC'],
      [6, 'date', 'INVALID_DATE'],
      [7, 'value', 'INVALID_NUMBER'],
    ]);
    expect(body.errorCount).toBe(5);
    expect(body).toMatchObject({ inserted: 0, updated: 0, unchanged: 0 });
    expect(await countValues(client.id)).toBe(0);
    const imports = await api.gqlOk<ImportsResult>(IMPORTS, { clientId: client.id }, agency.token);
    expect(imports.metricImports.edges.map((edge) => edge.node)).toEqual([
      expect.objectContaining({ id: body.importId, status: 'REJECTED', inserted: 0, errorCount: 5 }),
    ]);
  });

  it('counts what a dry run would change against stored values and writes nothing', async () => {
    const client = await newClient(api, agency);
    await postCsv(client.id, 'date,metric,value\n2025-03-01,orders,10\n2025-03-02,orders,11\n');
    const { status, body } = await postCsv(client.id, 'date,metric,value\n2025-03-01,orders,10\n2025-03-02,orders,12\n2025-03-03,orders,13\n', {
      dryRun: 'true',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ importId: null, status: 'DRY_RUN', rows: 3, inserted: 1, updated: 1, unchanged: 1 });
    expect((await storedValues(client.id)).map((row) => row.value)).toEqual(['10.0000', '11.0000']);
    const imports = await api.gqlOk<ImportsResult>(IMPORTS, { clientId: client.id }, agency.token);
    expect(imports.metricImports.totalCount).toBe(1);
  });

  it('leaves the same totals when the same file is imported twice (inserted, then unchanged)', async () => {
    const client = await newClient(api, agency);
    const first = await postCsv(client.id, FRENCH_CSV);
    const second = await postCsv(client.id, FRENCH_CSV);
    expect(first.body).toMatchObject({ inserted: 4, updated: 0, unchanged: 0 });
    expect(second.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
    const totals = await owner.query('SELECT count(*)::int AS n, sum(value)::text AS total FROM metric_values WHERE client_id = $1', [client.id]);
    expect(totals.rows[0]).toEqual({ n: 4, total: '100001276.6200' });
  });

  it('replaces a corrected value and audits the old and new value in one entry for the import', async () => {
    const client = await newClient(api, agency);
    await postCsv(client.id, FRENCH_CSV);
    const corrected = FRENCH_CSV.replace('1 234,56', '1 300,10');
    const { body } = await postCsv(client.id, corrected);
    expect(body).toMatchObject({ inserted: 0, updated: 1, unchanged: 3 });
    const revenue = await owner.query(
      `SELECT value::text AS value, import_batch_id FROM metric_values WHERE client_id = $1 AND metric_key = 'revenue' AND date = '2025-03-01'`,
      [client.id],
    );
    expect(revenue.rows[0]).toEqual({ value: '1300.1000', import_batch_id: body.importId });
    const audit = await owner.query(`SELECT actor_user_id, action, data FROM audit_log WHERE entity_type = 'metric_import' AND entity_id = $1`, [
      body.importId,
    ]);
    expect(audit.rows).toEqual([
      {
        actor_user_id: agency.userId,
        action: 'metric_values.imported',
        data: expect.objectContaining({
          clientId: client.id,
          updated: 1,
          corrections: [
            { metricKey: 'revenue', date: '2025-03-01', source: 'Shopify', channel: 'OTHER', campaign: '', oldValue: '1234.5600', newValue: '1300.1000' },
          ],
          correctionsTruncated: false,
        }),
      },
    ]);
  });

  it('lands two concurrent imports for one client without losing a value', async () => {
    const client = await newClient(api, agency);
    const lines = (metric: string): string =>
      [
        'date,metric,value',
        ...Array.from({ length: 300 }, (_, day) => `${new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10)},${metric},${day}`),
      ].join('\n');
    const [sessions, orders] = await Promise.all([postCsv(client.id, lines('sessions')), postCsv(client.id, lines('orders'))]);
    expect(sessions.body).toMatchObject({ status: 'COMMITTED', inserted: 300 });
    expect(orders.body).toMatchObject({ status: 'COMMITTED', inserted: 300 });
    const counts = await owner.query(
      'SELECT metric_key, count(*)::int AS n, sum(value)::int AS total FROM metric_values WHERE client_id = $1 GROUP BY metric_key ORDER BY metric_key',
      [client.id],
    );
    expect(counts.rows).toEqual([
      { metric_key: 'orders', n: 300, total: 44_850 },
      { metric_key: 'sessions', n: 300, total: 44_850 },
    ]);
  });

  it('keeps the monthly roll-up equal to the values through corrections and concurrent imports of the same months', async () => {
    const client = await newClient(api, agency);
    // Two tools write the same metric and days concurrently (different sources): each import
    // rebuilds the same months, and neither may compute them without the other's values.
    const lines = (source: string, factor: number): string =>
      [
        'date,metric,value,source',
        ...Array.from({ length: 120 }, (_, day) => `${new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10)},sessions,${day * factor},${source}`),
      ].join('\n');
    const results = await Promise.all([postCsv(client.id, lines('GA4', 1)), postCsv(client.id, lines('Matomo', 2)), postCsv(client.id, FRENCH_CSV)]);
    expect(results.map((result) => result.body.status)).toEqual(['COMMITTED', 'COMMITTED', 'COMMITTED']);
    await postCsv(client.id, FRENCH_CSV.replace('1 234,56', '1 300,10'));
    await api.gqlOk(
      RECORD,
      { input: { clientId: client.id, values: [{ metricKey: 'mrr', date: '2024-02-01', value: '900', granularity: 'MONTH' }] } },
      agency.token,
    );
    const { stored, expected } = await rollupAndValues(client.id);
    expect(stored).toEqual(expected);
    expect(stored).toContainEqual({
      metric_key: 'sessions',
      month: '2024-01-01',
      sum: String(465 * 3) + '.0000',
      last_date: '2024-01-31',
      last: '90.0000',
      covered_days: 31,
    });
    expect(stored).toContainEqual({ metric_key: 'revenue', month: '2025-03-01', sum: '1300.1700', last_date: '2025-03-02', last: '0.0700', covered_days: 2 });
    expect(stored).toContainEqual({ metric_key: 'mrr', month: '2024-02-01', sum: '900.0000', last_date: '2024-02-01', last: '900.0000', covered_days: 29 });
  });

  it('rebuilds a month two overlapping imports touch from both, the second waiting for the first to commit', async () => {
    const client = await newClient(api, agency);
    const db = api.app.get(TenantDatabase);
    const context = { agencyId: agency.agencyId, userId: agency.userId, role: 'OWNER' as const, clientId: null };
    let firstRebuilt!: () => void;
    let commitFirst!: () => void;
    const firstHasRebuilt = new Promise<void>((resolve) => (firstRebuilt = resolve));
    const firstMayCommit = new Promise<void>((resolve) => (commitFirst = resolve));
    // One import's transaction, written the way MetricImportService does (upsert, then rebuild).
    const importOne = (source: string, value: string, holdOpen: boolean): Promise<void> =>
      runWithTenant(context, () =>
        db.run(async (manager) => {
          const target = { agencyId: agency.agencyId, clientId: client.id, importId: randomUUID(), enteredBy: agency.userId };
          const columns = {
            metricKeys: ['sessions'],
            dates: ['2024-05-10'],
            sources: [source],
            channels: ['OTHER'],
            campaigns: [''],
            granularities: ['DAY' as const],
            values: [value],
          };
          const result = await upsertMetricValues(manager, target, columns, 0);
          await refreshMetricMonthly(manager, target, result.touchedMonths);
          if (holdOpen) {
            firstRebuilt();
            await firstMayCommit;
          }
        }),
      );
    const first = importOne('GA4', '100', true);
    await firstHasRebuilt;
    // Rebuilt before the first commits, the month would hold 20 only: it must wait and hold 120.
    const second = importOne('Matomo', '20', false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    commitFirst();
    await Promise.all([first, second]);
    const month = await owner.query(`SELECT sum(sum_value)::int AS sum, sum(last_value)::int AS last FROM metric_monthly WHERE client_id = $1`, [client.id]);
    expect(month.rows).toEqual([{ sum: 120, last: 120 }]);
  });

  it('records values over GraphQL, exact to the cent, with monthly figures on the 1st', async () => {
    const client = await newClient(api, agency);
    const data = await api.gqlOk<{ recordMetricValues: Record<string, unknown> }>(
      RECORD,
      {
        input: {
          clientId: client.id,
          values: [
            { metricKey: 'revenue', date: '2025-01-01', value: '12345678901.23', granularity: 'MONTH' },
            { metricKey: 'orders', date: '2025-01-06', value: 310, granularity: 'WEEK', source: 'Shopify' },
            { metricKey: 'mrr', date: '2025-01-31', value: 0.1 },
          ],
        },
      },
      agency.token,
    );
    expect(data.recordMetricValues).toEqual({ importId: expect.any(String), inserted: 3, updated: 0, unchanged: 0 });
    expect(await storedValues(client.id)).toEqual([
      { metric_key: 'revenue', date: '2025-01-01', source: 'manual', value: '12345678901.2300', granularity: 'MONTH' },
      { metric_key: 'orders', date: '2025-01-06', source: 'Shopify', value: '310.0000', granularity: 'WEEK' },
      { metric_key: 'mrr', date: '2025-01-31', source: 'manual', value: '0.1000', granularity: 'DAY' },
    ]);
  });

  it('accepts the agency’s own custom metrics in files and API calls, with their unit’s rules', async () => {
    const client = await newClient(api, agency);
    await api.gqlOk(
      `mutation ($input: CreateCustomMetricInput!) { createCustomMetric(input: $input) { id } }`,
      { input: { key: 'showroom_visits', name: 'Visites showroom', unit: 'COUNT', aggregation: 'SUM' } },
      agency.token,
    );
    const { status } = await postCsv(client.id, 'date;metric;value\n2025-03-01;showroom_visits;17\n');
    expect(status).toBe(200);
    const refused = await api.gql(
      RECORD,
      { input: { clientId: client.id, values: [{ metricKey: 'showroom_visits', date: '2025-03-02', value: '1.5' }] } },
      agency.token,
    );
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'values.0.value' }] });
    // Another agency's custom metric is not a metric key for this one.
    const elsewhere = await api.gql(
      RECORD,
      { input: { clientId: otherClient.id, values: [{ metricKey: 'showroom_visits', date: '2025-03-02', value: '1' }] } },
      other.token,
    );
    expect(elsewhere.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'values.0.metricKey' }] });
    expect((await storedValues(client.id)).map((row) => [row.metric_key, row.value])).toEqual([['showroom_visits', '17.0000']]);
  });

  it('refuses a whole recordMetricValues call, naming every invalid value by index and field', async () => {
    const client = await newClient(api, agency);
    const response = await api.gql(
      RECORD,
      {
        input: {
          clientId: client.id,
          values: [
            { metricKey: 'revenue', date: '2025-03-01', value: '10.5' },
            { metricKey: 'orders', date: '2025-03-01', value: '-2' },
            { metricKey: 'unicorns', date: '2025-03-01', value: '1' },
            { metricKey: 'orders', date: '2025-03-02', value: '2.5' },
            { metricKey: 'revenue', date: '1999-12-31', value: 'abc' },
            { metricKey: 'revenue', date: '2025-03-05', value: '1', granularity: 'MONTH' },
            { metricKey: 'revenue', date: '2025-03-01', value: '11' },
          ],
        },
      },
      agency.token,
    );
    expect(response.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'values.1.value', message: 'must not be negative for a count metric' },
        { field: 'values.2.metricKey', message: '"unicorns" is not a known metric key' },
        { field: 'values.3.value', message: 'must be a whole number for a count metric' },
        { field: 'values.4.date', message: expect.stringMatching(/^must be between 2000-01-01 and /) },
        { field: 'values.4.value', message: expect.stringMatching(/not a finite decimal/) },
        { field: 'values.5.date', message: 'a MONTH value must be dated on the 1st (2025-03-01)' },
        { field: 'values.6', message: 'repeats values.0: same metric, date and source' },
      ],
    });
    expect(response.errors?.[0].message).toMatch(/values\.1\.value: must not be negative for a count metric/);
    expect(await countValues(client.id)).toBe(0);
  });

  it('is for agency staff: a client viewer can neither record nor import', async () => {
    const client = await newClient(api, agency);
    const viewer = await newClientViewer(api, agency, client.id);
    const recorded = await api.gql(RECORD, { input: { clientId: client.id, values: [{ metricKey: 'orders', date: '2025-03-01', value: '1' }] } }, viewer.token);
    expect(recorded.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const imported = await postCsv(client.id, FRENCH_CSV, {}, viewer.token);
    expect(imported.status).toBe(403);
    expect(await countValues(client.id)).toBe(0);
  });

  describe('isolation', () => {
    it('answers NOT_FOUND to another agency for the client, its values and its imports', async () => {
      const recorded = await api.gql(
        RECORD,
        { input: { clientId: otherClient.id, values: [{ metricKey: 'orders', date: '2025-03-01', value: '1' }] } },
        agency.token,
      );
      expect(recorded.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      const imported = await postCsv(otherClient.id, FRENCH_CSV, {}, agency.token);
      expect(imported.status).toBe(404);
      const dryRun = await postCsv(otherClient.id, FRENCH_CSV, { dryRun: 'true' }, agency.token);
      expect(dryRun.status).toBe(404);
      const listed = await api.gql(IMPORTS, { clientId: otherClient.id }, agency.token);
      expect(listed.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      expect(await countValues(otherClient.id)).toBe(0);
      const imports = await owner.query('SELECT count(*)::int AS n FROM metric_imports WHERE client_id = $1', [otherClient.id]);
      expect(imports.rows[0].n).toBe(0);
    });

    it('hides an agency’s values and imports from another agency at the database level', async () => {
      const client = await newClient(api, agency);
      await postCsv(client.id, FRENCH_CSV);
      const dataSource: DataSource = createDataSource({ url: testDatabase().appUrl, poolSize: 1 });
      await dataSource.initialize();
      try {
        const db = new TenantDatabase(dataSource);
        const asOther = { agencyId: other.agencyId, userId: other.userId, role: 'OWNER' as const, clientId: null };
        const seen = await runWithTenant(asOther, () =>
          db.run(async (manager) => {
            const values: Array<{ n: number }> = await manager.query('SELECT count(*)::int AS n FROM metric_values');
            const imports: Array<{ n: number }> = await manager.query('SELECT count(*)::int AS n FROM metric_imports');
            return { values: values[0]?.n, imports: imports[0]?.n };
          }),
        );
        expect(seen).toEqual({ values: 0, imports: 0 });
        const write = runWithTenant(asOther, () =>
          db.run((manager) =>
            manager.query(
              `INSERT INTO metric_values (agency_id, client_id, metric_key, date, source, granularity, value, import_batch_id)
               VALUES ($1, $2, 'orders', '2025-03-01', 'manual', 'DAY', 1, gen_random_uuid())`,
              [agency.agencyId, client.id],
            ),
          ),
        );
        await expect(write).rejects.toThrow(/row-level security/);
        const own = await api.gqlOk<ImportsResult>(IMPORTS, { clientId: otherClient.id }, other.token);
        expect(own.metricImports.totalCount).toBe(0);
      } finally {
        await dataSource.destroy();
      }
    });
  });
});
