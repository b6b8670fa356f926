import { newAgency } from '../support/factories';
import { startTestApi, type TestApi } from '../support/test-api';
import { APP_BOOT_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

describe('GraphQL transport hygiene', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(() => api.close(), TEARDOWN_TIMEOUT_MS);

  it('reports the database in /health', async () => {
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up' });
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('echoes or creates a request id', async () => {
    const echoed = await fetch(`${api.baseUrl}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('abc-123');
    const created = await fetch(`${api.baseUrl}/health`);
    expect(created.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses batched requests', async () => {
    const response = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('prevents CSRF: a simple cross-site GET or form POST is refused', async () => {
    const get = await fetch(`${api.baseUrl}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/i);
    const form = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(form.status).toBe(400);
  });

  it('refuses queries whose estimated cost is too high', async () => {
    const agency = await newAgency(api);
    // Within the alias limit (issue #11): 15 pages of 100 clients, each weighing its page size.
    const aliases = Array.from(
      { length: 15 },
      (_, i) => `c${i}: clients(first: 100) { totalCount pageInfo { hasNextPage } edges { cursor node { id name } } }`,
    ).join('\n');
    const response = await api.gql(`{ ${aliases} }`, {}, agency.token);
    expect(response.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 12_000, maximum: 5_000 });
  });

  it('does not include stack traces in errors', async () => {
    const response = await api.gql(`{ client(id: "00000000-0000-0000-0000-000000000000") { id } }`, {}, (await newAgency(api)).token);
    expect(response.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(response)).not.toMatch(/stacktrace|at \//);
  });

  it(
    'turns introspection off in production',
    async () => {
      const production = await startTestApi({
        NODE_ENV: 'production',
        DOWNLOAD_URL_SECRET: 'another-secret-another-secret-0123456789',
      });
      try {
        const response = await production.gql(`{ __schema { queryType { name } } }`);
        expect(response.errors?.[0].message).toMatch(/introspection/i);
        const development = await api.gql<{ __schema: { queryType: { name: string } } }>(`{ __schema { queryType { name } } }`);
        expect(development.data?.__schema.queryType.name).toBe('Query');
      } finally {
        await production.close();
      }
    },
    APP_BOOT_TIMEOUT_MS + TEARDOWN_TIMEOUT_MS,
  );
});
