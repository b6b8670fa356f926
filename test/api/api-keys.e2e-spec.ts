import 'reflect-metadata';
import { createHash, randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { TENANT_ROLE } from '@pilotage/database';
import { ApiKeysService } from '../../apps/api/src/api-keys/api-keys.service';
import { MAX_FAILED_API_KEYS_PER_ADDRESS } from '../../apps/api/src/auth/api-key.authenticator';
import { newAgency, newClient, newClientViewer, TEST_PASSWORD, type TestAgency, type TestClient } from '../support/factories';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import { ownerPool, testDatabase } from '../support/test-database';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

const CREATE = `mutation ($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name prefix scopes clientIds createdBy createdAt expiresAt lastUsedAt revokedAt } } }`;
const LIST = `{ apiKeys(first: 100) { totalCount edges { node { id name prefix scopes clientIds createdBy createdAt expiresAt lastUsedAt revokedAt } } } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;
const RECORD = `mutation ($input: RecordMetricValuesInput!) { recordMetricValues(input: $input) { importId inserted } }`;
const SERIES = `query ($clientId: ID!) { kpiSeries(clientId: $clientId, kpiKeys: ["revenue"], from: "2026-09-01", to: "2026-09-30", grain: MONTH) { kpiKey points { value } } }`;
const CLIENTS = `{ clients(first: 100) { totalCount edges { node { id } } } }`;
/** Every analytics query a key may read with ANALYTICS_READ, on one client. */
const ANALYTICS = [
  SERIES,
  `query ($clientId: ID!) { scorecard(clientId: $clientId, month: "2026-09") { start rows { kpiKey } } }`,
  `query ($clientId: ID!) { weeklyScorecard(clientId: $clientId, weekStart: "2026-09-07") { start rows { kpiKey } } }`,
  `query ($clientId: ID!) { funnel(clientId: $clientId, month: "2026-09") { stages { stage } } }`,
  `query ($clientId: ID!) { weeklyFunnel(clientId: $clientId, weekStart: "2026-09-07") { stages { stage } } }`,
  `query ($clientId: ID!) { client(id: $clientId) { id } }`,
];
const IMPORTS = `query ($clientId: ID!) { metricImports(clientId: $clientId) { edges { node { id kind createdBy apiKeyId } } } }`;

interface ApiKeyNode {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  clientIds: string[] | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface CreatedKey {
  secret: string;
  apiKey: ApiKeyNode;
}

const KEY_FORMAT = /^plk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/;

function firstError(response: GraphqlResponse<unknown>): { code: string | undefined; message: string } {
  const error = response.errors?.[0];
  return { code: error?.extensions?.code, message: error?.message ?? '' };
}

describe(ApiKeysService.name, () => {
  let api: TestApi;
  let owner: Pool;
  let agency: TestAgency;
  let clientA: TestClient;
  let clientB: TestClient;
  let other: TestAgency;
  let otherClient: TestClient;

  async function createKey(input: Record<string, unknown>, token = agency.token): Promise<CreatedKey> {
    return (await api.gqlOk<{ createApiKey: CreatedKey }>(CREATE, { input: { name: 'ETL', ...input } }, token)).createApiKey;
  }

  async function postCsv(clientId: string, csv: string, token: string): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
    const response = await fetch(`${api.baseUrl}/clients/${clientId}/metric-imports?dryRun=false`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv; charset=utf-8', authorization: `Bearer ${token}` },
      body: csv,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, retryAfter: response.headers.get('retry-after') };
  }

  function record(
    clientId: string,
    token: string,
    date = '2026-09-10',
    value = '100',
  ): Promise<GraphqlResponse<{ recordMetricValues: { importId: string; inserted: number } }>> {
    return api.gql(RECORD, { input: { clientId, values: [{ metricKey: 'revenue', date, value, source: 'etl' }] } }, token);
  }

  async function countValues(clientId: string): Promise<number> {
    return (await owner.query<{ n: number }>('SELECT count(*)::int AS n FROM metric_values WHERE client_id = $1', [clientId])).rows[0]?.n ?? -1;
  }

  async function newManager(): Promise<string> {
    const invited = await api.gqlOk<{ inviteUser: { token: string } }>(
      `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`,
      { input: { email: `manager-${randomUUID().slice(0, 8)}@example.com`, displayName: 'Manager', role: 'MANAGER' } },
      agency.token,
    );
    const accepted = await api.gqlOk<{ acceptInvitation: { token: string } }>(
      `mutation ($input: AcceptInvitationInput!) { acceptInvitation(input: $input) { token } }`,
      { input: { token: invited.inviteUser.token, password: TEST_PASSWORD } },
    );
    return accepted.acceptInvitation.token;
  }

  beforeAll(async () => {
    api = await startTestApi();
    owner = ownerPool();
    agency = await newAgency(api);
    clientA = await newClient(api, agency);
    clientB = await newClient(api, agency);
    other = await newAgency(api);
    otherClient = await newClient(api, other);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api?.close();
    await owner?.end();
  }, TEARDOWN_TIMEOUT_MS);

  it('lets only an owner create, list and revoke keys', async () => {
    const managerToken = await newManager();
    const viewer = await newClientViewer(api, agency, clientA.id);
    const key = await createKey({ scopes: ['METRICS_WRITE'] });
    for (const token of [managerToken, viewer.token]) {
      expect(firstError(await api.gql(CREATE, { input: { name: 'x', scopes: ['METRICS_WRITE'] } }, token)).code).toBe('FORBIDDEN');
      expect(firstError(await api.gql(LIST, {}, token)).code).toBe('FORBIDDEN');
      expect(firstError(await api.gql(REVOKE, { id: key.apiKey.id }, token)).code).toBe('FORBIDDEN');
    }
    expect(firstError(await api.gql(LIST)).code).toBe('UNAUTHENTICATED');
    // Still working: the refusals revoked nothing.
    expect((await record(clientA.id, key.secret)).errors).toBeUndefined();
  });

  it('shows the secret once, lists the key without it, and stores only its SHA-256', async () => {
    const created = await createKey({ name: 'n8n sync', scopes: ['METRICS_WRITE', 'ANALYTICS_READ'], clientIds: [clientA.id] });
    expect(created.secret).toMatch(KEY_FORMAT);
    const secretPart = created.secret.slice('plk_0123456789ab_'.length);
    expect(created.apiKey).toMatchObject({
      name: 'n8n sync',
      prefix: created.secret.slice(0, 'plk_0123456789ab'.length),
      scopes: ['METRICS_WRITE', 'ANALYTICS_READ'],
      clientIds: [clientA.id],
      createdBy: agency.userId,
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    const listed = await api.gqlOk<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(LIST, {}, agency.token);
    expect(listed.apiKeys.edges.map((edge) => edge.node)).toContainEqual(created.apiKey);
    const listing = JSON.stringify(listed);
    expect(listing).not.toContain(secretPart);

    // As the database holds it: the hash of the secret, never the secret.
    const { rows } = await owner.query<{ row: string; secret_hash: string }>(`SELECT row_to_json(k)::text AS row, secret_hash FROM api_keys k WHERE id = $1`, [
      created.apiKey.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.row).not.toContain(secretPart);
    expect(rows[0]?.secret_hash).not.toBe(secretPart);
    expect(rows[0]?.secret_hash).toBe(createHash('sha256').update(secretPart).digest('hex'));
    expect(listing).not.toContain(rows[0]?.secret_hash ?? '?');
    const audit = await owner.query<{ data: string }>(`SELECT data::text AS data FROM audit_log WHERE entity_id = $1 AND action = 'api_key.created'`, [
      created.apiKey.id,
    ]);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]?.data).not.toContain(secretPart);
  });

  it('imports a CSV and records values with a METRICS_WRITE key, audited with the key, and records its last use', async () => {
    const key = await createKey({ scopes: ['METRICS_WRITE'] });
    const csv = 'date,metric,value,source\n2026-09-01,revenue,120.50,shop\n2026-09-02,revenue,79.50,shop\n';
    const imported = await postCsv(clientA.id, csv, key.secret);
    expect({ status: imported.status, importStatus: imported.body.status, rows: imported.body.rows }).toEqual({
      status: 200,
      importStatus: 'COMMITTED',
      rows: 2,
    });
    const recorded = await record(clientA.id, key.secret, '2026-09-03', '50');
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data?.recordMetricValues.inserted).toBe(1);

    const stored = await owner.query<{ date: string; value: string; entered_by: string | null }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, value::text AS value, entered_by FROM metric_values
        WHERE client_id = $1 AND metric_key = 'revenue' AND date BETWEEN '2026-09-01' AND '2026-09-03' ORDER BY date`,
      [clientA.id],
    );
    expect(stored.rows.map((row) => [row.date, Number(row.value), row.entered_by])).toEqual([
      ['2026-09-01', 120.5, null],
      ['2026-09-02', 79.5, null],
      ['2026-09-03', 50, null],
    ]);
    const importIds = [String(imported.body.importId), recorded.data?.recordMetricValues.importId];
    const audit = await owner.query<{ entity_id: string; actor_user_id: string | null; api_key_id: string | null }>(
      `SELECT entity_id, actor_user_id, api_key_id FROM audit_log WHERE action = 'metric_values.imported' AND entity_id = ANY($1::uuid[]) ORDER BY created_at`,
      [importIds],
    );
    expect(audit.rows).toEqual(importIds.map((id) => ({ entity_id: id, actor_user_id: null, api_key_id: key.apiKey.id })));
    const imports = await api.gqlOk<{
      metricImports: { edges: Array<{ node: { id: string; kind: string; createdBy: string | null; apiKeyId: string | null } }> };
    }>(IMPORTS, { clientId: clientA.id }, agency.token);
    const byKey = imports.metricImports.edges.map((edge) => edge.node).filter((node) => importIds.includes(node.id));
    expect(byKey.map((node) => ({ kind: node.kind, createdBy: node.createdBy, apiKeyId: node.apiKeyId })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual(
      [
        { kind: 'API', createdBy: null, apiKeyId: key.apiKey.id },
        { kind: 'CSV', createdBy: null, apiKeyId: key.apiKey.id },
      ],
    );

    const listed = await api.gqlOk<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(LIST, {}, agency.token);
    const lastUsedAt = listed.apiKeys.edges.find((edge) => edge.node.id === key.apiKey.id)?.node.lastUsedAt;
    expect(lastUsedAt).not.toBeNull();
    expect(Date.now() - new Date(lastUsedAt ?? 0).getTime()).toBeLessThan(60_000);
  });

  it('records the last use once a minute at most, not once a request', async () => {
    const key = await createKey({ scopes: ['ANALYTICS_READ'] });
    await api.gqlOk(CLIENTS, {}, key.secret);
    const first = await owner.query<{ last_used_at: Date }>(`SELECT last_used_at FROM api_keys WHERE id = $1`, [key.apiKey.id]);
    // Pushed back by the test: a write per request would move it to now again.
    await owner.query(`UPDATE api_keys SET last_used_at = last_used_at - interval '30 seconds' WHERE id = $1`, [key.apiKey.id]);
    for (let i = 0; i < 3; i += 1) await api.gqlOk(CLIENTS, {}, key.secret);
    const after = await owner.query<{ last_used_at: Date }>(`SELECT last_used_at FROM api_keys WHERE id = $1`, [key.apiKey.id]);
    expect(after.rows[0]?.last_used_at.getTime()).toBe((first.rows[0]?.last_used_at.getTime() ?? 0) - 30_000);
  });

  it('keeps a key to its clients: another client of the agency is NOT_FOUND, as a client that does not exist', async () => {
    const key = await createKey({ scopes: ['METRICS_WRITE', 'ANALYTICS_READ'], clientIds: [clientA.id] });
    const before = await countValues(clientB.id);
    const onB = firstError(await record(clientB.id, key.secret));
    const missingId = randomUUID();
    const onMissing = firstError(await record(missingId, key.secret));
    expect(onB).toEqual({ code: 'NOT_FOUND', message: onMissing.message.replace(missingId, clientB.id) });
    expect((await postCsv(clientB.id, 'date,metric,value\n2026-09-01,revenue,1\n', key.secret)).status).toBe(404);
    for (const query of ANALYTICS) {
      expect({ query, code: firstError(await api.gql(query, { clientId: clientB.id }, key.secret)).code }).toEqual({ query, code: 'NOT_FOUND' });
    }
    expect(firstError(await api.gql(`query ($id: ID!) { client(id: $id) { id } }`, { id: clientB.id }, key.secret)).code).toBe('NOT_FOUND');
    expect(await countValues(clientB.id)).toBe(before);
    // Its own client works, and the list holds it alone.
    expect((await record(clientA.id, key.secret, '2026-09-20', '10')).errors).toBeUndefined();
    const clients = await api.gqlOk<{ clients: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(CLIENTS, {}, key.secret);
    expect(clients.clients.edges.map((edge) => edge.node.id)).toEqual([clientA.id]);
    expect(clients.clients.totalCount).toBe(1);
  });

  it('gives each scope its operations only', async () => {
    const writer = await createKey({ scopes: ['METRICS_WRITE'] });
    const reader = await createKey({ scopes: ['ANALYTICS_READ'] });
    // A writer cannot read analytics nor list clients.
    for (const query of [...ANALYTICS, CLIENTS]) {
      expect({ query, code: firstError(await api.gql(query, { clientId: clientA.id }, writer.secret)).code }).toEqual({ query, code: 'FORBIDDEN' });
      expect({ query, errors: (await api.gql(query, { clientId: clientA.id }, reader.secret)).errors }).toEqual({ query, errors: undefined });
    }
    // A reader reads, and cannot write by either way in.
    const series = await api.gqlOk<{ kpiSeries: Array<{ kpiKey: string; points: Array<{ value: number | null }> }> }>(
      SERIES,
      { clientId: clientA.id },
      reader.secret,
    );
    expect(series.kpiSeries[0]?.kpiKey).toBe('revenue');
    const readerClients = await api.gqlOk<{ clients: { edges: Array<{ node: { id: string } }> } }>(CLIENTS, {}, reader.secret);
    expect(readerClients.clients.edges.map((edge) => edge.node.id).sort()).toEqual([clientA.id, clientB.id].sort());
    const before = await countValues(clientB.id);
    expect(firstError(await record(clientB.id, reader.secret)).code).toBe('FORBIDDEN');
    const csv = await postCsv(clientB.id, 'date,metric,value\n2026-09-01,revenue,1\n', reader.secret);
    expect({ status: csv.status, code: csv.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await countValues(clientB.id)).toBe(before);
  });

  it('lets no key run what a person does: accounts, clients, keys, plans, reports', async () => {
    const key = await createKey({ scopes: ['METRICS_WRITE', 'ANALYTICS_READ'] });
    const operations: Array<[string, string, Record<string, unknown>]> = [
      ['me', `{ me { user { id } } }`, {}],
      ['users', `{ users { id } }`, {}],
      ['apiKeys', LIST, {}],
      ['createApiKey', CREATE, { input: { name: 'child', scopes: ['METRICS_WRITE'] } }],
      ['revokeApiKey', REVOKE, { id: key.apiKey.id }],
      ['createClient', `mutation { createClient(input: { name: "Mallory", businessModel: ECOMMERCE }) { id } }`, {}],
      ['archiveClient', `mutation ($id: ID!) { archiveClient(id: $id) { id } }`, { id: clientA.id }],
      ['inviteUser', `mutation { inviteUser(input: { email: "m@example.com", displayName: "M", role: OWNER }) { token } }`, {}],
      ['updateAgency', `mutation { updateAgency(input: { name: "Taken" }) { id } }`, {}],
      [
        'startKickoff',
        `mutation ($c: ID!) { startKickoff(input: { clientId: $c, businessModel: ECOMMERCE, traits: [], channels: [], coreTarget: "x" }) { id } }`,
        { c: clientA.id },
      ],
      ['metricImports', IMPORTS, { clientId: clientA.id }],
      ['reports', `query ($c: ID!) { reports(clientId: $c) { totalCount } }`, { c: clientA.id }],
      ['changePassword', `mutation { changePassword(input: { currentPassword: "a long enough password", password: "another long password" }) }`, {}],
    ];
    const refusals = await Promise.all(
      operations.map(async ([name, query, variables]) => ({ name, code: firstError(await api.gql(query, variables, key.secret)).code })),
    );
    expect(refusals).toEqual(operations.map(([name]) => ({ name, code: 'FORBIDDEN' })));
    const created = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM clients WHERE agency_id = $1 AND name = 'Mallory'`, [agency.agencyId]);
    expect(created.rows[0]?.n).toBe(0);
    const keys = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE agency_id = $1 AND name = 'child'`, [agency.agencyId]);
    expect(keys.rows[0]?.n).toBe(0);
  });

  it("keeps another agency's key out of this agency's clients, telling nothing of their existence", async () => {
    const foreign = await createKey({ scopes: ['METRICS_WRITE', 'ANALYTICS_READ'] }, other.token);
    const before = await countValues(clientA.id);
    const missingId = randomUUID();
    const onA = firstError(await record(clientA.id, foreign.secret));
    const onMissing = firstError(await record(missingId, foreign.secret));
    expect(onA).toEqual({ code: 'NOT_FOUND', message: onMissing.message.replace(missingId, clientA.id) });
    for (const query of ANALYTICS) {
      const readA = firstError(await api.gql(query, { clientId: clientA.id }, foreign.secret));
      const readMissing = firstError(await api.gql(query, { clientId: missingId }, foreign.secret));
      expect({ query, ...readA }).toEqual({ query, code: 'NOT_FOUND', message: readMissing.message.replace(missingId, clientA.id) });
    }
    const csvA = await postCsv(clientA.id, 'date,metric,value\n2026-09-01,revenue,1\n', foreign.secret);
    const csvMissing = await postCsv(missingId, 'date,metric,value\n2026-09-01,revenue,1\n', foreign.secret);
    expect({ status: csvA.status, message: csvA.body.message }).toEqual({
      status: 404,
      message: String(csvMissing.body.message).replace(missingId, clientA.id),
    });
    expect(await countValues(clientA.id)).toBe(before);
    const clients = await api.gqlOk<{ clients: { edges: Array<{ node: { id: string } }> } }>(CLIENTS, {}, foreign.secret);
    expect(clients.clients.edges.map((edge) => edge.node.id)).toEqual([otherClient.id]);
  });

  it("keeps each agency's keys to itself: not listed, not revocable, not readable through the database by another", async () => {
    const mine = await createKey({ scopes: ['METRICS_WRITE'] });
    const theirs = await api.gqlOk<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(LIST, {}, other.token);
    expect(theirs.apiKeys.edges.map((edge) => edge.node.id)).not.toContain(mine.apiKey.id);
    expect(firstError(await api.gql(REVOKE, { id: mine.apiKey.id }, other.token)).code).toBe('NOT_FOUND');
    expect((await record(clientA.id, mine.secret, '2026-09-21', '1')).errors).toBeUndefined();

    // The application's role, as TenantDatabase runs it: the other agency set, or none.
    const client = new Client({ connectionString: testDatabase().appUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.agency_id', $1, true), set_config('role', $2, true)`, [other.agencyId, TENANT_ROLE]);
      const seen = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE agency_id = $1`, [agency.agencyId]);
      const changed = await client.query(`UPDATE api_keys SET revoked_at = now() WHERE id = $1`, [mine.apiKey.id]);
      expect({ seen: seen.rows[0]?.n, changed: changed.rowCount }).toEqual({ seen: 0, changed: 0 });
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query(`SELECT set_config('role', $1, true)`, [TENANT_ROLE]);
      const anonymous = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys`);
      expect(anonymous.rows[0]?.n).toBe(0);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    expect((await record(clientA.id, mine.secret, '2026-09-22', '1')).errors).toBeUndefined();
  });

  it('finds a key before any tenant is known only by its exact public id, and only for the tenant role', async () => {
    const key = await createKey({ scopes: ['ANALYTICS_READ'] });
    const publicId = key.apiKey.prefix.slice('plk_'.length);
    const { appUrl, queueUrl } = testDatabase();
    const asTenant = new Client({ connectionString: appUrl });
    await asTenant.connect();
    try {
      await asTenant.query('BEGIN');
      await asTenant.query(`SELECT set_config('role', $1, true)`, [TENANT_ROLE]);
      const exact = await asTenant.query<{ id: string; agency_id: string }>(`SELECT id, agency_id FROM api_key_by_public_id($1)`, [publicId]);
      expect(exact.rows).toEqual([{ id: key.apiKey.id, agency_id: agency.agencyId }]);
      for (const pattern of ['%', publicId.slice(0, 6), `${publicId.slice(0, 11)}_`, '']) {
        const rows = await asTenant.query(`SELECT id FROM api_key_by_public_id($1)`, [pattern]);
        expect({ pattern, rows: rows.rowCount }).toEqual({ pattern, rows: 0 });
      }
      await asTenant.query('ROLLBACK');
    } finally {
      await asTenant.end();
    }
    // The worker's queue role may not call it (functions are executable by PUBLIC by default).
    const asQueue = new Client({ connectionString: queueUrl });
    await asQueue.connect();
    try {
      const code = await asQueue.query(`SELECT id FROM api_key_by_public_id($1)`, [publicId]).then(
        () => null,
        (error: unknown) => (typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown'),
      );
      expect(code).toBe('42501');
    } finally {
      await asQueue.end();
    }
  });

  it('refuses a revoked key on the very next request, with the same answer as an unknown or malformed key', async () => {
    const key = await createKey({ scopes: ['METRICS_WRITE', 'ANALYTICS_READ'] });
    expect((await api.gql(CLIENTS, {}, key.secret)).errors).toBeUndefined();
    const revoked = await api.gqlOk<{ revokeApiKey: { id: string; revokedAt: string | null } }>(REVOKE, { id: key.apiKey.id }, agency.token);
    expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
    const afterRevocation = firstError(await api.gql(CLIENTS, {}, key.secret));
    expect(afterRevocation.code).toBe('UNAUTHENTICATED');
    const csv = await postCsv(clientA.id, 'date,metric,value\n2026-09-01,revenue,1\n', key.secret);
    expect({ status: csv.status, code: csv.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });

    const publicPart = key.secret.slice(0, 'plk_0123456789ab_'.length);
    const tokens = {
      unknown: `plk_${'0'.repeat(12)}_${'A'.repeat(43)}`,
      wrongSecret: `${publicPart}${'B'.repeat(43)}`,
      malformed: 'plk_nope',
      truncated: key.secret.slice(0, -1),
    };
    for (const [label, token] of Object.entries(tokens)) {
      expect({ label, ...firstError(await api.gql(CLIENTS, {}, token)) }).toEqual({ label, ...afterRevocation });
    }
  });

  it('refuses an expired key, and a key created already expired', async () => {
    const key = await createKey({ scopes: ['ANALYTICS_READ'], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(key.apiKey.expiresAt).not.toBeNull();
    expect((await api.gql(CLIENTS, {}, key.secret)).errors).toBeUndefined();
    await owner.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [key.apiKey.id]);
    expect(firstError(await api.gql(CLIENTS, {}, key.secret)).code).toBe('UNAUTHENTICATED');
    const past = await api.gql(
      CREATE,
      { input: { name: 'old', scopes: ['ANALYTICS_READ'], expiresAt: new Date(Date.now() - 1000).toISOString() } },
      agency.token,
    );
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'expiresAt', message: 'must be in the future' }] });
  });

  it('names the field of each bad input and writes nothing', async () => {
    const before = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE agency_id = $1`, [agency.agencyId]);
    const blank = await api.gql(CREATE, { input: { name: '', scopes: ['METRICS_WRITE'] } }, agency.token);
    expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(blank.errors?.[0]?.message).toMatch(/name/);
    const spaces = await api.gql(CREATE, { input: { name: '   ', scopes: ['METRICS_WRITE'] } }, agency.token);
    expect(spaces.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(spaces.errors?.[0]?.message).toMatch(/name/);
    const noScope = await api.gql(CREATE, { input: { name: 'x', scopes: [] } }, agency.token);
    expect(noScope.errors?.[0]?.message).toMatch(/scopes/);
    const unknownScope = await api.gql(CREATE, { input: { name: 'x', scopes: ['DELETE_EVERYTHING'] } }, agency.token);
    expect(unknownScope.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknownScope.errors?.[0]?.message).toMatch(/scopes.*DELETE_EVERYTHING|DELETE_EVERYTHING.*scopes/);
    const archived = await newClient(api, agency);
    await api.gqlOk(`mutation ($id: ID!) { archiveClient(id: $id) { id } }`, { id: archived.id }, agency.token);
    const missingId = randomUUID();
    const badClients = await api.gql(
      CREATE,
      { input: { name: 'x', scopes: ['METRICS_WRITE'], clientIds: [clientA.id, missingId, otherClient.id, archived.id] } },
      agency.token,
    );
    expect(badClients.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'clientIds.1', message: `no client ${missingId} in this agency` },
        // Another agency's client is reported exactly as one that does not exist.
        { field: 'clientIds.2', message: `no client ${otherClient.id} in this agency` },
        { field: 'clientIds.3', message: expect.stringContaining('archived') },
      ],
    });
    const notAnId = await api.gql(CREATE, { input: { name: 'x', scopes: ['METRICS_WRITE'], clientIds: ['nope'] } }, agency.token);
    expect(notAnId.errors?.[0]?.message).toMatch(/clientIds/);
    const after = await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE agency_id = $1`, [agency.agencyId]);
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});

describe('API key limits', () => {
  let api: TestApi;
  let agency: TestAgency;
  let client: TestClient;

  beforeAll(async () => {
    api = await startTestApi({ API_KEY_REQUESTS_PER_MINUTE: '3', API_KEYS_PER_AGENCY: '2' });
    agency = await newAgency(api);
    client = await newClient(api, agency);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await api?.close();
  }, TEARDOWN_TIMEOUT_MS);

  async function create(name: string): Promise<GraphqlResponse<{ createApiKey: CreatedKey }>> {
    return api.gql<{ createApiKey: CreatedKey }>(CREATE, { input: { name, scopes: ['METRICS_WRITE', 'ANALYTICS_READ'] } }, agency.token);
  }

  it('answers 429 TOO_MANY_REQUESTS with Retry-After past a key’s budget, on GraphQL and the import endpoint, other keys unaffected', async () => {
    const first = (await create('busy')).data?.createApiKey;
    const second = (await create('quiet')).data?.createApiKey;
    if (!first || !second) throw new Error('keys not created');
    for (let i = 0; i < 3; i += 1) expect((await api.gql(CLIENTS, {}, first.secret)).errors).toBeUndefined();
    const response = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${first.secret}` },
      body: JSON.stringify({ query: CLIENTS }),
    });
    const body = (await response.json()) as GraphqlResponse<unknown>;
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    const csv = await fetch(`${api.baseUrl}/clients/${client.id}/metric-imports?dryRun=false`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${first.secret}` },
      body: 'date,metric,value\n2026-09-01,revenue,1\n',
    });
    expect({ status: csv.status, code: ((await csv.json()) as { code?: string }).code, retryAfter: Number(csv.headers.get('retry-after')) >= 1 }).toEqual({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      retryAfter: true,
    });
    const values = await api.gql(`{ clients { totalCount } }`, {}, second.secret);
    expect(values.errors).toBeUndefined();
    // The owner is not an API key: untouched by the keys' budgets.
    expect((await api.gql(CLIENTS, {}, agency.token)).errors).toBeUndefined();
  });

  it('caps the active keys of an agency; a revoked key frees its place', async () => {
    const listed = await api.gqlOk<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(LIST, {}, agency.token);
    const active = listed.apiKeys.edges.filter((edge) => edge.node.revokedAt === null);
    for (let i = active.length; i < 2; i += 1) expect((await create(`fill ${i}`)).errors).toBeUndefined();
    const over = await create('one too many');
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'API_KEY_LIMIT', maximum: 2 });
    const victim = (await api.gqlOk<{ apiKeys: { edges: Array<{ node: ApiKeyNode }> } }>(LIST, {}, agency.token)).apiKeys.edges.find(
      (edge) => edge.node.revokedAt === null,
    );
    await api.gqlOk(REVOKE, { id: victim?.node.id }, agency.token);
    expect((await create('in its place')).errors).toBeUndefined();
  });

  // Last of its app: it leaves the test's address refused for a minute.
  it('refuses key requests from an address that presented too many keys that do not work, before looking them up', async () => {
    const bogus = (i: number): string => `plk_${i.toString(16).padStart(12, '0')}_${'A'.repeat(43)}`;
    const codes = new Set<string | undefined>();
    for (let i = 0; i < MAX_FAILED_API_KEYS_PER_ADDRESS; i += 1) codes.add(firstError(await api.gql(CLIENTS, {}, bogus(i))).code);
    expect([...codes]).toEqual(['UNAUTHENTICATED']);
    const response = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bogus(9999)}` },
      body: JSON.stringify({ query: CLIENTS }),
    });
    const body = (await response.json()) as GraphqlResponse<unknown>;
    expect({ status: response.status, code: body.errors?.[0]?.extensions?.code, limit: body.errors?.[0]?.extensions?.limit }).toEqual({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      limit: 'API_KEY_FAILURES_PER_ADDRESS',
    });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // People signed in from the same address are not API keys: untouched.
    expect((await api.gql(CLIENTS, {}, agency.token)).errors).toBeUndefined();
  });
});
