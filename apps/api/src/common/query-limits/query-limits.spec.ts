import { buildSchema, getIntrospectionQuery, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import { TooManyRequestsError } from '@pilotage/common';
import { MAX_BREAKDOWN_GROUPS } from '@pilotage/analytics';
import { boundedStringify } from './bounded-response';
import { HeavyOperationLimiter } from './heavy-operation.limiter';
import { measureOperation } from './operation-shape';
import { fieldWeight, HEAVY_OPERATION_COST, MAX_FIELDS_PER_OPERATION, MAX_OPERATION_COST, MAX_SERIES_KPIS } from './query-cost';
import { depthLimitRule, MAX_QUERY_DEPTH } from './query-limits.plugin';

// Our schema has no recursive type yet, so the rule is proven on one that does.
const schema = buildSchema(`type Node { id: ID, child: Node } type Query { root: Node }`);

function nested(depth: number): string {
  return `{ root ${'{ child '.repeat(depth - 1)}{ id }${' }'.repeat(depth - 1)} }`;
}

describe('depthLimitRule', () => {
  it(`accepts a query ${MAX_QUERY_DEPTH} levels deep`, () => {
    expect(validate(schema, parse(nested(MAX_QUERY_DEPTH - 1)), [...specifiedRules, depthLimitRule])).toEqual([]);
  });

  it('refuses a query nested past the limit', () => {
    const errors = validate(schema, parse(nested(MAX_QUERY_DEPTH + 2)), [...specifiedRules, depthLimitRule]);
    expect(errors.map((error) => error.message)).toEqual([expect.stringMatching(/exceeds maximum operation depth of 10/)]);
  });
});

describe('fieldWeight', () => {
  const series = (from: string, to: string, grain: string, keys: number): Record<string, unknown> => ({
    from,
    to,
    grain,
    kpiKeys: Array.from({ length: keys }, () => 'revenue'),
  });

  it('weighs a series by its KPIs times its periods, plus its selection', () => {
    expect(fieldWeight('Query', 'kpiSeries', series('2026-01-01', '2026-12-31', 'MONTH', 10), 7)).toBe(10 * 12 + 7);
    expect(fieldWeight('Query', 'kpiSeries', series('2025-01-01', '2025-12-31', 'DAY', 50), 0)).toBe(50 * 365);
  });

  it('refuses a series past its span or KPI ceiling, naming the argument', () => {
    expect(() => fieldWeight('Query', 'kpiSeries', series('2017-01-01', '2027-01-07', 'DAY', 1), 0)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: expect.objectContaining({ argument: 'to', maximum: 366, requested: 3659 }) as unknown }),
    );
    expect(() => fieldWeight('Query', 'kpiSeries', series('2026-01-01', '2026-01-31', 'DAY', MAX_SERIES_KPIS + 1), 0)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ argument: 'kpiKeys', maximum: MAX_SERIES_KPIS }) as unknown }),
    );
  });

  it('lets execution refuse malformed dates: they weigh one period', () => {
    expect(fieldWeight('Query', 'kpiSeries', series('2026-02-30', 'soon', 'DAY', 3), 0)).toBe(3);
  });

  it('lets every heavy mutation run alone with a generous selection', () => {
    for (const mutation of ['generateMonthlyReports', 'updateReportCommentary', 'generateReport']) {
      expect(fieldWeight('Mutation', mutation, {}, 200)).toBeLessThanOrEqual(MAX_OPERATION_COST);
    }
  });

  it('weighs a preview as a heavy operation that fits beside a scorecard', () => {
    const preview = fieldWeight('Query', 'reportPreview', {}, 2) ?? 0;
    expect(preview).toBeGreaterThanOrEqual(HEAVY_OPERATION_COST);
    expect(preview + (fieldWeight('Query', 'scorecard', {}, 10) ?? 0)).toBeLessThanOrEqual(MAX_OPERATION_COST);
  });

  it('lets a year of days of 12 KPIs and a 13-month series of 25 KPIs in one operation, not a year of days of 25 KPIs', () => {
    const days = (keys: number): number => fieldWeight('Query', 'kpiSeries', series('2025-11-01', '2026-10-31', 'DAY', keys), 4) ?? 0;
    expect(days(12) + (fieldWeight('Query', 'kpiSeries', series('2025-10-01', '2026-10-31', 'MONTH', 25), 4) ?? 0)).toBeLessThanOrEqual(MAX_OPERATION_COST);
    expect(days(25)).toBeGreaterThan(MAX_OPERATION_COST);
  });

  it('weighs a breakdown by the groups it may have: a channel scorecard stays light, two by campaign do not fit one operation', () => {
    const scorecard = (breakdown?: string): number => fieldWeight('Query', 'scorecard', breakdown ? { breakdown } : {}, 0) ?? 0;
    expect(scorecard('CHANNEL')).toBe(scorecard() + 8 * 50);
    expect(scorecard('CHANNEL')).toBeLessThan(HEAVY_OPERATION_COST);
    expect(scorecard('CAMPAIGN')).toBe(scorecard() + (MAX_BREAKDOWN_GROUPS + 1) * 50);
    expect(2 * scorecard('CAMPAIGN')).toBeGreaterThan(MAX_OPERATION_COST);
    expect(2 * scorecard()).toBeLessThanOrEqual(MAX_OPERATION_COST);
    // A series has one per group: 10 KPIs × 12 months by source weigh 22 times as much.
    const monthly = series('2026-01-01', '2026-12-31', 'MONTH', 10);
    expect(fieldWeight('Query', 'kpiSeries', { ...monthly, breakdown: 'SOURCE' }, 0)).toBe(10 * 12 * (MAX_BREAKDOWN_GROUPS + 2));
    expect(fieldWeight('Query', 'funnel', { breakdown: 'CHANNEL' }, 0)).toBe(100 + 8 * 10);
  });

  it('multiplies a page by its size, capped at the largest page', () => {
    expect(fieldWeight('Query', 'clients', { first: 20 }, 5)).toBe(100);
    expect(fieldWeight('Query', 'clients', { first: 1_000_000 }, 5)).toBe(500);
    expect(fieldWeight('Client', 'name', {}, 0)).toBeUndefined();
  });
});

describe('measureOperation', () => {
  function measure(query: string, operationName?: string): { aliases: number; rootFields: number; fields: number } {
    const document = parse(query);
    const operation = getOperationAST(document, operationName);
    if (!operation) throw new Error('no operation');
    return measureOperation(document, operation);
  }

  it('counts aliases and root fields through fragments, once per spread', () => {
    expect(measure(`{ a: me { id } b: me { id } }`)).toEqual({ aliases: 2, rootFields: 2, fields: 4 });
    expect(measure(`{ ...F ...F ... on Query { c: me { x: id } } } fragment F on Query { a: me { id } b: me { id } }`)).toEqual({
      aliases: 6,
      rootFields: 5,
      fields: 10,
    });
  });

  it('counts the fields of the operations and fragments it does not run, as validation checks them too', () => {
    expect(measure(`query A { me { id } } query B { me { id id id } } fragment F on Query { me { id } }`, 'A').fields).toBe(8);
  });

  it('leaves room for the standard introspection query', () => {
    expect(measure(getIntrospectionQuery()).fields).toBeLessThanOrEqual(MAX_FIELDS_PER_OPERATION);
  });

  it('stops on a fragment cycle instead of looping', () => {
    expect(measure(`{ ...A } fragment A on Query { a: me { id } ...A }`)).toEqual({ aliases: 1, rootFields: 1, fields: 2 });
  });
});

describe('HeavyOperationLimiter', () => {
  it('refuses a slot past the concurrency, per agency, and gives it back on release', async () => {
    const limiter = new HeavyOperationLimiter({ concurrency: 2, processConcurrency: 10, processWaitMs: 0, perMinute: 100 });
    const first = await limiter.acquire('agency-a');
    await limiter.acquire('agency-a');
    await expect(limiter.acquire('agency-a')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      details: { limit: 'HEAVY_OPERATIONS_CONCURRENCY', retryAfterSeconds: 1 },
    });
    await expect(limiter.acquire('agency-b')).resolves.toEqual(expect.any(Function));
    await first();
    await first();
    await limiter.acquire('agency-a');
    await expect(limiter.acquire('agency-a')).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('refuses a slot past the process-wide concurrency, whatever the agency, without holding the agency slot it took', async () => {
    const limiter = new HeavyOperationLimiter({ concurrency: 1, processConcurrency: 2, processWaitMs: 0, perMinute: 100 });
    const first = await limiter.acquire('agency-a');
    await limiter.acquire('agency-b');
    await expect(limiter.acquire('agency-c')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      details: { limit: 'HEAVY_OPERATIONS_PROCESS_CONCURRENCY', maximum: 2, retryAfterSeconds: 1 },
    });
    await first();
    // agency-c's refused attempt gave its own slot back: it gets the one agency-a released.
    await expect(limiter.acquire('agency-c')).resolves.toEqual(expect.any(Function));
    await expect(limiter.acquire('agency-a')).rejects.toMatchObject({ details: { limit: 'HEAVY_OPERATIONS_PROCESS_CONCURRENCY' } });
  });

  it('makes an operation wait for a process-wide slot up to processWaitMs, then refuses it', async () => {
    const limiter = new HeavyOperationLimiter({ concurrency: 1, processConcurrency: 1, processWaitMs: 200, perMinute: 100 });
    const first = await limiter.acquire('agency-a');
    const waiting = limiter.acquire('agency-b');
    setTimeout(() => void first(), 50);
    // agency-b got the slot agency-a released, without an error.
    const second = await waiting;
    const started = Date.now();
    await expect(limiter.acquire('agency-c')).rejects.toMatchObject({ details: { limit: 'HEAVY_OPERATIONS_PROCESS_CONCURRENCY', maximum: 1 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await second();
    await expect(limiter.acquire('agency-c')).resolves.toEqual(expect.any(Function));
  });

  it('refuses past the starts per minute, with the seconds until the window ends', async () => {
    const limiter = new HeavyOperationLimiter({ concurrency: 10, processConcurrency: 10, processWaitMs: 0, perMinute: 2 });
    await (
      await limiter.acquire('agency-a')
    )();
    await (
      await limiter.acquire('agency-a')
    )();
    const refused = limiter.acquire('agency-a');
    await expect(refused).rejects.toMatchObject({ details: { limit: 'HEAVY_OPERATIONS_PER_MINUTE', maximum: 2 } });
    const error: unknown = await refused.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    if (error instanceof TooManyRequestsError) expect(error.details.retryAfterSeconds).toBeGreaterThanOrEqual(59);
  });
});

describe('boundedStringify', () => {
  it('serializes an answer within the cap as JSON does', () => {
    const value = { data: { a: [1, 2, { b: 'é' }] } };
    expect(boundedStringify(1000)(value)).toBe(JSON.stringify(value) + '\n');
  });

  it('answers RESPONSE_TOO_LARGE past the cap, stopping early rather than building the whole string', () => {
    const points = Array.from({ length: 200_000 }, (_, index) => ({ start: '2026-01-01', value: index }));
    const text = boundedStringify(70_000)({ data: { points } });
    expect(JSON.parse(text)).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'RESPONSE_TOO_LARGE', maximum: 70_000 } })] });
    // A string of multi-byte characters passes the character estimate but not the byte count.
    expect(JSON.parse(boundedStringify(70_000)({ data: 'é'.repeat(40_000) }))).toMatchObject({ errors: [{ extensions: { code: 'RESPONSE_TOO_LARGE' } }] });
  });
});
