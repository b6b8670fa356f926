import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  addDays,
  assessAgainstTarget,
  compareValues,
  AgencyCatalog,
  computeFunnel,
  elapsedFraction,
  findKpi,
  FUNNELS,
  funnelRateKpiKey,
  funnelRateKpis,
  funnelRevenueSource,
  findMetric,
  isValidIsoDate,
  isoWeekday,
  KpiEvaluator,
  PeriodError,
  localDate,
  monthPeriod,
  periodContaining,
  periodsBetween,
  previousPeriod,
  samePeriodLastYear,
  yearToDate,
  yearToDateLastYear,
  type EvaluableKpi,
  type Locale,
  type MonthlyTargetOf,
  type Period,
  type PeriodGrain,
  type MetricBucket,
  type BreakdownDimension,
  type FunnelCountValue,
  type KpiRollUp,
  kpiBreakdownSupport,
  KpiFreshness,
  type FunnelStepValue,
  type StaleSource,
} from '@pilotage/kpi';
import { BadUserInputError } from '@pilotage/common';
import {
  currentTenant,
  findPlanTargets,
  findUnhealthyConnections,
  findVisibleClient,
  KpiPlanEntity,
  MetricAggregatesRepository,
  PlanKpiEntity,
  TenantDatabase,
  type ClientEntity,
  type FoldedMetricBucket,
  type SqlGrain,
} from '@pilotage/database';
import { loadAgencyCatalog } from './agency-catalog';
import type {
  BreakdownInfo,
  Freshness,
  Funnel,
  FunnelBreakdown,
  FunnelStageValue,
  KpiBreakdown,
  KpiInputGap,
  KpiPoint,
  KpiSeries,
  KpiSeriesBreakdown,
  Scorecard,
  ScorecardRow,
} from './analytics.types';
import { coveredFraction, weekTarget } from './period-targets';
import { breakdownGroupLabel, breakdownSupportOf, mainVolumeMetric, MAX_BREAKDOWN_GROUPS } from './breakdown-groups';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
// Quarters and years are read as months: a rate over a stock base rolls up month by month.
const SQL_GRAINS: Readonly<Record<PeriodGrain, SqlGrain>> = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'month', YEAR: 'month' };

export function parseMonth(field: string, value: string): Period {
  const match = MONTH.exec(value);
  if (!match) throw BadUserInputError.forField(field, 'must be a month like 2026-10');
  return monthPeriod(Number(match[1]), Number(match[2]));
}

/** An ISO week from its Monday (`YYYY-MM-DD`). */
export function parseWeekStart(field: string, value: string): Period {
  if (!isValidIsoDate(value)) throw BadUserInputError.forField(field, 'must be a date like 2026-10-05');
  if (isoWeekday(value) !== 1) throw BadUserInputError.forField(field, 'must be a Monday (ISO weeks run Monday to Sunday)');
  return periodContaining(value, 'WEEK');
}

/** Weeks in a weekly report's series: a quarter, ending with the reported week. */
export const WEEKLY_SERIES_WEEKS = 13;

/** A client the current user may see, with the agency's catalog, inside one tenant transaction. */
export interface ClientScope {
  readonly manager: EntityManager;
  readonly client: ClientEntity;
  readonly catalog: AgencyCatalog;
}

/** Where a scorecard reads from, at which grain, its series and how a period's target comes from the monthly targets. */
interface ScorecardShape {
  readonly from: string;
  readonly grain: SqlGrain;
  readonly series: readonly Period[];
  readonly target: (period: Period, kpi: Pick<EvaluableKpi, 'aggregation' | 'rollUp'>, monthlyTarget: MonthlyTargetOf) => number | null;
}

/** One group of a breakdown with the evaluator of its values (key null: the folded "others"). */
interface GroupEvaluator {
  readonly key: string | null;
  readonly label: string;
  readonly evaluator: KpiEvaluator;
}

/** What a breakdown reads: the groups' values of `metricKeys` from `from` to `to` at `grain`. */
interface GroupRead {
  readonly dimension: BreakdownDimension;
  readonly catalog: AgencyCatalog;
  /** The KPIs computed per group (their ratios are aligned per group, as the total's are). */
  readonly kpiKeys: readonly string[];
  /** Metrics read per group besides the KPIs' (a funnel's step counts). */
  readonly extraMetricKeys?: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly grain: SqlGrain;
  /** The period reported: coverage alignment reads the days it needs for it (month buckets). */
  readonly reported: Period;
  /** The period whose main volume ranks the groups. */
  readonly volumePeriod: Period;
  /** Day buckets from this day (every day known), or null for month buckets. */
  readonly dailyFrom: string | null;
  readonly locale: Locale;
}

const NO_COUNT: FunnelCountValue = { value: null, daysWithData: 0, daysInPeriod: 0 };

function freshness(staleSources: readonly StaleSource[]): Freshness {
  return { stale: staleSources.length > 0, staleSources };
}

/** Buckets by group, in the order they came. */
function groupBuckets(buckets: readonly FoldedMetricBucket[]): Map<string | null, MetricBucket[]> {
  const byGroup = new Map<string | null, MetricBucket[]>();
  for (const { group, ...bucket } of buckets) {
    const list = byGroup.get(group) ?? [];
    list.push(bucket);
    byGroup.set(group, list);
  }
  return byGroup;
}

/** The earliest of ISO dates. */
function earliest(dates: readonly string[]): string {
  return dates.reduce((first, date) => (date < first ? date : first));
}

/**
 * A month's scorecard reads the monthly roll-up from 24 months before the reported one: the
 * 13-month series and the same months last year drawn beside it (25 months), MoM, YoY and
 * both years to date (from January 1 of last year) fall inside.
 */
function monthlyShape(period: Period): ScorecardShape {
  const series = periodsBetween(samePeriodLastYear(period).start, period.end, 'MONTH');
  return {
    from: earliest([samePeriodLastYear(series[0]).start, yearToDateLastYear(yearToDate(period.end)).start]),
    grain: 'month',
    series,
    target: (month, _kpi, monthlyTarget) => monthlyTarget(month.start),
  };
}

/**
 * A week's scorecard reads day buckets: weeks, a year to date and last year's week are not whole
 * months, and days combine into any of them (about 650 days × the plan's metrics, one hash
 * aggregate). Last year's week 1 can start in late December of the year before last year's YTD.
 */
function weeklyShape(period: Period): ScorecardShape {
  const weeks = periodsBetween(addDays(period.start, -7 * (WEEKLY_SERIES_WEEKS - 1)), period.end, 'WEEK');
  // The series' weeks last year (drawn beside this year's) reach back to the first one's.
  const from = earliest([
    weeks[0].start,
    samePeriodLastYear(weeks[0]).start,
    samePeriodLastYear(period).start,
    yearToDateLastYear(yearToDate(period.end)).start,
  ]);
  return { from, grain: 'day', series: weeks, target: weekTarget };
}

/**
 * KPI values, scorecards and funnels of a client. Every figure comes from one aggregate query
 * (MetricAggregatesRepository) per request, evaluated in memory by libs/kpi: no per-KPI or
 * per-month query, so a 25-KPI × 25-month scorecard costs one round trip.
 */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly aggregates: MetricAggregatesRepository,
  ) {}

  /**
   * With `breakdown`, each series also holds a series per group (channel, source or campaign),
   * computed from the group's values by the same evaluator; a KPI reading a metric no channel
   * owns (BLENDED) has the total only.
   */
  async kpiSeries(input: {
    clientId: string;
    kpiKeys: string[];
    from: string;
    to: string;
    grain: PeriodGrain;
    locale?: Locale;
    breakdown?: BreakdownDimension | null;
  }): Promise<KpiSeries[]> {
    if (!isValidIsoDate(input.from)) throw BadUserInputError.forField('from', 'is not a calendar date');
    if (!isValidIsoDate(input.to)) throw BadUserInputError.forField('to', 'is not a calendar date');
    if (input.to < input.from) throw BadUserInputError.forField('to', 'must not be before from');
    let periods: Period[];
    try {
      periods = periodsBetween(input.from, input.to, input.grain);
    } catch (error) {
      if (error instanceof PeriodError) throw BadUserInputError.forField('to', error.message);
      throw error;
    }
    return this.db.run(async (manager) => {
      const client = await findVisibleClient(manager, input.clientId);
      const catalog = await loadAgencyCatalog(manager);
      return this.kpiSeriesIn({ manager, client, catalog }, input, periods);
    });
  }

  /**
   * `kpiSeries` in the caller's tenant transaction (the alert evaluation reads it with the rest
   * of its work: one transaction, one snapshot). `periods`: the validated periods of from..to.
   */
  async kpiSeriesIn(
    { manager, client, catalog }: ClientScope,
    input: { kpiKeys: string[]; grain: PeriodGrain; locale?: Locale; breakdown?: BreakdownDimension | null },
    periods: readonly Period[],
  ): Promise<KpiSeries[]> {
    input.kpiKeys.forEach((key, index) => {
      if (!catalog.findKpi(key)) throw BadUserInputError.forField(`kpiKeys.${index}`, `unknown KPI "${key}"`);
    });
    const metricKeys = catalog.metricsOfKpis(input.kpiKeys);
    const fresh = await this.kpiFreshness({ manager, client, catalog });
    const first = periods[0];
    const last = periods[periods.length - 1];
    const buckets = await this.aggregates.aggregate(manager, {
      agencyId: client.agencyId,
      clientId: client.id,
      metricKeys,
      from: first.start,
      to: last.end,
      grain: SQL_GRAINS[input.grain],
    });
    const evaluator = await this.evaluatorFor(
      { manager, client, catalog },
      buckets,
      input.kpiKeys,
      { grain: 'CUSTOM', start: first.start, end: last.end },
      input.grain === 'DAY' ? first.start : null,
    );
    // Quarters and years combine the monthly targets as their values combine the months (KpiEvaluator.periodTarget).
    const monthsOrLonger = input.grain === 'MONTH' || input.grain === 'QUARTER' || input.grain === 'YEAR';
    const targets = monthsOrLonger ? await this.activeTargets(manager, client, first.start, last.end) : new Map<string, number>();
    const locale = input.locale ?? client.locale;
    const range: Period = { grain: 'CUSTOM', start: first.start, end: last.end };
    const support = breakdownSupportOf(catalog, input.kpiKeys);
    const byGroup = input.kpiKeys.filter((key) => support.get(key)?.byGroup === true);
    const groups = input.breakdown
      ? await this.groupEvaluators(
          { manager, client, catalog },
          {
            dimension: input.breakdown,
            catalog,
            kpiKeys: byGroup,
            from: first.start,
            to: last.end,
            grain: SQL_GRAINS[input.grain],
            reported: range,
            volumePeriod: range,
            dailyFrom: input.grain === 'DAY' ? first.start : null,
            locale,
          },
        )
      : null;
    const series: KpiSeries[] = [];
    for (const kpiKey of input.kpiKeys) {
      // One KPI's points at a time, then the event loop gets a turn: a long daily series is
      // evaluated in slices of a few milliseconds, so /health and other users' requests
      // never wait for a whole series (bench:abuse measures it).
      if (series.length > 0) await yieldToEventLoop();
      const kpi = evaluator.kpi(kpiKey);
      series.push({
        kpiKey,
        name: this.kpiName(kpiKey, locale, catalog.customKpi(kpiKey)?.name),
        unit: kpi?.unit ?? 'COUNT',
        // Days stop coming at the connection's last pull: the series' last period is the first to lack them.
        ...freshness(fresh.ofKpi(kpiKey, last.end)),
        points: periods.map((period) => {
          const monthlyTarget = (start: string): number | null => targets.get(`${kpiKey}|${start}`) ?? null;
          if (input.grain !== 'QUARTER' && input.grain !== 'YEAR') return this.point(evaluator, kpiKey, period, monthlyTarget(period.start));
          return { ...this.point(evaluator, kpiKey, period, evaluator.periodTarget(kpiKey, period, monthlyTarget)), rollUp: kpi?.rollUp ?? null };
        }),
        breakdown: groups ? this.seriesBreakdown(groups, kpiKey, support.get(kpiKey)?.byGroup === true, periods, input.grain, kpi?.rollUp ?? null) : null,
      });
    }
    return series;
  }

  /**
   * Every KPI of the active plan over a month: value, target, attainment and status (paced
   * while the month runs), previous month, same month last year, year to date against last
   * year's and the targets so far, 13-month series with the same months last year. All from
   * the monthly roll-up of the 25 months that end with the reported one (see monthlyShape).
   */
  async scorecard(input: { clientId: string; month: string; locale?: Locale; today?: string; breakdown?: BreakdownDimension | null }): Promise<Scorecard> {
    const period = parseMonth('month', input.month);
    return this.inClientScope(input.clientId, (scope) => this.scorecardIn(scope, period, monthlyShape(period), input));
  }

  /** A month's scorecard in the caller's tenant transaction, judged at `today` (the alert evaluation's read). */
  monthScorecardIn(scope: ClientScope, month: string, today: string): Promise<Scorecard> {
    const period = parseMonth('month', month);
    return this.scorecardIn(scope, period, monthlyShape(period), { today });
  }

  /**
   * What a report prints, read in the caller's tenant transaction (one snapshot, one
   * transaction, the client and catalog loaded once): the scorecard and the funnel of a month
   * (`MONTHLY`, from its 1st) or of an ISO week (`WEEKLY`, from its Monday).
   */
  async reportFigures(
    scope: ClientScope,
    request: { kind: 'MONTHLY' | 'WEEKLY'; periodStart: string; locale: Locale },
  ): Promise<{ scorecard: Scorecard; funnel: Funnel }> {
    const weekly = request.kind === 'WEEKLY';
    const period = weekly ? parseWeekStart('periodStart', request.periodStart) : parseMonth('periodStart', request.periodStart.slice(0, 7));
    // The connections' health is read once for both: the funnel's rates are the scorecard's, stale alike.
    const fresh = await this.kpiFreshness(scope);
    const scorecard = await this.scorecardIn(scope, period, weekly ? weeklyShape(period) : monthlyShape(period), { locale: request.locale }, fresh);
    return { scorecard, funnel: await this.funnelIn(scope, period, scorecard, null, fresh) };
  }

  /** With `breakdown`, the funnel's stages per group as well (see funnelIn). */
  async funnel(input: { clientId: string; month: string; locale?: Locale; breakdown?: BreakdownDimension | null }): Promise<Funnel> {
    return this.funnelOver(input, parseMonth('month', input.month));
  }

  /** The funnel over one ISO week (weekly operational reports). */
  async weeklyFunnel(input: { clientId: string; weekStart: string; locale?: Locale; breakdown?: BreakdownDimension | null }): Promise<Funnel> {
    return this.funnelOver(input, parseWeekStart('weekStart', input.weekStart));
  }

  private async funnelOver(input: { clientId: string; locale?: Locale; breakdown?: BreakdownDimension | null }, period: Period): Promise<Funnel> {
    return this.inClientScope(input.clientId, (scope) =>
      this.funnelIn(scope, period, null, input.breakdown ? { dimension: input.breakdown, locale: input.locale ?? scope.client.locale } : null),
    );
  }

  /**
   * The client's funnel over `period` (see FUNNELS): each step's count, each step's rate as a
   * KPI (the catalog's conversion KPI, or the funnel's own for a step the catalog has none for)
   * and the one revenue figure. With the period's `scorecard` (a report), a rate or revenue KPI
   * the plan has is taken from its row, so the funnel prints the scorecard's figure; without it
   * (the API), the same KPIs are evaluated by the same engine over day buckets.
   */
  private async funnelIn(
    { manager, client, catalog }: ClientScope,
    period: Period,
    scorecard: Scorecard | null = null,
    breakdown: { dimension: BreakdownDimension; locale: Locale } | null = null,
    knownFreshness: KpiFreshness | null = null,
  ): Promise<Funnel> {
    const model = client.businessModel;
    const definition = FUNNELS[model];
    const planKpiKeys = scorecard !== null ? scorecard.rows.map((row) => row.kpiKey) : await this.activePlanKpiKeys(manager, client);
    const planValues = new Map((scorecard?.rows ?? []).map((row) => [row.kpiKey, row.value]));
    const withRates = new AgencyCatalog(catalog.customMetrics, [...catalog.customKpis, ...funnelRateKpis(model)]);
    const rateKpiKeys = definition.steps.slice(1).map((step, index) => funnelRateKpiKey(step, definition.steps[index] ?? step));
    const revenue = funnelRevenueSource(model, planKpiKeys);
    const metricKeys = [
      ...new Set([
        ...definition.steps.map((step) => step.metricKey),
        ...withRates.metricsOfKpis(revenue.kind === 'KPI' ? [...rateKpiKeys, revenue.kpiKey] : rateKpiKeys),
        ...(revenue.kind === 'METRIC' ? [revenue.metricKey] : []),
      ]),
    ];
    const buckets = await this.aggregates.aggregate(manager, {
      agencyId: client.agencyId,
      clientId: client.id,
      metricKeys,
      from: period.start,
      to: period.end,
      grain: 'day',
    });
    // Day buckets over the whole period: rates align their inputs on the days all of them have data, as the scorecard's.
    const evaluator = new KpiEvaluator(withRates, buckets, { metricKeys, from: period.start, to: period.end, buckets });
    const kpiValue = (kpiKey: string): number | null => (planValues.has(kpiKey) ? (planValues.get(kpiKey) ?? null) : evaluator.evaluate(kpiKey, period).value);
    // The funnel's own rate KPIs are known to `withRates` only: their metrics are followed down there.
    const feeds = (knownFreshness ?? (await this.kpiFreshness({ manager, client, catalog }))).feeds;
    const fresh = new KpiFreshness((kpiKey) => withRates.metricsOfKpis([kpiKey]), feeds);
    const stepFreshness = (step: FunnelStepValue, onlySource: string | null): FunnelStageValue => ({
      ...step,
      ...freshness(fresh.of({ metricKeys: [step.metricKey], kpiKeys: step.rateKpiKey === null ? [] : [step.rateKpiKey] }, period.end, onlySource)),
    });
    const stages = computeFunnel(model, (metricKey) => evaluator.metric(metricKey, period), kpiValue).map((step) => stepFreshness(step, null));
    let funnelBreakdown: FunnelBreakdown | null = null;
    if (breakdown) {
      // Per group, a step whose count no channel owns (customers, MRR…) has no value, nor a rate reading it.
      const support = breakdownSupportOf(withRates, [...rateKpiKeys, ...(revenue.kind === 'KPI' ? [revenue.kpiKey] : [])]);
      const groupKpis = [...support].filter(([, value]) => value.byGroup).map(([key]) => key);
      const attributable = (metricKey: string): boolean => kpiBreakdownSupport([metricKey]).byGroup;
      const groups = await this.groupEvaluators(
        { manager, client, catalog },
        {
          dimension: breakdown.dimension,
          catalog: withRates,
          kpiKeys: groupKpis,
          extraMetricKeys: metricKeys.filter(attributable),
          from: period.start,
          to: period.end,
          grain: 'day',
          reported: period,
          volumePeriod: period,
          dailyFrom: period.start,
          locale: breakdown.locale,
        },
      );
      funnelBreakdown = {
        info: groups.info,
        groups: groups.groups.map(({ key, label, evaluator: group }) => {
          const rate = (kpiKey: string): number | null => (support.get(kpiKey)?.byGroup === true ? group.evaluate(kpiKey, period).value : null);
          // A source's group stands on that source alone; a channel's or a campaign's on any source it gathers.
          const onlySource = breakdown.dimension === 'SOURCE' ? key : null;
          return {
            key,
            label,
            stages: computeFunnel(model, (metricKey) => (attributable(metricKey) ? group.metric(metricKey, period) : NO_COUNT), rate).map((step) =>
              stepFreshness(step, onlySource),
            ),
            revenue: revenue.kind === 'KPI' ? rate(revenue.kpiKey) : attributable(revenue.metricKey) ? group.metric(revenue.metricKey, period).value : null,
          };
        }),
      };
    }
    return {
      clientId: client.id,
      start: period.start,
      end: period.end,
      counts: definition.counts,
      stages,
      revenue:
        revenue.kind === 'KPI'
          ? { kpiKey: revenue.kpiKey, metricKey: null, value: kpiValue(revenue.kpiKey), ...freshness(fresh.of({ kpiKeys: [revenue.kpiKey] }, period.end)) }
          : {
              kpiKey: null,
              metricKey: revenue.metricKey,
              value: evaluator.metric(revenue.metricKey, period).value,
              ...freshness(fresh.of({ metricKeys: [revenue.metricKey] }, period.end)),
            },
      breakdown: funnelBreakdown,
    };
  }

  private async activePlanKpiKeys(manager: EntityManager, client: ClientEntity): Promise<string[]> {
    const plan = await this.activePlan(manager, client);
    if (!plan) return [];
    const rows = await manager.find(PlanKpiEntity, { where: { agencyId: client.agencyId, planId: plan.id }, order: { position: 'ASC' } });
    return rows.map((row) => row.kpiKey);
  }

  /**
   * The scorecard of one ISO week, Monday to Sunday in the client's local dates, for the weekly
   * operational report. Same rows as the monthly `scorecard`, read at week grain:
   * - `value`: the week; `mom`: the previous week; `yoy`: the same ISO week number last year
   *   (week 52 when last year had no week 53); `ytd`: January 1 to the week's Sunday, against
   *   the same stretch of last year;
   * - `target`: the monthly targets brought to the week (see `weeklyTarget`: flows prorated by
   *   the days of the week in each month, rates and stocks as they are; none for a rate over a
   *   stock base, see `weekTarget`), and the status against it, paced by the days elapsed while
   *   the week runs;
   * - `series`: the last `WEEKLY_SERIES_WEEKS` weeks with their weekly targets.
   * Every value is the one `kpiSeries` returns at WEEK grain for that week: one day-level
   * aggregate read, combined per period by the same evaluator. Figures typed per month sit on
   * the 1st (see MetricValueEntity) and so count in the week holding it, as in `kpiSeries`.
   */
  async weeklyScorecard(input: {
    clientId: string;
    weekStart: string;
    locale?: Locale;
    today?: string;
    breakdown?: BreakdownDimension | null;
  }): Promise<Scorecard> {
    const period = parseWeekStart('weekStart', input.weekStart);
    return this.inClientScope(input.clientId, (scope) => this.scorecardIn(scope, period, weeklyShape(period), input));
  }

  /** Runs `work` in one tenant transaction with the client (if the user may see it) and the agency's catalog. */
  private inClientScope<T>(clientId: string, work: (scope: ClientScope) => Promise<T>): Promise<T> {
    return this.db.run(async (manager) => {
      const client = await findVisibleClient(manager, clientId);
      return work({ manager, client, catalog: await loadAgencyCatalog(manager) });
    });
  }

  /**
   * The rows of a scorecard over `period`: one aggregate read from `shape.from` to the period's
   * end at `shape.grain`, evaluated in memory for the period, the one before, the same one last
   * year, both years to date and the series. Year-to-date targets of volumes add up the months'
   * targets, prorated by days where a month is cut (see `proratedFlowTarget`); rates and stocks
   * are held to the period's own target.
   */
  private async scorecardIn(
    { manager, client, catalog }: ClientScope,
    period: Period,
    shape: ScorecardShape,
    input: { locale?: Locale; today?: string; breakdown?: BreakdownDimension | null },
    knownFreshness: KpiFreshness | null = null,
  ): Promise<Scorecard> {
    const plan = await this.activePlan(manager, client);
    if (!plan) return { clientId: client.id, start: period.start, end: period.end, planVersion: null, rows: [] };
    const planKpis = await manager.find(PlanKpiEntity, { where: { agencyId: client.agencyId, planId: plan.id }, order: { position: 'ASC' } });
    const targets = await findPlanTargets(manager, plan, `${shape.from.slice(0, 7)}-01`, period.end);
    const kpiKeys = planKpis.map((row) => row.kpiKey);
    const buckets = await this.aggregates.aggregate(manager, {
      agencyId: client.agencyId,
      clientId: client.id,
      metricKeys: catalog.metricsOfKpis(kpiKeys),
      from: shape.from,
      to: period.end,
      grain: shape.grain,
    });
    const evaluator = await this.evaluatorFor({ manager, client, catalog }, buckets, kpiKeys, period, shape.grain === 'day' ? shape.from : null);
    const fresh = knownFreshness ?? (await this.kpiFreshness({ manager, client, catalog }));
    const today = input.today ?? localDate(new Date(), client.timeZone);
    const locale = input.locale ?? client.locale;
    const previous = previousPeriod(period);
    const lastYear = samePeriodLastYear(period);
    const ytd = yearToDate(period.end);
    const ytdLastYear = yearToDateLastYear(ytd);
    const rows = planKpis.map((row): ScorecardRow => {
      const kpi = evaluator.kpi(row.kpiKey);
      const unit = kpi?.unit ?? 'COUNT';
      const direction = kpi?.direction ?? 'HIGHER_IS_BETTER';
      const aggregation = kpi?.aggregation ?? 'FLOW';
      const rollUp = kpi?.rollUp ?? 'SUM';
      const monthlyTarget = (monthStart: string): number | null => targets.get(`${row.kpiKey}|${monthStart}`) ?? null;
      const current = evaluator.evaluate(row.kpiKey, period);
      const target = shape.target(period, { aggregation, rollUp }, monthlyTarget);
      const assessment = assessAgainstTarget({
        value: current.value,
        target,
        direction,
        unit,
        aggregation,
        elapsedFraction: elapsedFraction(period, today),
        coveredFraction: coveredFraction(current, period, today),
      });
      const previousValue = evaluator.evaluate(row.kpiKey, previous);
      const lastYearValue = evaluator.evaluate(row.kpiKey, lastYear);
      const ytdValue = evaluator.evaluate(row.kpiKey, ytd);
      const ytdLastYearValue = evaluator.evaluate(row.kpiKey, ytdLastYear);
      return {
        kpiKey: row.kpiKey,
        name: this.kpiName(row.kpiKey, locale, catalog.customKpi(row.kpiKey)?.name),
        stage: row.stage,
        objectiveKey: row.objectiveKey,
        unit,
        direction,
        value: current.value,
        state: current.state,
        coverage: current.coverage,
        daysWithData: current.daysWithData,
        daysInPeriod: current.daysInPeriod,
        target,
        expected: assessment.expected,
        attainment: assessment.attainment,
        status: assessment.status,
        explanation: assessment.explanation,
        mom: { value: previousValue.value, change: compareValues(current.value, previousValue.value, unit) },
        yoy: { value: lastYearValue.value, change: compareValues(current.value, lastYearValue.value, unit) },
        ytd: {
          value: ytdValue.value,
          target: evaluator.periodTarget(row.kpiKey, ytd, monthlyTarget),
          lastYear: { value: ytdLastYearValue.value, change: compareValues(ytdValue.value, ytdLastYearValue.value, unit) },
          rollUp,
        },
        series: shape.series.map((point) => ({
          ...this.point(evaluator, row.kpiKey, point, shape.target(point, { aggregation, rollUp }, monthlyTarget)),
          lastYear: evaluator.evaluate(row.kpiKey, samePeriodLastYear(point)).value,
        })),
        gaps: this.gaps(evaluator, row.kpiKey, period, today, locale, catalog),
        incomplete: assessment.incomplete,
        ...freshness(fresh.ofKpi(row.kpiKey, period.end)),
      };
    });
    if (!input.breakdown) return { clientId: client.id, start: period.start, end: period.end, planVersion: plan.version, rows };
    const { info, breakdowns } = await this.scorecardBreakdown({ manager, client, catalog }, rows, period, shape, input.breakdown, locale);
    return {
      clientId: client.id,
      start: period.start,
      end: period.end,
      planVersion: plan.version,
      rows: rows.map((row) => ({ ...row, breakdown: breakdowns.get(row.kpiKey) })),
      breakdown: info,
    };
  }

  /**
   * Each row's KPI per group over the period and the one before (MoM, or the previous week),
   * with the same rules as the total: the groups' values of the two periods are read at the
   * scorecard's grain (the roll-up's months, or days for a week), each group evaluated by its
   * own KpiEvaluator (ratio of sums per group, stocks at the group's latest day, coverage
   * aligned per group). No per-group targets: targets are set on the total. BLENDED KPIs
   * (kpiBreakdownSupport) are the total's only.
   */
  private async scorecardBreakdown(
    scope: ClientScope,
    rows: readonly ScorecardRow[],
    period: Period,
    shape: ScorecardShape,
    dimension: BreakdownDimension,
    locale: Locale,
  ): Promise<{ info: BreakdownInfo; breakdowns: Map<string, KpiBreakdown> }> {
    const previous = previousPeriod(period);
    const support = breakdownSupportOf(
      scope.catalog,
      rows.map((row) => row.kpiKey),
    );
    const kpiKeys = rows.map((row) => row.kpiKey).filter((key) => support.get(key)?.byGroup === true);
    const { info, groups } = await this.groupEvaluators(scope, {
      dimension,
      catalog: scope.catalog,
      kpiKeys,
      from: previous.start,
      to: period.end,
      grain: shape.grain,
      reported: period,
      volumePeriod: period,
      dailyFrom: shape.grain === 'day' ? previous.start : null,
      locale,
    });
    const breakdowns = new Map<string, KpiBreakdown>();
    for (const row of rows) {
      const rowSupport = support.get(row.kpiKey);
      if (rowSupport?.byGroup !== true) {
        breakdowns.set(row.kpiKey, { totalOnly: true, reason: rowSupport?.byGroup === false ? rowSupport.reason : 'BLENDED', groups: [] });
        continue;
      }
      // A volume's groups add up to the total (SUM roll-up): their share of it says which channel brings the most.
      const volume = row.ytd.rollUp === 'SUM' && row.value !== null && row.value !== 0 ? row.value : null;
      breakdowns.set(row.kpiKey, {
        totalOnly: false,
        reason: null,
        groups: groups.map(({ key, label, evaluator }) => {
          const current = evaluator.evaluate(row.kpiKey, period);
          const before = evaluator.evaluate(row.kpiKey, previous);
          return {
            key,
            label,
            value: current.value,
            state: current.state,
            coverage: current.coverage,
            daysWithData: current.daysWithData,
            daysInPeriod: current.daysInPeriod,
            previous: { value: before.value, change: compareValues(current.value, before.value, row.unit) },
            share: volume !== null && current.value !== null ? current.value / volume : null,
          };
        }),
      });
    }
    return { info, breakdowns };
  }

  /** A series' points per group, without targets (they are set on the total). */
  private seriesBreakdown(
    read: { info: BreakdownInfo; groups: readonly GroupEvaluator[] },
    kpiKey: string,
    byGroup: boolean,
    periods: readonly Period[],
    grain: PeriodGrain,
    rollUp: KpiRollUp | null,
  ): KpiSeriesBreakdown {
    if (!byGroup) return { info: read.info, totalOnly: true, reason: 'BLENDED', groups: [] };
    const longerThanMonths = grain === 'QUARTER' || grain === 'YEAR';
    return {
      info: read.info,
      totalOnly: false,
      reason: null,
      groups: read.groups.map(({ key, label, evaluator }) => ({
        key,
        label,
        points: periods.map((period) => ({ ...this.point(evaluator, kpiKey, period, null), ...(longerThanMonths ? { rollUp } : {}) })),
      })),
    };
  }

  /**
   * The groups of a breakdown, each with an evaluator over its own values, in the breakdown's
   * order: the main volume over `volumePeriod`, largest first, then by key; "others" last.
   * Channels (8 at most) are read in one query. Sources and campaigns are ranked first (one
   * small query), and beyond MAX_BREAKDOWN_GROUPS the rest are read as one "others" group: the
   * work and the answer stay bounded whatever an ETL sends. With month buckets, the days a
   * group's ratios need to be aligned on are read in one more query for all groups at once.
   */
  private async groupEvaluators(scope: ClientScope, read: GroupRead): Promise<{ info: BreakdownInfo; groups: GroupEvaluator[] }> {
    const { manager, client } = scope;
    const metricKeys = [...new Set([...read.catalog.metricsOfKpis(read.kpiKeys), ...(read.extraMetricKeys ?? [])])].sort();
    const rankedBy = mainVolumeMetric(metricKeys);
    if (metricKeys.length === 0 || rankedBy === null)
      return { info: { dimension: read.dimension, rankedBy: null, groupCount: 0, foldedGroups: 0 }, groups: [] };
    const query = { agencyId: client.agencyId, clientId: client.id, metricKeys, from: read.from, to: read.to };
    let keep: string[] | null = null;
    let foldedGroups = 0;
    if (read.dimension !== 'CHANNEL') {
      const ranked = await this.aggregates.rankGroups(manager, query, read.dimension, {
        volumeMetric: rankedBy,
        volumeFrom: read.volumePeriod.start,
        volumeTo: read.volumePeriod.end,
        limit: MAX_BREAKDOWN_GROUPS,
      });
      if (ranked.total > MAX_BREAKDOWN_GROUPS) {
        keep = ranked.groups.map((group) => group.group);
        foldedGroups = ranked.total - keep.length;
      }
    }
    const buckets = await this.aggregates.breakdownFolded(manager, { ...query, grain: read.grain }, read.dimension, keep);
    const byGroup = groupBuckets(buckets);
    let evaluators = new Map<string | null, KpiEvaluator>();
    if (read.dailyFrom !== null) {
      const dailyFrom = read.dailyFrom;
      for (const [key, list] of byGroup)
        evaluators.set(key, new KpiEvaluator(read.catalog, list, { metricKeys, from: dailyFrom, to: read.reported.end, buckets: list }));
    } else {
      for (const [key, list] of byGroup) evaluators.set(key, new KpiEvaluator(read.catalog, list));
      // The union of what each group needs: reading a little more than one group needs changes nothing (its days are known).
      const needed = [...evaluators.values()].map((evaluator) => evaluator.daysToRead(read.kpiKeys, read.reported)).filter((days) => days !== null);
      if (needed.length > 0) {
        const union = {
          metricKeys: [...new Set(needed.flatMap((days) => days.metricKeys))].sort(),
          from: earliest(needed.map((days) => days.from)),
          to: needed.map((days) => days.to).reduce((last, date) => (date > last ? date : last)),
        };
        const days = groupBuckets(await this.aggregates.breakdownFolded(manager, { ...query, ...union, grain: 'day' }, read.dimension, keep));
        evaluators = new Map([...byGroup].map(([key, list]) => [key, new KpiEvaluator(read.catalog, list, { ...union, buckets: days.get(key) ?? [] })]));
      }
    }
    const volume = (evaluator: KpiEvaluator): number => evaluator.metric(rankedBy, read.volumePeriod).value ?? Number.NEGATIVE_INFINITY;
    const groups = [...evaluators]
      .map(([key, evaluator]) => ({ key, label: breakdownGroupLabel(read.dimension, key, read.locale), evaluator, volume: volume(evaluator) }))
      .sort((a, b) => {
        if (a.key === null || b.key === null) return a.key === null ? (b.key === null ? 0 : 1) : -1;
        return b.volume - a.volume || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
      })
      .map(({ key, label, evaluator }) => ({ key, label, evaluator }));
    const shown = groups.filter((group) => group.key !== null).length;
    return { info: { dimension: read.dimension, rankedBy, groupCount: shown + foldedGroups, foldedGroups }, groups };
  }

  /**
   * A KPI's value for each month of `year` (null where there is no data), inside the caller's
   * tenant transaction: the seasonality a yearly target is split along.
   */
  async monthlyValues(manager: EntityManager, clientId: string, kpiKey: string, year: number): Promise<Array<number | null>> {
    const { agencyId } = currentTenant();
    const catalog = await loadAgencyCatalog(manager);
    const kpi = catalog.findKpi(kpiKey);
    if (!kpi) return [];
    const months = periodsBetween(`${year}-01-01`, `${year}-12-31`, 'MONTH');
    const buckets = await this.aggregates.aggregate(manager, {
      agencyId,
      clientId,
      metricKeys: catalog.requiredMetrics(kpi),
      from: months[0].start,
      to: months[months.length - 1].end,
      grain: 'month',
    });
    const evaluator = new KpiEvaluator(catalog, buckets);
    return months.map((month) => evaluator.evaluate(kpiKey, month).value);
  }

  /**
   * An evaluator over `buckets` that can align ratios on their common days: day buckets are
   * read directly, or (month buckets) with one extra aggregate query for just the flows and
   * months whose coverage differs, and the reported period's flows with missing days.
   */
  private async evaluatorFor(
    { manager, client, catalog }: ClientScope,
    buckets: readonly MetricBucket[],
    kpiKeys: readonly string[],
    reported: Period,
    dailyFrom: string | null,
  ): Promise<KpiEvaluator> {
    if (dailyFrom !== null) {
      // Day buckets from `dailyFrom`: every day of every metric read is known.
      return new KpiEvaluator(catalog, buckets, { metricKeys: catalog.metricsOfKpis(kpiKeys), from: dailyFrom, to: reported.end, buckets });
    }
    const monthly = new KpiEvaluator(catalog, buckets);
    const needed = monthly.daysToRead(kpiKeys, reported);
    if (!needed) return monthly;
    const days = await this.aggregates.aggregate(manager, { agencyId: client.agencyId, clientId: client.id, ...needed, grain: 'day' });
    return new KpiEvaluator(catalog, buckets, { ...needed, buckets: days });
  }

  /**
   * The client's connections that stopped syncing, read once per request (one query, see
   * findUnhealthyConnections) and held against each KPI's metrics in memory.
   */
  private async kpiFreshness({ manager, client, catalog }: ClientScope): Promise<KpiFreshness> {
    const connections = await findUnhealthyConnections(manager, { agencyId: client.agencyId, clientId: client.id });
    return new KpiFreshness((kpiKey) => catalog.metricsOfKpis([kpiKey]), connections);
  }

  private gaps(evaluator: KpiEvaluator, kpiKey: string, period: Period, today: string, locale: Locale, catalog: AgencyCatalog): KpiInputGap[] {
    return evaluator.gaps(kpiKey, period, today).map((gap) => ({
      ...gap,
      name: findMetric(gap.metricKey)?.name[locale] ?? catalog.customMetric(gap.metricKey)?.name ?? gap.metricKey,
    }));
  }

  private point(evaluator: KpiEvaluator, kpiKey: string, period: Period, target: number | null): KpiPoint {
    const value = evaluator.evaluate(kpiKey, period);
    return { start: period.start, end: period.end, value: value.value, target, coverage: value.coverage, state: value.state };
  }

  private kpiName(key: string, locale: Locale, customName: string | undefined): string {
    return findKpi(key)?.name[locale] ?? customName ?? key;
  }

  private activePlan(manager: EntityManager, client: ClientEntity): Promise<KpiPlanEntity | null> {
    return manager.findOneBy(KpiPlanEntity, { agencyId: client.agencyId, clientId: client.id, status: 'ACTIVE' });
  }

  private async activeTargets(manager: EntityManager, client: ClientEntity, from: string, to: string): Promise<Map<string, number>> {
    const plan = await this.activePlan(manager, client);
    return plan ? findPlanTargets(manager, plan, from, to) : new Map();
  }
}
