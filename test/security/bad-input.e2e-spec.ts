import { newAgency, newClient, newClientViewer, type TestAgency, type TestClient } from '../support/factories';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import type { Pool } from 'pg';
import { ownerPool } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

/*
 * Bad input gets a clear error naming the field, line or argument, and nothing is written:
 * one test per hole found in issue #11 (item 5).
 */

const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { inserted } }`;
const CREATE_CLIENT = `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`;
const CREATE_METRIC = `mutation ($input: CreateCustomMetricInput!) { createCustomMetric(input: $input) { id key } }`;
const CREATE_KPI = `mutation ($input: CreateCustomKpiInput!) { createCustomKpi(input: $input) { id key } }`;

type Problem = { field: string; message: string };

function fieldsOf(response: GraphqlResponse<unknown>): Problem[] {
  const fields = response.errors?.[0]?.extensions?.fields;
  return Array.isArray(fields) ? (fields as Problem[]) : [];
}

let owner: Pool;

async function countRows(table: 'clients' | 'metric_values' | 'custom_kpis' | 'custom_metrics' | 'users' | 'kickoffs', agencyId: string): Promise<number> {
  const result = await owner.query<{ count: string }>(`SELECT count(*) FROM ${table} WHERE agency_id = $1`, [agencyId]);
  return Number(result.rows[0]?.count ?? '0');
}

describe('bad input (issue #11, item 5)', () => {
  let api: TestApi;
  let agency: TestAgency;
  let client: TestClient;

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api, { locale: 'en' });
    client = await newClient(api, agency, { name: 'Bad input client' });
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await owner.end();
    await api.close();
  }, TEARDOWN_TIMEOUT_MS);

  async function importCsv(body: Buffer | string, query = ''): Promise<{ status: number; report: Record<string, unknown> }> {
    const response = await fetch(`${api.baseUrl}/clients/${client.id}/metric-imports${query}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${agency.token}` },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: response.status, report: (await response.json()) as Record<string, unknown> };
  }

  it('accepts the documented 10,000 values of recordMetricValues in one request, and says the limit beyond it', async () => {
    // The largest values the API accepts: a 60-character custom metric key, 16 + 4 digits, a 100-character source.
    const metricKey = `m${'x'.repeat(59)}`;
    await api.gqlOk(CREATE_METRIC, { input: { key: metricKey, name: 'Widest metric', unit: 'CURRENCY', aggregation: 'SUM' } }, agency.token);
    const values = Array.from({ length: 10_000 }, (_, index) => ({
      metricKey,
      date: new Date(Date.UTC(2020, 0, 1 + (index % 100))).toISOString().slice(0, 10),
      value: '1234567890123456.1234',
      source: `source-${String(Math.floor(index / 100)).padStart(3, '0')}-${'s'.repeat(89)}`,
      granularity: 'DAY',
    }));
    const body = JSON.stringify({ query: RECORD, variables: { input: { clientId: client.id, values } } }, null, 2);
    const compact = JSON.stringify({ query: RECORD, variables: { input: { clientId: client.id, values } } });
    process.stdout.write(`10,000-value recordMetricValues request: ${compact.length} bytes compact, ${body.length} bytes pretty-printed\n`);
    const accepted = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agency.token}` },
      body,
    });
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as GraphqlResponse<{ recordMetricValues: { inserted: number } }>).data?.recordMetricValues.inserted).toBe(10_000);

    const tooLarge = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${agency.token}` },
      body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(5 * 1024 * 1024) } }),
    });
    expect(tooLarge.status).toBe(413);
    const refusal = (await tooLarge.json()) as GraphqlResponse<unknown>;
    expect(refusal.errors?.[0]).toMatchObject({ message: expect.stringMatching(/larger than the 4 MiB limit/), extensions: { code: 'PAYLOAD_TOO_LARGE' } });

    // Other routes keep a small limit.
    const elsewhere = await fetch(`${api.baseUrl}/health`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(200 * 1024) }),
    });
    expect(elsewhere.status).toBe(413);
    expect(await elsewhere.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/100 KiB/) });
  });

  it('refuses a fragment cycle as a validation error (400), without crashing the depth check', async () => {
    const errors = jest.spyOn(console, 'error');
    try {
      const response = await fetch(`${api.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${agency.token}` },
        body: JSON.stringify({ query: `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }` }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as GraphqlResponse<unknown>;
      expect(body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/Cannot spread fragment "A" within itself/),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      // graphql-depth-limit logged the stack overflow with console.error on every such request.
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });

  it(
    'does not suggest field, argument or enum names in production errors',
    async () => {
      const production = await startTestApi({ NODE_ENV: 'production', DOWNLOAD_URL_SECRET: 'another-secret-another-secret-0123456789' });
      try {
        const unknownField = await production.gql(`{ clint(id: "x") { id } }`);
        expect(unknownField.errors?.[0].message).toBe('Cannot query field "clint" on type "Query".');
        const unknownEnum = await production.gql(CREATE_CLIENT, { input: { name: 'Shop', businessModel: 'ECOMERCE' } });
        expect(unknownEnum.errors?.[0].message).toMatch(/ECOMERCE/);
        expect(JSON.stringify([unknownField, unknownEnum])).not.toMatch(/Did you mean|ECOMMERCE|"client"/);
        // Development keeps the hints.
        expect((await api.gql(`{ clint(id: "x") { id } }`)).errors?.[0].message).toMatch(/Did you mean "client"/);
      } finally {
        await production.close();
      }
    },
    APP_BOOT_TIMEOUT_MS + TEARDOWN_TIMEOUT_MS,
  );

  it.each([
    [
      'UTF-16 little-endian with a byte order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('date;metric;value\r\n2026-10-01;visitors;12\r\n', 'utf16le')]),
      /UTF-16 \(little-endian/,
    ],
    [
      'UTF-16 big-endian with a byte order mark',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('date;metric;value\r\n2026-10-01;visitors;12\r\n', 'utf16le').swap16()]),
      /UTF-16 \(big-endian/,
    ],
    ['UTF-16 without a byte order mark', Buffer.from('date;metric;value\r\n2026-10-01;visitors;12\r\n', 'utf16le'), /NUL bytes/],
  ])('refuses a CSV file in %s: the file must be UTF-8, nothing written', async (_case, file, reason) => {
    const before = await countRows('metric_values', agency.agencyId);
    const { status, report } = await importCsv(file);
    expect(status).toBe(422);
    expect(report).toMatchObject({ status: 'REJECTED', errors: [{ line: 1, code: 'UNSUPPORTED_ENCODING', message: expect.stringMatching(reason) }] });
    expect(JSON.stringify(report.errors)).toMatch(/must be UTF-8/);
    expect(await countRows('metric_values', agency.agencyId)).toBe(before);
  });

  it('refuses a NUL byte in a CSV source or metric cell by line and column, nothing written', async () => {
    const before = await countRows('metric_values', agency.agencyId);
    const { status, report } = await importCsv('date;metric;value;source\n2026-10-01;visitors;12;ads\u0000x\n2026-10-02;visi\u0000tors;13;ads\n');
    expect(status).toBe(422);
    expect(report.errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'source',
        code: 'INVALID_SOURCE',
        message: expect.stringMatching(/control character \(U\+0000 at character 4\)/),
      }),
      expect.objectContaining({ line: 3, column: 'metric', code: 'UNKNOWN_METRIC' }),
    ]);
    expect(JSON.stringify(report)).not.toContain('\\u0000');
    expect(await countRows('metric_values', agency.agencyId)).toBe(before);

    const namedSource = await importCsv('date;metric;value\n2026-10-01;visitors;12\n', `?source=${encodeURIComponent('ads\u0000')}`);
    expect(namedSource.status).toBe(400);
    expect(namedSource.report).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'source', message: expect.stringMatching(/control characters/) }] });
  });

  it('refuses a NUL byte in a recordMetricValues source as BAD_USER_INPUT naming values.N.source, nothing written', async () => {
    const before = await countRows('metric_values', agency.agencyId);
    const response = await api.gql(
      RECORD,
      {
        input: {
          clientId: client.id,
          values: [
            { metricKey: 'visitors', date: '2026-10-01', value: '12' },
            { metricKey: 'visitors', date: '2026-10-02', value: '12', source: 'ads\u0000' },
          ],
        },
      },
      agency.token,
    );
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(fieldsOf(response)).toEqual([{ field: 'values.1.source', message: expect.stringMatching(/control characters \(found U\+0000/) }]);
    expect(await countRows('metric_values', agency.agencyId)).toBe(before);
  });

  it('refuses NUL and other control characters in every text input, naming the field', async () => {
    const viewerInvite = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`;
    const signUp = `mutation ($input: SignUpInput!) { signUp(input: $input) { verificationExpiresAt } }`;
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [CREATE_CLIENT, { input: { name: 'Shop\u0000', businessModel: 'ECOMMERCE' } }, 'name'],
      [`mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id } }`, { input: { id: client.id, name: 'Shop\u001b[31m' } }, 'name'],
      [`mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { id } }`, { input: { name: 'Agency\u0000' } }, 'name'],
      [`mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { id } }`, { input: { footerText: 'Footer\u0007' } }, 'footerText'],
      [CREATE_METRIC, { input: { key: 'nul_metric', name: 'Metric\u0000', unit: 'COUNT', aggregation: 'SUM' } }, 'name'],
      [CREATE_METRIC, { input: { key: 'nul_metric', name: 'Metric', description: 'Line\u0000', unit: 'COUNT', aggregation: 'SUM' } }, 'description'],
      [CREATE_KPI, { input: kpiInput({ name: 'KPI\u0000' }) }, 'name'],
      [CREATE_KPI, { input: kpiInput({ description: 'About\u0000' }) }, 'description'],
      [viewerInvite, { input: { email: 'nul@client.example', displayName: 'Viewer\u0000', role: 'CLIENT_VIEWER', clientId: client.id } }, 'displayName'],
      [
        `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`,
        { input: { clientId: client.id, businessModel: 'ECOMMERCE', coreTarget: 'Buyers\u0000' } },
        'coreTarget',
      ],
      [
        `mutation ($input: CreateClientInput!) { createClient(input: $input) { id } }`,
        { input: { name: 'Shop', businessModel: 'ECOMMERCE', reportRecipients: ['a\u0000@b.example'] } },
        'reportRecipients',
      ],
    ];
    const counts = async (): Promise<number[]> =>
      Promise.all((['clients', 'custom_kpis', 'custom_metrics', 'users', 'kickoffs'] as const).map((table) => countRows(table, agency.agencyId)));
    const before = await counts();
    for (const [operation, variables, field] of cases) {
      const response = await api.gql(operation, variables, agency.token);
      expect({ field, code: response.errors?.[0].extensions?.code }).toEqual({ field, code: 'BAD_USER_INPUT' });
      expect(fieldsOf(response).map((problem) => problem.field)).toContain(field);
    }
    const signed = await api.gql(signUp, {
      input: { agencyName: 'Agency\u0000', email: 'nul-owner@example.com', password: 'a long enough password', displayName: 'Owner' },
    });
    expect(fieldsOf(signed)).toEqual([{ field: 'agencyName', message: expect.stringMatching(/control characters \(found U\+0000 at character 7\)/) }]);
    expect(await counts()).toEqual(before);
  });

  it('refuses blank names — spaces, zero-width spaces, a byte order mark — naming the field', async () => {
    const blanks = ['   ', '\u200b\u200b', '\ufeff', ' \u2060\u00a0\u3000 '];
    const before = await Promise.all([
      countRows('clients', agency.agencyId),
      countRows('custom_metrics', agency.agencyId),
      countRows('custom_kpis', agency.agencyId),
    ]);
    for (const blank of blanks) {
      const created = await api.gql(CREATE_CLIENT, { input: { name: blank, businessModel: 'ECOMMERCE' } }, agency.token);
      expect(fieldsOf(created)).toEqual([{ field: 'name', message: 'name must not be blank (only spaces or invisible characters)' }]);
      const metric = await api.gql(CREATE_METRIC, { input: { key: 'blank_metric', name: blank, unit: 'COUNT', aggregation: 'SUM' } }, agency.token);
      expect(fieldsOf(metric).map((problem) => problem.field)).toEqual(['name']);
      const kpi = await api.gql(CREATE_KPI, { input: kpiInput({ name: blank }) }, agency.token);
      expect(fieldsOf(kpi).map((problem) => problem.field)).toEqual(['name']);
      const invited = await api.gql(
        `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
        { input: { email: 'blank@client.example', displayName: blank, role: 'CLIENT_VIEWER', clientId: client.id } },
        agency.token,
      );
      expect(fieldsOf(invited).map((problem) => problem.field)).toEqual(['displayName']);
    }
    const renamed = await api.gql(
      `mutation ($input: UpdateClientInput!) { updateClient(input: $input) { id } }`,
      { input: { id: client.id, name: '\u200b' } },
      agency.token,
    );
    expect(fieldsOf(renamed).map((problem) => problem.field)).toEqual(['name']);
    const agencyRenamed = await api.gql(
      `mutation ($input: UpdateAgencyInput!) { updateAgency(input: $input) { id } }`,
      { input: { name: '\u200b\u200b\u200b' } },
      agency.token,
    );
    expect(fieldsOf(agencyRenamed).map((problem) => problem.field)).toEqual(['name']);
    expect(
      await Promise.all([countRows('clients', agency.agencyId), countRows('custom_metrics', agency.agencyId), countRows('custom_kpis', agency.agencyId)]),
    ).toEqual(before);
    const stored = await owner.query<{ name: string }>('SELECT name FROM clients WHERE id = $1', [client.id]);
    expect(stored.rows[0]?.name).toBe('Bad input client');
  });

  it.each([
    ['clients', `query ($after: String) { clients(first: 5, after: $after) { totalCount } }`, {}],
    ['reports', `query ($clientId: ID!, $after: String) { reports(clientId: $clientId, first: 5, after: $after) { totalCount } }`, { withClient: true }],
    [
      'kpiPlanHistory',
      `query ($clientId: ID!, $after: String) { kpiPlanHistory(clientId: $clientId, first: 5, after: $after) { totalCount } }`,
      { withClient: true },
    ],
    [
      'metricImports',
      `query ($clientId: ID!, $after: String) { metricImports(clientId: $clientId, first: 5, after: $after) { totalCount } }`,
      { withClient: true },
    ],
  ])('refuses a malformed cursor on %s as BAD_USER_INPUT naming `after`', async (_query, operation, options) => {
    const malformed = ['garbage', Buffer.from('["2026-02-30T00:00:00.000Z","42"]').toString('base64url'), Buffer.from('{"id":1}').toString('base64url')];
    for (const after of malformed) {
      const response = await api.gql(operation, { after, ...('withClient' in options ? { clientId: client.id } : {}) }, agency.token);
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(fieldsOf(response).map((problem) => problem.field)).toEqual(['after']);
    }
  });

  it('shows a client viewer only the KPIs of their client’s plan, without the agency’s custom formulas', async () => {
    const owner = await newAgency(api, { locale: 'en' });
    await api.gqlOk(CREATE_METRIC, { input: { key: 'showroom_visits', name: 'Showroom visits', unit: 'COUNT', aggregation: 'SUM' } }, owner.token);
    await api.gqlOk(CREATE_KPI, { input: kpiInput({ key: 'secret_sauce', formula: 'orders * 3 / showroom_visits', name: 'Showroom yield' }) }, owner.token);
    await api.gqlOk(CREATE_KPI, { input: kpiInput({ key: 'unplanned_secret', formula: 'orders / showroom_visits' }) }, owner.token);
    const shop = await newClient(api, owner, { name: 'Planned shop' });
    const kickoff = await api.gqlOk<{ startKickoff: { id: string } }>(
      `mutation ($input: StartKickoffInput!) { startKickoff(input: $input) { id } }`,
      { input: { clientId: shop.id, businessModel: 'ECOMMERCE', coreTarget: 'Local shoppers' } },
      owner.token,
    );
    const kickoffId = kickoff.startKickoff.id;
    await api.gqlOk(
      `mutation ($input: SetKickoffObjectivesInput!) { setKickoffObjectives(input: $input) { kickoff { id } } }`,
      { input: { kickoffId, objectiveKeys: ['INCREASE_SALES'] } },
      owner.token,
    );
    await api.gqlOk(
      `mutation ($input: SelectKickoffKpisInput!) { selectKickoffKpis(input: $input) { kickoff { id } } }`,
      {
        input: {
          kickoffId,
          selections: [
            { kpiKey: 'secret_sauce', objectiveKey: 'INCREASE_SALES' },
            { kpiKey: 'average_order_value', objectiveKey: 'INCREASE_SALES' },
          ],
        },
      },
      owner.token,
    );
    await api.gqlOk(`mutation ($id: ID!) { approveKickoff(kickoffId: $id) { id } }`, { id: kickoffId }, owner.token);
    const viewer = await newClientViewer(api, owner, shop.id);

    const CATALOG = `{ kpiCatalog { key name description formula requiredMetrics custom } }`;
    const seen = await api.gqlOk<{ kpiCatalog: Array<{ key: string; name: string; formula: string | null; requiredMetrics: string[]; custom: boolean }> }>(
      CATALOG,
      {},
      viewer.token,
    );
    expect(seen.kpiCatalog.map((kpi) => kpi.key).sort()).toEqual(['average_order_value', 'secret_sauce']);
    expect(seen.kpiCatalog.find((kpi) => kpi.key === 'secret_sauce')).toMatchObject({
      name: 'Showroom yield',
      formula: null,
      requiredMetrics: [],
      custom: true,
    });
    expect(JSON.stringify(seen)).not.toMatch(/showroom_visits|orders \* 3|unplanned_secret/);
    // The agency's staff still see everything.
    const staff = await api.gqlOk<{ kpiCatalog: Array<{ key: string; formula: string | null }> }>(CATALOG, {}, owner.token);
    expect(staff.kpiCatalog.find((kpi) => kpi.key === 'secret_sauce')?.formula).toBe('orders * 3 / showroom_visits');
    expect(staff.kpiCatalog.some((kpi) => kpi.key === 'unplanned_secret')).toBe(true);
  });
});

function kpiInput(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    key: 'nul_kpi',
    name: 'A KPI',
    stage: 'CONVERSION',
    unit: 'PERCENT',
    direction: 'HIGHER_IS_BETTER',
    aggregation: 'LEVEL',
    formula: 'orders / visitors',
    ...overrides,
  };
}
