import { TenantDatabase } from '@pilotage/database';
import { ErrorCode, LimitExceededError } from '@pilotage/common';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import { seedFrenchShop, SHOP_KPIS, type SeededShop } from '../reports/report-fixtures';
import { APP_BOOT_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

/** The hostile queries of issue #11 and the bounds that now refuse them before anything runs. */
const STATEMENT_TIMEOUT_MS = 1500;
const HEAVY_CONCURRENCY = 2;

/** 50 KPI keys, as the attack sent (the plan's keys repeated: a series may ask for a KPI twice). */
const FIFTY_KEYS = Array.from({ length: 50 }, (_, index) => SHOP_KPIS[index % SHOP_KPIS.length].kpiKey);

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: GraphqlResponse<Record<string, unknown>>;
  readonly ms: number;
}

function aliased(count: number, field: (index: number) => string): string {
  return `query { ${Array.from({ length: count }, (_, index) => `a${index}: ${field(index)}`).join(' ')} }`;
}

describe('bounded work per request', () => {
  let api: TestApi;
  let shop: SeededShop;

  /** POST /graphql keeping the HTTP status and Retry-After, which the shared helper drops. */
  async function post(query: string, token: string, variables: Record<string, unknown> = {}): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphqlResponse<Record<string, unknown>>;
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body, ms: performance.now() - started };
  }

  const series = (clientId: string, from: string, to: string, grain: string, keys: readonly string[]): string =>
    `kpiSeries(clientId: "${clientId}", grain: ${grain}, from: "${from}", to: "${to}", kpiKeys: ${JSON.stringify(keys)}) { kpiKey points { start value } }`;

  beforeAll(async () => {
    api = await startTestApi({ STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), HEAVY_OPERATIONS_CONCURRENCY: String(HEAVY_CONCURRENCY) });
    shop = await seedFrenchShop(api);
  }, REPORT_SETUP_TIMEOUT_MS);

  afterAll(() => api.close(), TEARDOWN_TIMEOUT_MS);

  it('refuses 40 aliases of a ten-year daily kpiSeries, and any series aliased past the cost limit, with the code and the figures', async () => {
    const attack = await post(
      aliased(40, () => series(shop.clientId, '2017-01-01', '2027-01-07', 'DAY', FIFTY_KEYS)),
      shop.agency.token,
    );
    expect(attack.status).toBe(400);
    expect(attack.body.data).toBeUndefined();
    expect(attack.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_ALIASES', aliases: 40, maximum: 20 } })]);

    // Within the alias and per-series ceilings (a year of days, 50 KPIs each): five of them cost 5 × 50 × 366.
    const costly = await post(
      aliased(5, () => series(shop.clientId, '2025-11-01', '2026-10-31', 'DAY', FIFTY_KEYS)),
      shop.agency.token,
    );
    expect(costly.status).toBe(400);
    expect(costly.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COSTLY', cost: expect.any(Number) as number, maximum: 10_000 } }),
    ]);
    const cost = costly.body.errors?.[0].extensions?.cost;
    expect(cost).toBeGreaterThanOrEqual(5 * 50 * 365);
    expect(cost).toBeLessThan(5 * 50 * 366 + 100);
    expect(Math.max(attack.ms, costly.ms)).toBeLessThan(2_000);
  });

  it('refuses 1,000 aliases of scorecard, and more scorecards in one operation than its cost allows', async () => {
    // Variables keep 1,000 aliases under the JSON body limit, as the attack did.
    const scorecard = `scorecard(clientId: $c, month: $m) { rows { kpiKey value } }`;
    const operation = (count: number): string => aliased(count, () => scorecard).replace(/^query/, 'query ($c: ID!, $m: String!)');
    const variables = { c: shop.clientId, m: '2026-10' };
    const thousand = await post(operation(1000), shop.agency.token, variables);
    expect(thousand.status).toBe(400);
    expect(thousand.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_ALIASES', aliases: 1000, maximum: 20 } })]);

    const six = await post(operation(6), shop.agency.token, variables);
    expect(six.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY', maximum: 10_000 }) as unknown }),
    ]);
    expect(six.body.errors?.[0].extensions?.cost).toBeGreaterThanOrEqual(6 * 2_000);
  });

  it('refuses 100 aliases of reportPreview, and even two previews in one operation', async () => {
    const preview = `reportPreview(clientId: "${shop.clientId}", month: "2026-10") { pngBase64 }`;
    const hundred = await post(
      aliased(100, () => preview),
      shop.agency.token,
    );
    expect(hundred.status).toBe(400);
    expect(hundred.body.errors?.[0].extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', maximum: 20 });

    const two = await post(
      aliased(2, () => preview),
      shop.agency.token,
    );
    expect(two.status).toBe(400);
    expect(two.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maximum: 10_000 });
    expect(two.body.errors?.[0].extensions?.cost).toBeGreaterThan(10_000);
  });

  it('refuses a series over its span or KPI ceiling with BAD_USER_INPUT naming the argument', async () => {
    const span = await post(`query { ${series(shop.clientId, '2017-01-01', '2027-01-07', 'DAY', ['revenue'])} }`, shop.agency.token);
    expect(span.status).toBe(400);
    expect(span.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^kpiSeries\(to\): a DAY series holds at most 366 periods/) as unknown,
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'to', maximum: 366, requested: 3659 }) as unknown,
      }),
    ]);
    const weeks = await post(`query { ${series(shop.clientId, '2020-01-01', '2026-12-31', 'WEEK', ['revenue'])} }`, shop.agency.token);
    expect(weeks.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to', maximum: 157 });

    const keys = await post(`query { ${series(shop.clientId, '2026-01-01', '2026-10-31', 'MONTH', [...FIFTY_KEYS, 'revenue'])} }`, shop.agency.token);
    expect(keys.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'kpiKeys', maximum: 50, requested: 51 }) as unknown }),
    ]);
  });

  it('holds every statement of a tenant transaction to the statement_timeout, and says so', async () => {
    const db = api.app.get(TenantDatabase);
    const tenant = { agencyId: shop.agency.agencyId, userId: shop.agency.userId, role: 'OWNER' as const, clientId: null };
    const shown = await db.runFor(tenant, (manager) => manager.query<Array<{ statement_timeout: string }>>('SHOW statement_timeout'));
    expect(shown).toEqual([{ statement_timeout: '1500ms' }]);

    const started = performance.now();
    const sleeping = db.runFor(tenant, (manager) => manager.query('SELECT pg_sleep(30)'));
    await expect(sleeping).rejects.toThrow(LimitExceededError);
    await expect(sleeping).rejects.toMatchObject({ code: ErrorCode.QUERY_TIMEOUT, details: { timeoutMs: STATEMENT_TIMEOUT_MS } });
    expect(performance.now() - started).toBeLessThan(STATEMENT_TIMEOUT_MS + 5_000);
  });

  it(
    'refuses the third concurrent heavy operation of an agency with TOO_MANY_REQUESTS and a retry delay, while another agency is unaffected',
    async () => {
      const other = await seedFrenchShop(api, { clientName: 'Autre boutique' });
      const preview = (clientId: string): string => `query { reportPreview(clientId: "${clientId}", month: "2026-10") { pngBase64 } }`;
      const [answers, otherAnswer] = await Promise.all([
        Promise.all(Array.from({ length: HEAVY_CONCURRENCY + 1 }, () => post(preview(shop.clientId), shop.agency.token))),
        post(preview(other.clientId), other.agency.token),
      ]);
      const refused = answers.filter((answer) => answer.body.errors);
      expect(answers.filter((answer) => answer.body.data?.reportPreview)).toHaveLength(HEAVY_CONCURRENCY);
      expect(refused).toHaveLength(1);
      expect(refused[0].status).toBe(429);
      expect(refused[0].retryAfter).toBe('1');
      expect(refused[0].body.errors?.[0].extensions).toEqual({
        code: 'TOO_MANY_REQUESTS',
        limit: 'HEAVY_OPERATIONS_CONCURRENCY',
        maximum: HEAVY_CONCURRENCY,
        retryAfterSeconds: 1,
      });
      expect(otherAnswer.body.errors).toBeUndefined();
      expect(otherAnswer.body.data?.reportPreview).toEqual({ pngBase64: expect.any(String) as unknown });

      // The slots come back with the answers: the agency previews again.
      const again = await post(preview(shop.clientId), shop.agency.token);
      expect(again.body.errors).toBeUndefined();
    },
    RENDER_TEST_TIMEOUT_MS,
  );

  it('answers a full scorecard, a year of daily series and two years of months for a whole plan, as front-ends ask for them', async () => {
    const keys = SHOP_KPIS.map((kpi) => kpi.kpiKey);
    const answer = await post(
      `query ($clientId: ID!, $keys: [String!]!) {
        scorecard(clientId: $clientId, month: "2026-10") { start rows { kpiKey value target status mom { value } yoy { value } series { start value } } }
        funnel(clientId: $clientId, month: "2026-10") { stages { stage value } }
        days: kpiSeries(clientId: $clientId, kpiKeys: $keys, from: "2025-11-01", to: "2026-10-31", grain: DAY) { kpiKey points { start value } }
        months: kpiSeries(clientId: $clientId, kpiKeys: $keys, from: "2024-11-01", to: "2026-10-31", grain: MONTH) { kpiKey points { start value target } }
      }`,
      shop.agency.token,
      { clientId: shop.clientId, keys },
    );
    expect(answer.body.errors).toBeUndefined();
    const data = answer.body.data as {
      scorecard: { rows: unknown[] };
      days: Array<{ points: unknown[] }>;
      months: Array<{ points: unknown[] }>;
    };
    expect(data.scorecard.rows).toHaveLength(SHOP_KPIS.length);
    expect(data.days).toHaveLength(keys.length);
    expect(data.days[0].points).toHaveLength(365);
    expect(data.months[0].points).toHaveLength(24);
  });

  it(
    'refuses a response larger than RESPONSE_MAX_BYTES with RESPONSE_TOO_LARGE instead of building it',
    async () => {
      // Same database and token secret: the shop's figures, through an API with a 64 KiB cap.
      const small = await startTestApi({ RESPONSE_MAX_BYTES: '65536' });
      try {
        const keys = SHOP_KPIS.map((kpi) => kpi.kpiKey);
        const response = await fetch(`${small.baseUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${shop.agency.token}` },
          body: JSON.stringify({ query: `query { ${series(shop.clientId, '2025-11-01', '2026-10-31', 'DAY', keys)} }` }),
        });
        const text = await response.text();
        expect(text.length).toBeLessThan(1_000);
        expect(JSON.parse(text)).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'RESPONSE_TOO_LARGE', maximum: 65_536 } })] });
      } finally {
        await small.close();
      }
    },
    APP_BOOT_TIMEOUT_MS + TEARDOWN_TIMEOUT_MS,
  );
});
