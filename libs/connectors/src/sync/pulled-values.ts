import { emptyMetricValueColumns, type MetricValueColumns } from '@pilotage/database';
import {
  appendMetricValue,
  campaignProblem,
  describeMetricValueViolation,
  isIsoCalendarDate,
  metricValueViolation,
  SourceChannelResolver,
} from '@pilotage/ingestion';
import { CHANNELS, daysBetween, METRIC_CATALOG, type MetricUnit } from '@pilotage/kpi';
import { ProviderError } from '../provider-error';
import type { DayRange, PulledValue } from '../provider.types';

/** Catalog metrics by key with their unit: providers write catalog metrics only. */
const CATALOG_UNITS: ReadonlyMap<string, MetricUnit> = new Map(METRIC_CATALOG.map((metric) => [metric.key, metric.unit]));

/** Normalized decimal text, as {@link PulledValue.valueText} promises it. */
const DECIMAL_TEXT = /^-?\d+(?:\.\d+)?$/;

/** Where the values of one pull go. */
export interface PulledValuesTarget {
  /** The platform's name, first word of every message ("Google Ads"). */
  readonly platform: string;
  /** `metric_values.source` of the connection. */
  readonly source: string;
  /** The days pulled: a value outside them would escape the removal of what the pull no longer reports. */
  readonly range: DayRange;
}

/** "clicks on 2026-11-02 (campaign "Brand")": which value, in words. */
function valueName(value: Pick<PulledValue, 'metricKey' | 'date' | 'campaign'>): string {
  return `${value.metricKey} on ${value.date}${value.campaign === '' ? '' : ` (campaign "${value.campaign}")`}`;
}

/**
 * The columns an upsert writes for the values of one pull, through the same rules as imports
 * (appendMetricValue, metricValueViolation): source = the connection's, channel and campaign
 * the provider's. Throws INVALID_RESPONSE ProviderError on the first value that cannot be stored
 * as it is, naming the metric, date and campaign: the chunk is refused whole rather than
 * rounded or half-written. A key reported twice is refused too (the platform contradicts
 * itself, and one upsert statement cannot write a key twice).
 */
export function pulledValueColumns(values: readonly PulledValue[], target: PulledValuesTarget): MetricValueColumns {
  const columns = emptyMetricValueColumns();
  // The channel always comes from the provider: the resolver is never asked.
  const resolver = new SourceChannelResolver();
  const seen = new Set<string>();
  const refuse = (value: PulledValue, problem: string): ProviderError =>
    new ProviderError('INVALID_RESPONSE', `${target.platform}: the value of ${valueName(value)} ${problem}`);
  for (const value of values) {
    const unit = CATALOG_UNITS.get(value.metricKey);
    if (unit === undefined) throw refuse(value, 'is of a metric Pilotage does not know');
    if (!isIsoCalendarDate(value.date) || daysBetween(target.range.from, value.date) < 0 || daysBetween(value.date, target.range.to) < 0) {
      throw refuse(value, `is outside the days asked for (${target.range.from} to ${target.range.to})`);
    }
    if (!CHANNELS.includes(value.channel)) throw refuse(value, `has an unknown channel (${String(value.channel)})`);
    const campaign = campaignProblem(value.campaign);
    if (campaign !== null) throw refuse(value, `has a campaign name that cannot be stored: it ${campaign}`);
    if (!DECIMAL_TEXT.test(value.valueText)) throw refuse(value, `is not a decimal number (${JSON.stringify(value.valueText.slice(0, 40))})`);
    const violation = metricValueViolation(value.valueText, unit);
    if (violation !== null) throw refuse(value, `(${value.valueText}) cannot be stored: it ${describeMetricValueViolation(violation, unit)}`);
    const key = `${value.metricKey}\u0000${value.date}\u0000${value.channel}\u0000${value.campaign}`;
    if (seen.has(key)) throw refuse(value, `was reported twice for channel ${value.channel}`);
    seen.add(key);
    appendMetricValue(
      columns,
      {
        metricKey: value.metricKey,
        date: value.date,
        granularity: 'DAY',
        valueText: value.valueText,
        source: target.source,
        channel: value.channel,
        campaign: value.campaign,
      },
      resolver,
    );
  }
  return columns;
}
