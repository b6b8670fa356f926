import { BadUserInputError } from '@pilotage/common';
import { countPeriodsBetween, isValidIsoDate, PERIOD_GRAINS, type PeriodGrain } from '@pilotage/kpi';
import { MAX_BREAKDOWN_GROUPS } from '@pilotage/analytics';
import { CHANNELS } from '@pilotage/kpi';
import { MAX_PAGE_SIZE } from '../pagination';

/**
 * The cost model of a GraphQL operation: what the work behind each field really costs, so that
 * one cheap-looking request cannot freeze the API (40 aliases of a ten-year daily series used to
 * build 263 MB for 37 s while /health waited).
 *
 * Unit: one KPI value of a series, evaluated, completed by GraphQL and serialized: ~15 µs of the
 * event loop on an idle 2-core machine of ours, ~60 µs when it is loaded (`npm run bench:abuse`
 * prints what each hostile request costs alone). The other weights are measured against it:
 *
 * | field                                 | weight                           | why |
 * |---------------------------------------|----------------------------------|-----|
 * | `kpiSeries`                           | kpiKeys × periods (+ its fields) | every period of every KPI is evaluated and sent |
 * | `scorecard`                           | 2,000                            | ~55 ms loaded: a 24-month roll-up read, 25 KPIs × (13-month series, MoM, YoY, YTD) |
 * | `weeklyScorecard`                     | 4,000                            | reads ~650 days of daily values instead of 24 months |
 * | `funnel` / `weeklyFunnel`             | 100 / 200                        | one aggregate of a handful of metrics |
 * | … with `breakdown`                    | + groups × 50 (scorecards), × 10 (funnels); a series × (1 + groups) | each group's KPIs evaluated over the period and the one before (series: every point); groups: 8 channels, or {@link MAX_BREAKDOWN_GROUPS} sources or campaigns + "others" |
 * | `reportPreview`                       | 2,500 (always heavy)             | a snapshot, Handlebars, charts and a PNG in Node; the render itself is Chromium's, in other processes. At most {@link MAX_PREVIEWS_PER_OPERATION} |
 * | `updateReportCommentary`              | 4,000                            | renders the PDF again, in the API (fits with its selection under the maximum) |
 * | `generateMonthlyReports`              | 4,000                            | a render per active client queued for the worker |
 * | `generateReport`                      | 1,000                            | a render queued for the worker |
 * | `sendReport`                          | 500                              | reads the PDF and talks SMTP |
 * | `signUp`, `login`, `acceptInvitation` | 500                              | an argon2 hash (~50 ms of a libuv thread) |
 * | `recordMetricValues`                  | values / 4                       | validated, then upserted in bulk statements (10,000 values, the documented maximum, fit) |
 * | `sourceChannels`                      | 500                              | groups every stored value of the client by source (a million values: ~0.3 s of PostgreSQL) |
 * | `setSourceChannel`                    | 1,000                            | moves a source's values and rebuilds the months they touched, under the client's lock |
 * | `syncDataConnection`                  | {@link HEAVY_OPERATION_COST} (always heavy) | cheap here (a run queued), but each one sends the worker to pull the platform: counted against HEAVY_OPERATIONS_PER_MINUTE |
 * | a list with `first`                   | first × its selection            | a page cannot be nested into a huge answer |
 * | any other field                       | 1                                | reads what its parent already loaded |
 *
 * {@link MAX_OPERATION_COST} is what one operation may cost in all (every alias, fragment and
 * root field counted): ~75 ms of the event loop on an idle machine, ~0.25 MB of JSON, none of it
 * in one piece (a series is evaluated, then completed by GraphQL, one KPI per turn of the event
 * loop: see apps/api/src/analytics/event-loop-turns.ts); 13 KPIs × a year of days, two scorecards, a scorecard and a
 * preview fit. It was 10,000 (25 KPIs × a year of days, ~0.6 s alone) until bench:abuse showed
 * /health waiting behind such operations. An operation costing {@link HEAVY_OPERATION_COST} or
 * more is "heavy" and counts against its agency's and the process's concurrency and the agency's
 * rate limits (HEAVY_OPERATIONS_CONCURRENCY, HEAVY_OPERATIONS_PROCESS_CONCURRENCY,
 * HEAVY_OPERATIONS_PER_MINUTE).
 */
export const MAX_OPERATION_COST = 5_000;

/**
 * Report previews one operation may hold: each renders a whole report on the API's Chromium
 * (~0.5 s of a core), which its cost weight — Node's share — does not say.
 */
export const MAX_PREVIEWS_PER_OPERATION = 1;

/** From this cost on, an operation counts against the heavy-operation limits (two scorecards, one preview, 10 KPIs × 250 days). */
export const HEAVY_OPERATION_COST = 2_500;

/**
 * Lexical tokens a GraphQL document may hold (graphql's `maxTokens`: parsing stops there). The
 * largest operation the other bounds allow, 300 fields with their arguments, is ~3,000 tokens;
 * values belong in variables, which are not tokens. 1,000 aliases of `scorecard` are ~19,000:
 * parsing them and counting their shape cost ~2 ms of the event loop per request, and an
 * attacker sends them back to back.
 */
export const MAX_TOKENS_PER_DOCUMENT = 5_000;

/** Aliased fields an operation may hold, fragments expanded (a dashboard aliases a few clients' figures, not hundreds). */
export const MAX_ALIASES_PER_OPERATION = 20;

/** Root fields an operation may hold, fragments expanded. */
export const MAX_ROOT_FIELDS_PER_OPERATION = 20;

/**
 * Fields an operation may hold in all, fragments expanded: ~5 times the largest front-end query
 * (a full scorecard asks for ~40; the standard introspection query ~200), far below what makes
 * validation slow.
 */
export const MAX_FIELDS_PER_OPERATION = 300;

/** KPIs one `kpiSeries` may ask for. */
export const MAX_SERIES_KPIS = 50;

/**
 * Periods one `kpiSeries` may hold, by grain: a year of days, three years of weeks, ten years of
 * months, quarters or twenty years (the operation's cost then bounds KPIs × periods).
 */
export const MAX_SERIES_PERIODS_BY_GRAIN: Readonly<Record<PeriodGrain, number>> = { DAY: 366, WEEK: 157, MONTH: 120, QUARTER: 40, YEAR: 20 };

type FieldWeight = (args: Readonly<Record<string, unknown>>, fieldName: string) => number;

const fixed =
  (weight: number): FieldWeight =>
  () =>
    weight;

/**
 * The most groups a breakdown can have: the 8 channels, or the cap on sources and campaigns
 * plus the folded "others" (0 without a breakdown). Known before anything runs, so the cost
 * is the worst case.
 */
export function breakdownGroups(args: Readonly<Record<string, unknown>>): number {
  if (args.breakdown === 'CHANNEL') return CHANNELS.length;
  if (args.breakdown === 'SOURCE' || args.breakdown === 'CAMPAIGN') return MAX_BREAKDOWN_GROUPS + 1;
  return 0;
}

/** A scorecard or funnel's weight, plus `perGroup` for each group its breakdown may have. */
const withGroups =
  (weight: number, perGroup: number): FieldWeight =>
  (args) =>
    weight + breakdownGroups(args) * perGroup;

/** Weights of the fields whose work is not what their selection shows, by `Type.field` (see the table above). */
export const FIELD_WEIGHTS: Readonly<Record<string, FieldWeight>> = {
  'Query.kpiSeries': kpiSeriesWeight,
  // A group's 25 KPIs over the period and the one before: 50 values evaluated and sent.
  'Query.scorecard': withGroups(2_000, 50),
  'Query.weeklyScorecard': withGroups(4_000, 50),
  'Query.funnel': withGroups(100, 10),
  'Query.weeklyFunnel': withGroups(200, 10),
  'Query.reportPreview': fixed(2_500),
  'Mutation.updateReportCommentary': fixed(4_000),
  'Mutation.generateReport': fixed(1_000),
  'Mutation.generateMonthlyReports': fixed(4_000),
  'Mutation.sendReport': fixed(500),
  'Mutation.signUp': fixed(500),
  'Mutation.login': fixed(500),
  'Mutation.acceptInvitation': fixed(500),
  'Query.sourceChannels': fixed(500),
  'Mutation.setSourceChannel': fixed(1_000),
  'Mutation.syncDataConnection': fixed(HEAVY_OPERATION_COST),
  'Mutation.recordMetricValues': (args) => {
    const input = args.input;
    return typeof input === 'object' && input !== null && 'values' in input && Array.isArray(input.values) ? Math.ceil(input.values.length / 4) : 1;
  },
};

/** The weight of one field, or undefined for "count its selection" (graphql-query-complexity estimator shape). */
export function fieldWeight(typeName: string, fieldName: string, args: Readonly<Record<string, unknown>>, childComplexity: number): number | undefined {
  const weight = FIELD_WEIGHTS[`${typeName}.${fieldName}`];
  if (weight) return weight(args, fieldName) + childComplexity;
  // Capped at the page size: a larger `first` is refused by validation with a clearer message.
  if (typeof args.first === 'number') return Math.min(Math.max(args.first, 0), MAX_PAGE_SIZE) * Math.max(childComplexity, 1);
  return undefined;
}

/**
 * kpiKeys × periods, after the per-series ceilings: too many KPIs or too long a span is refused
 * here, naming the argument, before anything runs. Malformed dates weigh one period: execution
 * refuses them with their own message.
 */
function kpiSeriesWeight(args: Readonly<Record<string, unknown>>): number {
  const kpiKeys = Array.isArray(args.kpiKeys) ? args.kpiKeys.length : 1;
  if (kpiKeys > MAX_SERIES_KPIS) {
    throw argumentError('kpiKeys', `at most ${MAX_SERIES_KPIS} KPIs per series; ${kpiKeys} asked`, MAX_SERIES_KPIS, kpiKeys);
  }
  const { from, to, grain } = args;
  if (typeof from !== 'string' || typeof to !== 'string' || !isGrain(grain) || !isValidIsoDate(from) || !isValidIsoDate(to)) return kpiKeys;
  const periods = countPeriodsBetween(from, to, grain);
  const maximum = MAX_SERIES_PERIODS_BY_GRAIN[grain];
  if (periods > maximum) {
    throw argumentError('to', `a ${grain} series holds at most ${maximum} periods; ${from} to ${to} is ${periods}`, maximum, periods);
  }
  // Every group has its own series of every KPI.
  return kpiKeys * Math.max(periods, 1) * (1 + breakdownGroups(args));
}

function isGrain(value: unknown): value is PeriodGrain {
  return typeof value === 'string' && (PERIOD_GRAINS as readonly string[]).includes(value);
}

function argumentError(argument: string, message: string, maximum: number, requested: number): BadUserInputError {
  return new BadUserInputError(`kpiSeries(${argument}): ${message}`, [{ field: argument, message }], { argument, maximum, requested });
}
