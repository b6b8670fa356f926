import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgencyEntity, currentTenant, findVisibleClient, TenantDatabase, UserEntity, type ReportKind } from '@pilotage/database';
import {
  CHANNEL_NAMES,
  findKpi,
  findMetric,
  findObjective,
  formatFormula,
  formattingLocaleFor,
  FormulaSyntaxError,
  parseFormula,
  type FormulaNode,
  type Locale,
} from '@pilotage/kpi';
import {
  REPORT_SNAPSHOT_SCHEMA_VERSION,
  type ReportChannelRow,
  type ReportChannels,
  type ReportFunnelStep,
  type ReportKpi,
  type ReportObjective,
  type ReportRevenueFigure,
  type ReportSnapshot,
} from '@pilotage/reporting';
import {
  AnalyticsService,
  ChannelFiguresReader,
  loadAgencyCatalog,
  parseMonth,
  parseWeekStart,
  type ChannelFigures,
  type ScorecardRow,
} from '@pilotage/analytics';
import type { AgencyCatalog } from '@pilotage/kpi';

export interface SnapshotRequest {
  readonly clientId: string;
  readonly kind: ReportKind;
  /** First day of the period, `YYYY-MM-DD`. */
  readonly periodStart: string;
  /** The user the report is signed by; the agency signs when there is none. */
  readonly authorUserId: string | null;
  /** Overrides the client's language (previews in the other language). */
  readonly locale?: Locale;
}

/** Replaces each metric or KPI key of a formula tree by its name in `locale`. */
function withNames(node: FormulaNode, nameOf: (key: string) => string): FormulaNode {
  switch (node.kind) {
    case 'number':
      return node;
    case 'reference':
      return { kind: 'reference', name: nameOf(node.name) };
    case 'negate':
      return { kind: 'negate', operand: withNames(node.operand, nameOf) };
    case 'binary':
      return { ...node, left: withNames(node.left, nameOf), right: withNames(node.right, nameOf) };
    case 'call':
      return { ...node, args: node.args.map((arg) => withNames(arg, nameOf)) };
  }
}

/**
 * Builds the frozen input of a report from the same services the API answers with — the
 * analytics scorecard and funnel, the plan's objectives, catalog texts, branding — so that
 * every figure printed equals what `scorecard` returns for that month.
 *
 * Two kinds, after the seed articles' advice to keep two reportings: a monthly point on the
 * business KPIs against the targets set for each month, and a report "at the start of each
 * week" on the operational KPIs, "a few main KPIs for each channel", to know whether things
 * go the right way.
 *
 * - MONTHLY: the calendar month; previous month, same month last year, year to date, 13 months.
 * - WEEKLY: the ISO week, Monday to Sunday in the client's local dates, from
 *   `AnalyticsService.weeklyScorecard`: every KPI of the active plan for the week, the
 *   previous week (in the `mom` slot), the same ISO week last year (`yoy`), the year to date
 *   to the week's Sunday (`ytd`), a 13-week series whose points are the weeks' Mondays
 *   (`YYYY-MM-DD`, drawn "S41"/"W41"), the monthly targets brought to the week (flows
 *   prorated by the week's days in each month, rates and stocks as they are: `weeklyTarget`),
 *   the status against them, the week's coverage (days with data out of 7) and the week's funnel.
 *
 * Both kinds now also carry the figures per channel (`channels`, from ChannelFiguresReader in
 * the same tenant transaction): metric values carry a channel and a campaign since issue 13,
 * so a figure can be split by channel, not only filtered. The weekly report opens with them —
 * the seeds' "a few main KPIs for each channel" (spend, clicks, CPC, conversions, CPA, ROAS vs
 * the previous week, the total against the plan's prorated targets, the top campaigns) — and
 * the monthly one adds a channel section when the client has more than one channel that month.
 * It stays one report per client, with the channels as a table, not one report per channel:
 * the cross-channel KPIs the seeds say matter most week to week ("the most important is not to
 * know which channel made which sale but to follow the conversions") belong to no channel, and
 * a report per channel would multiply the drafts a project manager approves each Monday.
 *
 * Editorial content (commentary, per-KPI commentary, edited narrative) lives on the report
 * row, not in the snapshot: it is laid over the snapshot at each render (see
 * `withEditorialContent`), so editing it never re-reads the numbers.
 */
@Injectable()
export class ReportSnapshotAssembler {
  constructor(
    private readonly db: TenantDatabase,
    private readonly analytics: AnalyticsService,
    private readonly channelFigures: ChannelFiguresReader,
  ) {}

  async assemble(request: SnapshotRequest): Promise<ReportSnapshot> {
    // One tenant transaction: every figure of the snapshot is read from the same state of the data.
    const { agency, client, author, catalog, scorecard, funnel, channels, locale } = await this.db.run(async (manager) => {
      const clientEntity = await findVisibleClient(manager, request.clientId);
      const agencyCatalog = await loadAgencyCatalog(manager);
      const reportLocale = request.locale ?? clientEntity.locale;
      const scope = { manager, client: clientEntity, catalog: agencyCatalog };
      const figures = await this.analytics.reportFigures(scope, { kind: request.kind, periodStart: request.periodStart, locale: reportLocale });
      const period =
        request.kind === 'WEEKLY' ? parseWeekStart('periodStart', request.periodStart) : parseMonth('periodStart', request.periodStart.slice(0, 7));
      return {
        channels: await this.channelFigures.read(scope, period),
        agency: await manager.findOneByOrFail(AgencyEntity, { id: currentTenant().agencyId }),
        client: clientEntity,
        author: await this.authorName(manager, request.authorUserId),
        catalog: agencyCatalog,
        locale: reportLocale,
        ...figures,
      };
    });

    const kpis = scorecard.rows.map((row) => this.kpi(row, locale, catalog, request.kind));
    const kpiKeys = new Set(kpis.map((kpi) => kpi.key));
    const objectiveKeys = [...new Set(scorecard.rows.map((row) => row.objectiveKey))];
    const objectives: ReportObjective[] = objectiveKeys.map((key) => ({
      key,
      name: findObjective(key)?.name[locale] ?? key,
      kpis: scorecard.rows.filter((row) => row.objectiveKey === key).map((row) => row.kpiKey),
    }));
    const funnelSteps: ReportFunnelStep[] = funnel.stages.map((stage) => {
      const metric = findMetric(stage.metricKey);
      return {
        stage: stage.stage,
        // The funnel counts metrics; it links to the plan's KPI of the same key when there is one.
        kpiKey: kpiKeys.has(stage.metricKey) ? stage.metricKey : null,
        label: metric?.name[locale] ?? stage.metricKey,
        unit: metric?.unit ?? null,
        value: stage.value,
        conversionFromPrevious: stage.conversionFromPrevious,
        daysWithData: stage.daysWithData,
        daysInPeriod: stage.daysInPeriod,
        rateKpiKey: stage.rateKpiKey !== null && kpiKeys.has(stage.rateKpiKey) ? stage.rateKpiKey : null,
      };
    });
    const revenueKpi = scorecard.rows.find((row) => row.kpiKey === funnel.revenue.kpiKey);
    const revenueMetricKey = funnel.revenue.metricKey;
    const funnelRevenue: ReportRevenueFigure | null =
      revenueKpi !== undefined
        ? { kpiKey: revenueKpi.kpiKey, label: revenueKpi.name, value: revenueKpi.value }
        : revenueMetricKey !== null
          ? { kpiKey: null, label: findMetric(revenueMetricKey)?.name[locale] ?? revenueMetricKey, value: funnel.revenue.value }
          : null;

    return {
      schemaVersion: REPORT_SNAPSHOT_SCHEMA_VERSION,
      agency: {
        name: agency.name,
        branding: {
          logoDataUri: agency.logoDataUri,
          primaryColor: client.primaryColor ?? agency.primaryColor,
          accentColor: agency.accentColor,
          fontFamily: agency.fontFamily,
          footerText: agency.footerText ?? '',
        },
      },
      client: {
        name: client.name,
        logoDataUri: client.logoDataUri,
        locale,
        formattingLocale: formattingLocaleFor(locale, client.formattingLocale),
        currency: client.currency,
        timeZone: client.timeZone,
      },
      period: { kind: request.kind, start: scorecard.start, end: scorecard.end },
      generatedAt: new Date().toISOString(),
      author: { name: author ?? agency.name },
      objectives,
      kpis,
      funnel: funnelSteps,
      funnelCounts: funnel.counts,
      funnelRevenue,
      channels: this.channels(channels, locale, catalog),
      commentary: null,
      narrative: [],
    };
  }

  /** The channel figures named in the report's language; null without any channel data. */
  private channels(figures: ChannelFigures, locale: Locale, catalog: AgencyCatalog): ReportChannels | null {
    if (figures.channels.length === 0) return null;
    const row = (source: ChannelFigures['channels'][number], name: string): ReportChannelRow => ({
      channel: source.channel,
      name,
      basis: source.basis,
      figures: source.figures,
      daysWithData: source.daysWithData,
      daysInPeriod: source.daysInPeriod,
    });
    return {
      conversionLabel:
        findMetric(figures.conversionMetricKey)?.name[locale] ?? catalog.customMetric(figures.conversionMetricKey)?.name ?? figures.conversionMetricKey,
      channels: figures.channels.map((channel) => row(channel, channel.channel === null ? '' : CHANNEL_NAMES[channel.channel][locale])),
      total: { ...row(figures.total, ''), targets: figures.total.targets },
      campaigns: figures.campaigns.map((campaign) => ({
        campaign: campaign.campaign,
        channelNames: campaign.channels.map((channel) => CHANNEL_NAMES[channel][locale]),
        basis: campaign.basis,
        spend: campaign.spend,
        clicks: campaign.clicks,
        conversions: campaign.conversions,
        costPerAcquisition: campaign.costPerAcquisition,
        roas: campaign.roas,
      })),
    };
  }

  private kpi(row: ScorecardRow, locale: Locale, catalog: AgencyCatalog, kind: ReportKind): ReportKpi {
    const system = findKpi(row.kpiKey);
    const custom = catalog.customKpi(row.kpiKey);
    const formula = system?.formula ?? custom?.formula ?? '';
    return {
      key: row.kpiKey,
      name: row.name,
      description: system?.description[locale] ?? custom?.description ?? '',
      stage: row.stage,
      unit: row.unit,
      direction: row.direction,
      formula: this.readableFormula(formula, locale, catalog),
      value: row.value,
      target: row.target,
      attainment: row.attainment,
      status: row.status,
      mom: { value: row.mom.value, change: row.mom.change },
      yoy: { value: row.yoy.value, change: row.yoy.change },
      ytd: { value: row.ytd.value, change: row.ytd.lastYear.change, rollUp: row.ytd.rollUp },
      coverage: row.coverage,
      daysWithData: row.daysWithData,
      daysInPeriod: row.daysInPeriod,
      // A month is named by `YYYY-MM`, a week by its Monday (see KpiSeriesPoint).
      series: row.series.map((point) => ({
        period: kind === 'WEEKLY' ? point.start : point.start.slice(0, 7),
        value: point.value,
        target: point.target,
        lastYear: point.lastYear,
      })),
      commentary: null,
      gaps: row.gaps,
      incomplete: row.incomplete,
      // Frozen with the values: the note says what the figures stood on when the report was made.
      staleSources: row.staleSources.map((source) => ({
        provider: source.provider,
        accountName: source.accountName,
        status: source.status,
        dataThrough: source.dataThrough,
      })),
    };
  }

  /** "Commandes / Sessions" rather than "orders / sessions": the appendix is read by the client. */
  private readableFormula(formula: string, locale: Locale, catalog: AgencyCatalog): string {
    const nameOf = (key: string): string =>
      findMetric(key)?.name[locale] ?? findKpi(key)?.name[locale] ?? catalog.customMetric(key)?.name ?? catalog.customKpi(key)?.name ?? key;
    try {
      return formatFormula(withNames(parseFormula(formula), nameOf)).replace(/ \* /g, ' × ');
    } catch (error) {
      // Formulas are validated when saved; an older one that no longer parses prints as written.
      if (error instanceof FormulaSyntaxError) return formula;
      throw error;
    }
  }

  private async authorName(manager: EntityManager, userId: string | null): Promise<string | null> {
    if (userId === null) return null;
    const user = await manager.findOneBy(UserEntity, { agencyId: currentTenant().agencyId, id: userId });
    return user?.displayName ?? null;
  }
}
