import 'reflect-metadata';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, runWithTenant, systemContext, TenantDatabase } from '@pilotage/database';
import { SourceChannelService } from '@pilotage/ingestion';
import { newAgency, newClient, newClientViewer, type TestAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted updated unchanged } }`;
const SOURCES = `query ($clientId: ID!) { sourceChannels(clientId: $clientId) { source channel chosen defaultChannel valueChannels valueCount } }`;
const SET = `mutation ($clientId: ID!, $source: String!, $channel: Channel!) {
  setSourceChannel(clientId: $clientId, source: $source, channel: $channel) { movedValues sourceChannel { source channel chosen valueChannels valueCount } } }`;
const CLEAR = `mutation ($clientId: ID!, $source: String!) { clearSourceChannel(clientId: $clientId, source: $source) { source channel chosen defaultChannel valueChannels } }`;

interface ImportReport {
  status: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  errors: Array<{ line: number; column: string; columnIndex: number; code: string; message: string }>;
}

interface StoredValue {
  metric_key: string;
  date: string;
  source: string;
  channel: string;
  campaign: string;
  value: string;
}

/**
 * A month of a GA4 export by channel group next to the ad platforms' campaign reports, in our
 * LONG layout: the same figure (sessions of a day) for two channels is two values; the ad
 * platforms' rows leave the channel empty (their source says it).
 */
const CHANNEL_CSV = [
  'date;metric;value;source;channel;campaign',
  '2026-03-01;sessions;1200;GA4;Recherche naturelle;',
  '2026-03-01;sessions;300;GA4;Paid search;',
  '2026-03-01;sessions;150;GA4;E-mail;',
  '2026-03-02;sessions;1100;GA4;ORGANIC_SEARCH;',
  '2026-03-02;sessions;280;GA4;paid_search;',
  '2026-03-01;ad_spend;120,50;Google Ads;;Brand',
  '2026-03-01;ad_spend;300,25;Google Ads;;Generic',
  '2026-03-02;ad_spend;99,75;Google Ads;;Brand',
  '2026-03-01;ad_spend;80;Meta Ads;;Retargeting',
  '2026-04-01;ad_spend;10;Meta Ads;;Retargeting',
].join('\n');

describe(SourceChannelService.name, () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let other: TestAgency;

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

  async function storedValues(clientId: string): Promise<StoredValue[]> {
    const result = await owner.query<StoredValue>(
      `SELECT metric_key, to_char(date, 'YYYY-MM-DD') AS date, source, channel, campaign, value::text AS value
         FROM metric_values WHERE client_id = $1 ORDER BY metric_key, date, source, channel, campaign`,
      [clientId],
    );
    return result.rows;
  }

  /**
   * metric_monthly added up per (metric, month, channel) and per (metric, month), next to the
   * same sums and covered days computed afresh from metric_values (every value here is daily).
   */
  async function rollupAgainstValues(clientId: string): Promise<{ stored: unknown[]; expected: unknown[] }> {
    const stored = await owner.query(
      `SELECT metric_key, to_char(month, 'YYYY-MM') AS month, coalesce(channel, 'TOTAL') AS channel,
              sum(sum_value)::numeric(24,4)::text AS sum, bit_count(bit_or(day_mask)::bit(64))::int AS days
         FROM metric_monthly WHERE client_id = $1
        GROUP BY GROUPING SETS ((metric_key, month, channel), (metric_key, month)) ORDER BY 1, 2, 3`,
      [clientId],
    );
    const expected = await owner.query(
      `SELECT metric_key, to_char(date_trunc('month', date), 'YYYY-MM') AS month, coalesce(channel, 'TOTAL') AS channel,
              sum(value)::numeric(24,4)::text AS sum, count(DISTINCT date)::int AS days
         FROM metric_values WHERE client_id = $1
        GROUP BY GROUPING SETS ((metric_key, date_trunc('month', date), channel), (metric_key, date_trunc('month', date))) ORDER BY 1, 2, 3`,
      [clientId],
    );
    return { stored: stored.rows, expected: expected.rows };
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

  it('imports channel and campaign columns: one value per channel and campaign, the roll-up equal to the values per channel and in total', async () => {
    const client = await newClient(api, agency);
    const first = await postCsv(client.id, CHANNEL_CSV);
    expect(first).toMatchObject({ status: 200, body: { status: 'COMMITTED', rows: 10, inserted: 10 } });

    const values = await storedValues(client.id);
    expect(values.filter((value) => value.metric_key === 'sessions' && value.date === '2026-03-01')).toEqual([
      { metric_key: 'sessions', date: '2026-03-01', source: 'GA4', channel: 'EMAIL', campaign: '', value: '150.0000' },
      { metric_key: 'sessions', date: '2026-03-01', source: 'GA4', channel: 'ORGANIC_SEARCH', campaign: '', value: '1200.0000' },
      { metric_key: 'sessions', date: '2026-03-01', source: 'GA4', channel: 'PAID_SEARCH', campaign: '', value: '300.0000' },
    ]);
    expect(values.filter((value) => value.metric_key === 'ad_spend' && value.date === '2026-03-01')).toEqual([
      { metric_key: 'ad_spend', date: '2026-03-01', source: 'Google Ads', channel: 'PAID_SEARCH', campaign: 'Brand', value: '120.5000' },
      { metric_key: 'ad_spend', date: '2026-03-01', source: 'Google Ads', channel: 'PAID_SEARCH', campaign: 'Generic', value: '300.2500' },
      { metric_key: 'ad_spend', date: '2026-03-01', source: 'Meta Ads', channel: 'PAID_SOCIAL', campaign: 'Retargeting', value: '80.0000' },
    ]);

    // Re-importing the file replaces: nothing doubles.
    const again = await postCsv(client.id, CHANNEL_CSV);
    expect(again.body).toMatchObject({ status: 'COMMITTED', inserted: 0, updated: 0, unchanged: 10 });
    const totals = await owner.query(`SELECT count(*)::int AS n, sum(value)::text AS total FROM metric_values WHERE client_id = $1`, [client.id]);
    expect(totals.rows[0]).toEqual({ n: 10, total: '3640.5000' });

    const { stored, expected } = await rollupAgainstValues(client.id);
    expect(stored).toEqual(expected);
    // Hand-computed: March sessions 3,030 in all, of which 2,300 organic; March ad spend 600.50, of which 520.50 paid search.
    expect(stored).toEqual(
      expect.arrayContaining([
        { metric_key: 'sessions', month: '2026-03', channel: 'TOTAL', sum: '3030.0000', days: 2 },
        { metric_key: 'sessions', month: '2026-03', channel: 'ORGANIC_SEARCH', sum: '2300.0000', days: 2 },
        { metric_key: 'sessions', month: '2026-03', channel: 'EMAIL', sum: '150.0000', days: 1 },
        { metric_key: 'ad_spend', month: '2026-03', channel: 'TOTAL', sum: '600.5000', days: 2 },
        { metric_key: 'ad_spend', month: '2026-03', channel: 'PAID_SEARCH', sum: '520.5000', days: 2 },
        { metric_key: 'ad_spend', month: '2026-03', channel: 'PAID_SOCIAL', sum: '80.0000', days: 1 },
      ]),
    );
  });

  it('refuses an unknown channel with 422 naming its line and column, and writes nothing', async () => {
    const client = await newClient(api, agency);
    const csv = 'date,metric,value,source,channel\n2026-03-01,sessions,10,GA4,Organic\n2026-03-01,sessions,5,GA4,Direct\n2026-03-02,sessions,7,GA4,SEO\n';
    const { status, body } = await postCsv(client.id, csv);
    expect(status).toBe(422);
    expect(body.status).toBe('REJECTED');
    expect(body.errors.map((error) => [error.line, error.column, error.columnIndex, error.code])).toEqual([
      [2, 'channel', 5, 'UNKNOWN_CHANNEL'],
      [4, 'channel', 5, 'UNKNOWN_CHANNEL'],
    ]);
    expect(body.errors[0]?.message).toContain('"Organic" is not a channel; accepted: PAID_SEARCH (Paid search, Recherche payante)');
    expect(await storedValues(client.id)).toEqual([]);
  });

  it('gives a WIDE file the channel and campaign of the query, by key or by name', async () => {
    const client = await newClient(api, agency);
    const wide = 'date,sessions,orders\n2026-03-01,100,4\n2026-03-02,120,\n';
    const { body } = await postCsv(client.id, wide, { source: 'Shopify', channel: 'Places de marché', campaign: 'Soldes' });
    expect(body).toMatchObject({ status: 'COMMITTED', inserted: 3 });
    const values = await storedValues(client.id);
    expect(values.map((value) => [value.metric_key, value.date, value.source, value.channel, value.campaign])).toEqual([
      ['orders', '2026-03-01', 'Shopify', 'MARKETPLACE', 'Soldes'],
      ['sessions', '2026-03-01', 'Shopify', 'MARKETPLACE', 'Soldes'],
      ['sessions', '2026-03-02', 'Shopify', 'MARKETPLACE', 'Soldes'],
    ]);

    const refused = await fetch(`${api.baseUrl}/clients/${client.id}/metric-imports?channel=Search`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${agency.token}` },
      body: wide,
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('channel must be one of PAID_SEARCH');
  });

  it('records API values with a channel and campaign, naming the field of a bad campaign', async () => {
    const client = await newClient(api, agency);
    const values = [
      { metricKey: 'ad_spend', date: '2026-03-01', value: '10.5', source: 'Google Ads', campaign: 'Brand' },
      { metricKey: 'ad_spend', date: '2026-03-01', value: '4', source: 'Google Ads', channel: 'PAID_SOCIAL', campaign: 'Brand' },
      { metricKey: 'sessions', date: '2026-03-01', value: '9' },
    ];
    const data = await api.gqlOk<{ recordMetricValues: { inserted: number } }>(RECORD, { input: { clientId: client.id, values } }, agency.token);
    expect(data.recordMetricValues.inserted).toBe(3);
    expect((await storedValues(client.id)).map((value) => [value.metric_key, value.source, value.channel, value.campaign, value.value])).toEqual([
      ['ad_spend', 'Google Ads', 'PAID_SEARCH', 'Brand', '10.5000'],
      ['ad_spend', 'Google Ads', 'PAID_SOCIAL', 'Brand', '4.0000'],
      ['sessions', 'manual', 'OTHER', '', '9.0000'],
    ]);

    const bad = await api.gql(
      RECORD,
      { input: { clientId: client.id, values: [values[2], { ...values[0], campaign: 'c'.repeat(201) }, { ...values[0], campaign: 'a\u0000b' }] } },
      agency.token,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'values.1.campaign', message: 'must have at most 200 characters (it has 201)' },
      { field: 'values.2.campaign', message: 'must not contain control characters (found U+0000 at character 2)' },
    ]);
    const unknownChannel = await api.gql(RECORD, { input: { clientId: client.id, values: [{ ...values[2], channel: 'SEO' }] } }, agency.token);
    expect(unknownChannel.errors?.[0]?.message).toContain('Channel');
    expect(await storedValues(client.id)).toHaveLength(3);
  });

  it('applies a client’s channel for a source to later imports and moves the values already stored, with their roll-up', async () => {
    const client = await newClient(api, agency);
    const march = 'date,metric,value,source\n2026-03-01,orders,4,Boutique Lyon\n2026-03-02,orders,6,Boutique Lyon\n2026-03-01,orders,2,Brevo\n';
    await postCsv(client.id, march);
    const before = await api.gqlOk<{ sourceChannels: unknown[] }>(SOURCES, { clientId: client.id }, agency.token);
    expect(before.sourceChannels).toEqual([
      { source: 'Boutique Lyon', channel: 'OTHER', chosen: false, defaultChannel: 'OTHER', valueChannels: ['OTHER'], valueCount: 2 },
      { source: 'Brevo', channel: 'EMAIL', chosen: false, defaultChannel: 'EMAIL', valueChannels: ['EMAIL'], valueCount: 1 },
    ]);

    const set = await api.gqlOk<{ setSourceChannel: unknown }>(SET, { clientId: client.id, source: 'Boutique Lyon', channel: 'REFERRAL' }, agency.token);
    expect(set.setSourceChannel).toEqual({
      movedValues: 2,
      sourceChannel: { source: 'Boutique Lyon', channel: 'REFERRAL', chosen: true, valueChannels: ['REFERRAL'], valueCount: 2 },
    });
    const monthly = await owner.query(`SELECT channel, sum_value::text AS sum FROM metric_monthly WHERE client_id = $1 AND source = 'Boutique Lyon'`, [
      client.id,
    ]);
    expect(monthly.rows).toEqual([{ channel: 'REFERRAL', sum: '10.0000' }]);
    const { stored, expected } = await rollupAgainstValues(client.id);
    expect(stored).toEqual(expected);
    const audit = await owner.query(`SELECT actor_user_id, data FROM audit_log WHERE action = 'source_channel.set' AND entity_id = $1`, [client.id]);
    expect(audit.rows).toEqual([{ actor_user_id: agency.userId, data: { source: 'Boutique Lyon', channel: 'REFERRAL', movedValues: 2 } }]);

    // A later import without a channel takes the choice; with one, its own.
    await postCsv(client.id, 'date,metric,value,source,channel\n2026-03-03,orders,5,Boutique Lyon,\n2026-03-03,orders,1,Boutique Lyon,Direct\n');
    const later = await owner.query(`SELECT channel, value::int AS value FROM metric_values WHERE client_id = $1 AND date = '2026-03-03' ORDER BY channel`, [
      client.id,
    ]);
    expect(later.rows).toEqual([
      { channel: 'DIRECT', value: 1 },
      { channel: 'REFERRAL', value: 5 },
    ]);

    // Cleared: later values take the default again, stored values keep their channel.
    const cleared = await api.gqlOk<{ clearSourceChannel: unknown }>(CLEAR, { clientId: client.id, source: 'Boutique Lyon' }, agency.token);
    expect(cleared.clearSourceChannel).toEqual({
      source: 'Boutique Lyon',
      channel: 'OTHER',
      chosen: false,
      defaultChannel: 'OTHER',
      valueChannels: ['DIRECT', 'REFERRAL'],
    });
    await postCsv(client.id, 'date,metric,value,source\n2026-03-04,orders,3,Boutique Lyon\n');
    const channels = await owner.query(
      `SELECT channel, count(*)::int AS n FROM metric_values WHERE client_id = $1 AND source = 'Boutique Lyon' GROUP BY 1 ORDER BY 1`,
      [client.id],
    );
    expect(channels.rows).toEqual([
      { channel: 'DIRECT', n: 1 },
      { channel: 'OTHER', n: 1 },
      { channel: 'REFERRAL', n: 3 },
    ]);
  });

  it('moves a source while an import of the same source runs: both succeed and the roll-up equals the values', async () => {
    const client = await newClient(api, agency);
    const days = (from: number, count: number): string =>
      [
        'date,metric,value,source',
        ...Array.from({ length: count }, (_, day) => `${new Date(Date.UTC(2024, 0, from + day)).toISOString().slice(0, 10)},orders,${day},Boutique`),
      ].join('\n');
    await postCsv(client.id, days(1, 400));
    const [imported, moved] = await Promise.all([
      postCsv(client.id, days(200, 400)),
      api.gql<{ setSourceChannel: { movedValues: number } }>(SET, { clientId: client.id, source: 'Boutique', channel: 'REFERRAL' }, agency.token),
    ]);
    expect(imported.body.status).toBe('COMMITTED');
    expect(moved.errors).toBeUndefined();
    const { stored, expected } = await rollupAgainstValues(client.id);
    expect(stored).toEqual(expected);
    const count = await owner.query(`SELECT count(*)::int AS n FROM metric_values WHERE client_id = $1`, [client.id]);
    expect(count.rows[0].n).toBe(599);
  });

  it('refuses to move a source whose values of several channels would merge into one, and changes nothing', async () => {
    const client = await newClient(api, agency);
    await postCsv(client.id, 'date,metric,value,source,channel\n2026-03-01,sessions,10,GA4,Direct\n2026-03-01,sessions,20,GA4,Referral\n');
    const refused = await api.gql(SET, { clientId: client.id, source: 'GA4', channel: 'DIRECT' }, agency.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain('Source "GA4" has values of several channels (DIRECT, REFERRAL) for metric "sessions" on 2026-03-01');
    expect((await storedValues(client.id)).map((value) => value.channel)).toEqual(['DIRECT', 'REFERRAL']);
    const choices = await owner.query(`SELECT count(*)::int AS n FROM client_source_channels WHERE client_id = $1`, [client.id]);
    expect(choices.rows[0].n).toBe(0);
  });

  it('hides a client’s sources from another agency and from a client viewer, who cannot change them either', async () => {
    const client = await newClient(api, agency);
    await postCsv(client.id, 'date,metric,value,source\n2026-03-01,orders,4,Boutique\n');
    await api.gqlOk(SET, { clientId: client.id, source: 'Boutique', channel: 'DIRECT' }, agency.token);

    for (const operation of [
      api.gql(SOURCES, { clientId: client.id }, other.token),
      api.gql(SET, { clientId: client.id, source: 'Boutique', channel: 'EMAIL' }, other.token),
      api.gql(CLEAR, { clientId: client.id, source: 'Boutique' }, other.token),
    ]) {
      const response = await operation;
      expect(response.data).toBeNull();
      expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    const viewer = await newClientViewer(api, agency, client.id);
    for (const operation of [
      api.gql(SOURCES, { clientId: client.id }, viewer.token),
      api.gql(SET, { clientId: client.id, source: 'Boutique', channel: 'EMAIL' }, viewer.token),
      api.gql(CLEAR, { clientId: client.id, source: 'Boutique' }, viewer.token),
    ]) {
      const response = await operation;
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const state = await owner.query(
      `SELECT (SELECT channel FROM client_source_channels WHERE client_id = $1) AS chosen, (SELECT channel FROM metric_values WHERE client_id = $1) AS stored`,
      [client.id],
    );
    expect(state.rows[0]).toEqual({ chosen: 'DIRECT', stored: 'DIRECT' });
  });

  it('keeps client_source_channels rows out of another agency’s reach in PostgreSQL itself', async () => {
    const client = await newClient(api, agency);
    await postCsv(client.id, 'date,metric,value,source\n2026-03-01,orders,4,Boutique\n');
    await api.gqlOk(SET, { clientId: client.id, source: 'Boutique', channel: 'DIRECT' }, agency.token);
    const dataSource: DataSource = createDataSource({ url: testDatabase().appUrl, poolSize: 1 });
    await dataSource.initialize();
    try {
      const db = new TenantDatabase(dataSource);
      const seen = await runWithTenant(systemContext(other.agencyId), () =>
        db.run(async (manager) => {
          const rows: unknown = await manager.query(`SELECT count(*)::int AS n FROM client_source_channels WHERE client_id = $1`, [client.id]);
          const updated: unknown = await manager.query(`UPDATE client_source_channels SET channel = 'EMAIL' WHERE client_id = $1`, [client.id]);
          const deleted: unknown = await manager.query(`DELETE FROM client_source_channels WHERE client_id = $1`, [client.id]);
          return { rows, updated, deleted };
        }),
      );
      expect(seen).toEqual({ rows: [{ n: 0 }], updated: [[], 0], deleted: [[], 0] });
      await expect(
        runWithTenant(systemContext(other.agencyId), () =>
          db.run((manager) =>
            manager.query(`INSERT INTO client_source_channels (agency_id, client_id, source, channel) VALUES ($1, $2, 'Injected', 'EMAIL')`, [
              agency.agencyId,
              client.id,
            ]),
          ),
        ),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await dataSource.destroy();
    }
    const state = await owner.query(`SELECT source, channel FROM client_source_channels WHERE client_id = $1`, [client.id]);
    expect(state.rows).toEqual([{ source: 'Boutique', channel: 'DIRECT' }]);
  });

  it('refuses a source name with a control character', async () => {
    const client = await newClient(api, agency);
    const response = await api.gql(SET, { clientId: client.id, source: 'Bad\u001bsource', channel: 'EMAIL' }, agency.token);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'source', message: 'must not contain control characters (found U+001B at character 4)' },
    ]);
  });
});
