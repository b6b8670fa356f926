import { TenantDatabase } from '@pilotage/database';
import { ErrorCode, LimitExceededError } from '@pilotage/common';
import { startTestApi, type GraphqlResponse, type TestApi } from '../support/test-api';
import { seedFrenchShop, SHOP_KPIS, type SeededShop } from '../reports/report-fixtures';
import { APP_BOOT_TIMEOUT_MS, REPORT_SETUP_TIMEOUT_MS, RENDER_TEST_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from '../support/timeouts';

/** The hostile queries of issue #11 and the bounds that now refuse them before anything runs. */
const STATEMENT_TIMEOUT_MS = 1500;
const HEAVY_CONCURRENCY = 2;
/** Above the agencies' limit, so that one agency's refusal is its own limit's. */
const HEAVY_PROCESS_CONCURRENCY = 4;
/** MAX_OPERATION_COST (apps/api/src/common/query-limits/query-cost.ts). */
const MAX_COST = 5_000;

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

/** Each shop's agency asks the API at `baseUrl` for its client's preview, all at the same instant. */
async function previewsAtOnce(
  baseUrl: string,
  shops: readonly SeededShop[],
): Promise<{ responses: Response[]; bodies: Array<GraphqlResponse<Record<string, unknown>>> }> {
  const responses = await Promise.all(
    shops.map((seeded) =>
      fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${seeded.agency.token}` },
        body: JSON.stringify({ query: `query { reportPreview(clientId: "${seeded.clientId}", month: "2026-10") { pngBase64 } }` }),
      }),
    ),
  );
  const bodies = (await Promise.all(responses.map((response) => response.json()))) as Array<GraphqlResponse<Record<string, unknown>>>;
  return { responses, bodies };
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
    api = await startTestApi({
      STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      HEAVY_OPERATIONS_CONCURRENCY: String(HEAVY_CONCURRENCY),
      HEAVY_OPERATIONS_PROCESS_CONCURRENCY: String(HEAVY_PROCESS_CONCURRENCY),
    });
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
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COSTLY', cost: expect.any(Number) as number, maximum: MAX_COST } }),
    ]);
    const cost = costly.body.errors?.[0].extensions?.cost;
    expect(cost).toBeGreaterThanOrEqual(5 * 50 * 365);
    expect(cost).toBeLessThan(5 * 50 * 366 + 100);
    expect(Math.max(attack.ms, costly.ms)).toBeLessThan(2_000);
  });

  it('refuses 1,000 aliases of scorecard by its tokens, 21 by its aliases, and more scorecards in one operation than its cost allows', async () => {
    // Variables keep 1,000 aliases under the JSON body limit, as the attack did.
    const scorecard = `scorecard(clientId: $c, month: $m) { rows { kpiKey value } }`;
    const operation = (count: number): string => aliased(count, () => scorecard).replace(/^query/, 'query ($c: ID!, $m: String!)');
    const variables = { c: shop.clientId, m: '2026-10' };
    const thousand = await post(operation(1000), shop.agency.token, variables);
    expect(thousand.status).toBe(400);
    // Parsing stops at 5,000 tokens (~19,000 here): the document is refused before its aliases are counted.
    expect(thousand.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/at most 5000 tokens/) as unknown,
        extensions: { code: 'TOO_MANY_TOKENS', maximum: 5_000 },
      }),
    ]);
    const many = await post(operation(21), shop.agency.token, variables);
    expect(many.status).toBe(400);
    expect(many.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_ALIASES', aliases: 21, maximum: 20 } })]);

    // Two scorecards fit (4,000 and their fields); three do not.
    const two = await post(operation(2), shop.agency.token, variables);
    expect(two.body.errors).toBeUndefined();
    const six = await post(operation(6), shop.agency.token, variables);
    expect(six.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COSTLY', maximum: MAX_COST }) as unknown }),
    ]);
    expect(six.body.errors?.[0].extensions?.cost).toBeGreaterThanOrEqual(6 * 2_000);
  });

  it('refuses 100 aliases of reportPreview, and even two previews in one operation, with TOO_MANY_PREVIEWS', async () => {
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
    expect(two.body.data).toBeUndefined();
    expect(two.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_PREVIEWS', previews: 2, maximum: 1 } })]);
  });

  it('refuses a year of days of 25 KPIs, which the cost limit let through before it was halved', async () => {
    const keys = Array.from({ length: 25 }, (_, index) => SHOP_KPIS[index % SHOP_KPIS.length].kpiKey);
    const answer = await post(`query { ${series(shop.clientId, '2025-11-01', '2026-10-31', 'DAY', keys)} }`, shop.agency.token);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'QUERY_TOO_COSTLY', cost: expect.any(Number) as number, maximum: MAX_COST } }),
    ]);
    expect(answer.body.errors?.[0].extensions?.cost).toBeGreaterThanOrEqual(25 * 365);
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

  it(
    'refuses a heavy operation past the process-wide limit with TOO_MANY_REQUESTS naming it, whatever the agency',
    async () => {
      // Same database and token secret: an API process that runs one heavy operation at a time and
      // refuses at once (no wait for a slot).
      const single = await startTestApi({ HEAVY_OPERATIONS_PROCESS_CONCURRENCY: '1', HEAVY_OPERATIONS_PROCESS_WAIT_MS: '0' });
      try {
        const other = await seedFrenchShop(api, { clientName: 'Boutique voisine' });
        const { responses, bodies } = await previewsAtOnce(single.baseUrl, [shop, other]);
        expect(bodies.filter((body) => body.data?.reportPreview)).toHaveLength(1);
        const refused = responses.findIndex((response) => response.status === 429);
        expect(refused).toBeGreaterThanOrEqual(0);
        expect(responses[refused].headers.get('retry-after')).toBe('1');
        expect(bodies[refused].errors?.[0].extensions).toEqual({
          code: 'TOO_MANY_REQUESTS',
          limit: 'HEAVY_OPERATIONS_PROCESS_CONCURRENCY',
          maximum: 1,
          retryAfterSeconds: 1,
        });
      } finally {
        await single.close();
      }
    },
    APP_BOOT_TIMEOUT_MS + RENDER_TEST_TIMEOUT_MS + TEARDOWN_TIMEOUT_MS,
  );

  it(
    'makes a second agency’s preview wait for the process’s one heavy slot instead of refusing it (the default)',
    async () => {
      const single = await startTestApi({ HEAVY_OPERATIONS_PROCESS_CONCURRENCY: '1' });
      try {
        const other = await seedFrenchShop(api, { clientName: 'Boutique d’à côté' });
        const { responses, bodies } = await previewsAtOnce(single.baseUrl, [shop, other]);
        expect(responses.map((response) => response.status)).toEqual([200, 200]);
        expect(bodies.filter((body) => body.data?.reportPreview)).toHaveLength(2);
      } finally {
        await single.close();
      }
    },
    APP_BOOT_TIMEOUT_MS + 2 * RENDER_TEST_TIMEOUT_MS + TEARDOWN_TIMEOUT_MS,
  );

  it('answers a full scorecard, a year of daily series of the whole plan and 13 months of 25 KPIs, as front-ends ask for them', async () => {
    // One operation each: together they cost more than MAX_OPERATION_COST (they were one until it was halved).
    const keys = SHOP_KPIS.map((kpi) => kpi.kpiKey);
    const twentyFive = Array.from({ length: 25 }, (_, index) => keys[index % keys.length]);
    const [scorecard, days, months] = await Promise.all([
      post(
        `query ($clientId: ID!) {
          scorecard(clientId: $clientId, month: "2026-10") { start rows { kpiKey value target status mom { value } yoy { value } series { start value } } }
          funnel(clientId: $clientId, month: "2026-10") { stages { stage value } }
        }`,
        shop.agency.token,
        { clientId: shop.clientId },
      ),
      post(
        `query ($clientId: ID!, $keys: [String!]!) {
          days: kpiSeries(clientId: $clientId, kpiKeys: $keys, from: "2025-11-01", to: "2026-10-31", grain: DAY) { kpiKey points { start value } }
        }`,
        shop.agency.token,
        { clientId: shop.clientId, keys },
      ),
      post(
        `query ($clientId: ID!, $keys: [String!]!) {
          months: kpiSeries(clientId: $clientId, kpiKeys: $keys, from: "2025-10-01", to: "2026-10-31", grain: MONTH) { kpiKey points { start value target } }
        }`,
        shop.agency.token,
        { clientId: shop.clientId, keys: twentyFive },
      ),
    ]);
    for (const answer of [scorecard, days, months]) expect(answer.body.errors).toBeUndefined();
    expect((scorecard.body.data as { scorecard: { rows: unknown[] } }).scorecard.rows).toHaveLength(SHOP_KPIS.length);
    const daily = (days.body.data as { days: Array<{ kpiKey: string; points: Array<{ start: string }> }> }).days;
    // Long series are completed one per turn of the event loop: still every KPI, in order, every day in order.
    expect(daily.map((row) => row.kpiKey)).toEqual(keys);
    expect(daily[0].points).toHaveLength(365);
    expect(daily[keys.length - 1].points.map((point) => point.start).slice(0, 2)).toEqual(['2025-11-01', '2025-11-02']);
    expect(daily[keys.length - 1].points[364].start).toBe('2026-10-31');
    const monthly = (months.body.data as { months: Array<{ kpiKey: string; points: unknown[] }> }).months;
    expect(monthly.map((row) => row.kpiKey)).toEqual(twentyFive);
    expect(monthly[24].points).toHaveLength(13);
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
