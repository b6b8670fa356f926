import { findControlCharacter, type FieldProblem } from '@pilotage/common';
import { emptyMetricValueColumns, type MetricGranularity, type MetricValueColumns } from '@pilotage/database';
import type { MetricUnit } from '@pilotage/kpi';
import {
  DEFAULT_METRIC_SOURCE,
  SOURCE_MAX_LENGTH,
  describeMetricValueViolation,
  granularityProblem,
  isIsoCalendarDate,
  metricDateRange,
  metricValueViolation,
  normalizeDecimal,
} from './metric-value.rules';

/** What a value of the API looks like once GraphQL has parsed it. */
export interface MetricValueCandidate {
  readonly metricKey: string;
  readonly date: string;
  readonly value: string;
  readonly source?: string | null;
  readonly granularity?: MetricGranularity | null;
}

export interface MetricValueCheck {
  readonly columns: MetricValueColumns;
  /** Every problem, named by its path in the input (`values.12.value`). */
  readonly problems: readonly FieldProblem[];
}

/**
 * Checks the values of one recordMetricValues call, with the rules the CSV validator applies
 * to a file, and turns the valid ones into columns. Collects every problem instead of stopping
 * at the first, so a front-end can mark all the faulty cells of a grid in one round trip.
 */
export function checkMetricValues(
  values: readonly MetricValueCandidate[],
  context: { readonly units: ReadonlyMap<string, { readonly unit: MetricUnit }>; readonly today: string },
): MetricValueCheck {
  const columns: MetricValueColumns = emptyMetricValueColumns();
  const problems: FieldProblem[] = [];
  const { earliest, latest } = metricDateRange(context.today);
  const seen = new Map<string, number>();

  values.forEach((candidate, index) => {
    const at = `values.${index}`;
    const before = problems.length;
    const metric = context.units.get(candidate.metricKey);
    if (metric === undefined) problems.push({ field: `${at}.metricKey`, message: `"${candidate.metricKey}" is not a known metric key` });

    const granularity = candidate.granularity ?? 'DAY';
    if (!isIsoCalendarDate(candidate.date)) {
      problems.push({ field: `${at}.date`, message: `"${candidate.date}" is not a date in the form YYYY-MM-DD` });
    } else if (candidate.date < earliest || candidate.date > latest) {
      problems.push({ field: `${at}.date`, message: `must be between ${earliest} and ${latest}` });
    } else {
      const problem = granularityProblem(candidate.date, granularity);
      if (problem !== null) problems.push({ field: `${at}.date`, message: problem });
    }

    const valueText = normalizeDecimal(candidate.value);
    if (valueText === null) {
      problems.push({ field: `${at}.value`, message: `"${candidate.value}" is not a finite decimal number such as 1234.56` });
    } else if (metric !== undefined) {
      const violation = metricValueViolation(valueText, metric.unit);
      if (violation !== null) problems.push({ field: `${at}.value`, message: describeMetricValueViolation(violation, metric.unit) });
    }

    const source = candidate.source?.trim() || DEFAULT_METRIC_SOURCE;
    if (source.length > SOURCE_MAX_LENGTH) {
      problems.push({ field: `${at}.source`, message: `must have at most ${SOURCE_MAX_LENGTH} characters` });
    }
    const control = findControlCharacter(source, 'MULTILINE');
    if (control !== null) problems.push({ field: `${at}.source`, message: `must not contain control characters (found ${control})` });

    if (problems.length > before || valueText === null) return;
    // One statement cannot update a row twice, and two values for one key is a mistake anyway.
    const key = `${candidate.metricKey}\u0000${candidate.date}\u0000${source}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ field: at, message: `repeats values.${first}: same metric, date and source` });
      return;
    }
    seen.set(key, index);
    columns.metricKeys.push(candidate.metricKey);
    columns.dates.push(candidate.date);
    columns.sources.push(source);
    columns.channels.push('OTHER');
    columns.campaigns.push('');
    columns.granularities.push(granularity);
    columns.values.push(valueText);
  });
  return { columns, problems };
}
