import { BadUserInputError } from '@pilotage/common';
import { countPeriodsBetween, isValidIsoDate, PERIOD_GRAINS, type PeriodGrain } from '@pilotage/kpi';
import { MAX_PAGE_SIZE } from '../pagination';

/**
 * The cost model of a GraphQL operation: what the work behind each field really costs, so that
 * one cheap-looking request cannot freeze the API (40 aliases of a ten-year daily series used to
 * build 263 MB for 37 s while /health waited).
 *
 * Unit: one KPI value computed and sent, about 5 µs of CPU and 40 bytes of JSON on our machine
 * (measured on kpiSeries). Every other weight is expressed in that unit from a measurement:
 *
 * | field                              | weight                           | why |
 * |------------------------------------|----------------------------------|-----|
 * | `kpiSeries`                        | kpiKeys × periods (+ its fields) | every period of every KPI is evaluated and sent |
 * | `scorecard`                        | 2,500                            | ~8 ms: a 24-month roll-up read, 25 KPIs × (13-month series + MoM, YoY, YTD) |
 * | `weeklyScorecard`                  | 5,000                            | reads ~650 days of daily values instead of 24 months |
 * | `funnel` / `weeklyFunnel`          | 100 / 200                        | one aggregate of a handful of metrics |
 * | `reportPreview`                    | 20,000                           | a Chromium render and a PNG, ~300 ms of CPU: one per operation |
 * | `updateReportCommentary`           | 12,500                           | renders the PDF again, in the API |
 * | `generateReport`                   | 2,500                            | a render queued for the worker |
 * | `generateMonthlyReports`           | 12,500                           | a render per active client queued |
 * | `sendReport`                       | 1,000                            | reads the PDF and talks SMTP |
 * | `signUp`, `login`, `acceptInvitation` | 1,000                         | an argon2 hash (~50 ms of a libuv thread) |
 * | `recordMetricValues`               | number of values                 | each is validated and upserted |
 * | a list with `first`                | first × its selection            | a page cannot be nested into a huge answer |
 * | any other field                    | 1                                | reads what its parent already loaded |
 *
 * {@link MAX_OPERATION_COST} is what one operation may cost in all (every alias, fragment and
 * root field counted): ~125 ms of CPU, ~1 MB of JSON. An operation costing
 * {@link HEAVY_OPERATION_COST} or more is "heavy" and counts against its agency's concurrency and
 * rate limits (HEAVY_OPERATIONS_CONCURRENCY, HEAVY_OPERATIONS_PER_MINUTE).
 */
export const MAX_OPERATION_COST = 25_000;

/** From this cost on, an operation counts against its agency's heavy-operation limits (two scorecards; one preview). */
export const HEAVY_OPERATION_COST = 5_000;

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
 * months, quarters or twenty years. 50 KPIs × 366 days = 18,300 units fits in an operation.
 */
export const MAX_SERIES_PERIODS_BY_GRAIN: Readonly<Record<PeriodGrain, number>> = { DAY: 366, WEEK: 157, MONTH: 120, QUARTER: 40, YEAR: 20 };

type FieldWeight = (args: Readonly<Record<string, unknown>>, fieldName: string) => number;

const fixed =
  (weight: number): FieldWeight =>
  () =>
    weight;

/** Weights of the fields whose work is not what their selection shows, by `Type.field` (see the table above). */
export const FIELD_WEIGHTS: Readonly<Record<string, FieldWeight>> = {
  'Query.kpiSeries': kpiSeriesWeight,
  'Query.scorecard': fixed(2_500),
  'Query.weeklyScorecard': fixed(5_000),
  'Query.funnel': fixed(100),
  'Query.weeklyFunnel': fixed(200),
  'Query.reportPreview': fixed(20_000),
  'Mutation.updateReportCommentary': fixed(12_500),
  'Mutation.generateReport': fixed(2_500),
  'Mutation.generateMonthlyReports': fixed(12_500),
  'Mutation.sendReport': fixed(1_000),
  'Mutation.signUp': fixed(1_000),
  'Mutation.login': fixed(1_000),
  'Mutation.acceptInvitation': fixed(1_000),
  'Mutation.recordMetricValues': (args) => {
    const input = args.input;
    return typeof input === 'object' && input !== null && 'values' in input && Array.isArray(input.values) ? input.values.length : 1;
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
  return kpiKeys * Math.max(periods, 1);
}

function isGrain(value: unknown): value is PeriodGrain {
  return typeof value === 'string' && (PERIOD_GRAINS as readonly string[]).includes(value);
}

function argumentError(argument: string, message: string, maximum: number, requested: number): BadUserInputError {
  return new BadUserInputError(`kpiSeries(${argument}): ${message}`, [{ field: argument, message }], { argument, maximum, requested });
}
