import type { Change, FormattingLocale, FunnelCount, FunnelStage, KpiDirection, KpiRollUp, KpiUnit, Locale, TargetStatus } from '@pilotage/kpi';

/**
 * Frozen input of a report. Assembled once from the database (tenant transaction, KPI
 * computations) and then rendered without any I/O: the same snapshot always gives the same
 * PDF, can be stored next to it and re-rendered after a template change.
 *
 * Plain JSON-serializable data only (no Date, no Map): snapshots are persisted and sent
 * through the job queue. Bump `schemaVersion` on any breaking change.
 */
export const REPORT_SNAPSHOT_SCHEMA_VERSION = 1;

/** Where a KPI stands against its target: the KPI engine's status, as the engine decides it. */
export type KpiStatus = TargetStatus;

export const REPORT_PERIOD_KINDS = ['MONTHLY', 'WEEKLY'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIOD_KINDS)[number];

export interface ReportBranding {
  /** `data:image/...;base64,` only; anything else is dropped at render time. */
  readonly logoDataUri: string | null;
  /** `#rrggbb`; an invalid colour falls back to the house colour (it ends up in CSS). */
  readonly primaryColor: string;
  readonly accentColor: string;
  /** One of `BUNDLED_FONTS`: fonts are inlined, nothing is fetched at render time. */
  readonly fontFamily: string;
  readonly footerText: string;
}

export interface ReportAgency {
  readonly name: string;
  readonly branding: ReportBranding;
}

export interface ReportClient {
  readonly name: string;
  readonly logoDataUri: string | null;
  /** Language of the report's words. */
  readonly locale: Locale;
  /**
   * How numbers, money and dates are written ('en-US': "$468,153", "October 5, 2026").
   * Absent from snapshots stored before it existed: the language's default then
   * (`defaultFormattingLocale`: fr → fr-FR, en → en-GB).
   */
  readonly formattingLocale?: FormattingLocale;
  /** ISO 4217 code, e.g. `EUR`. */
  readonly currency: string;
  /** IANA zone, e.g. `Europe/Paris`: dates such as `generatedAt` are shown in it. */
  readonly timeZone: string;
}

export interface ReportPeriod {
  readonly kind: ReportPeriodKind;
  /** Inclusive first day, `YYYY-MM-DD`, in the client's time zone. */
  readonly start: string;
  /** Inclusive last day, `YYYY-MM-DD`. */
  readonly end: string;
  /** Overrides the computed label ("octobre 2026"). */
  readonly label?: string;
}

/**
 * Difference between the reported value and a reference value.
 * `absolute` is value − reference in the KPI's unit. `percent` is absolute / |reference| as a
 * fraction (0.031 = 3.1 %), null when the reference is 0. For PERCENT KPIs the change is read
 * in percentage points (`kind: 'POINTS'`, `points` = absolute × 100), never in % of a %.
 */
export type KpiChange = Change;

/**
 * For `mom` and `yoy`, `value` is the reference (previous month, same month last year; for a
 * weekly report the previous week and the same ISO week last year).
 * For `ytd`, `value` is the year-to-date value and `change` compares it with last year's
 * year-to-date value.
 */
export interface KpiComparison {
  readonly value: number | null;
  readonly change: KpiChange | null;
}

/** The year to date: its value and the change from last year's, and how it combines the months. */
export interface KpiYearToDateComparison extends KpiComparison {
  /**
   * MONTHLY_AVERAGE: a rate over a stock base (churn, NRR) whose year to date is a
   * customer-month weighted monthly rate, printed "monthly average". Absent in snapshots
   * assembled before it existed (read as the KPI's plain roll-up).
   */
  readonly rollUp?: KpiRollUp;
}

/** Consecutive days (both included) on which an input of the KPI has no data. */
export interface KpiInputGap {
  readonly metricKey: string;
  /** The metric's name in the report's language. */
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

export interface KpiSeriesPoint {
  /** `YYYY-MM` for a month (monthly report); the week's Monday `YYYY-MM-DD` for an ISO week (weekly report). */
  readonly period: string;
  readonly value: number | null;
  readonly target: number | null;
  /**
   * The same period last year (same month, same ISO week), drawn beside this year's. Absent
   * from snapshots taken before it existed (drawn without a last-year series); null without data.
   */
  readonly lastYear?: number | null;
}

/**
 * How the narrative names the KPI inside a sentence ("le taux de conversion", plural for
 * "les sessions"), in the client's language. Without it the narrative falls back to a
 * "Name: +0.4 pt ..." form that needs no grammar.
 */
export interface KpiSubject {
  readonly text: string;
  readonly plural: boolean;
}

/** A connection to a platform account that stopped syncing before the period's end, as the report names it. */
export interface ReportStaleSource {
  /** GA4, GOOGLE_ADS, META_ADS or SEARCH_CONSOLE. */
  readonly provider: string;
  /** The account's name on the platform (its id when it has none). */
  readonly accountName: string;
  readonly status: 'NEEDS_REAUTHORIZATION' | 'FAILING';
  /** Last day its figures were pulled for (inclusive), `YYYY-MM-DD`; null when none ever were. */
  readonly dataThrough: string | null;
}

export interface ReportKpi {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly stage: FunnelStage;
  /** PERCENT values are fractions: 0.125 means 12.5 %. DURATION values are seconds. */
  readonly unit: KpiUnit;
  readonly direction: KpiDirection;
  readonly formula: string;
  readonly value: number | null;
  readonly target: number | null;
  /** Share of the target reached, direction-aware, as a fraction (1.05 = 105 %). */
  readonly attainment: number | null;
  readonly status: KpiStatus;
  readonly mom: KpiComparison;
  readonly yoy: KpiComparison;
  readonly ytd: KpiYearToDateComparison;
  /** Share of the period's days that have data (0..1); for a ratio, the days all the volumes it divides have data. */
  readonly coverage: number;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
  /** The last 13 months (or weeks, for a weekly report), oldest first, ending with the reported period. */
  readonly series: readonly KpiSeriesPoint[];
  readonly commentary: string | null;
  readonly subject?: KpiSubject | null;
  /** Days of the period on which an input of the KPI has no data (absent in older snapshots). */
  readonly gaps?: readonly KpiInputGap[];
  /** A volume lacking days, judged against its target prorated to its covered days (absent in older snapshots). */
  readonly incomplete?: boolean;
  /**
   * The connections the value stands on that stopped syncing before the period's end: the KPI is
   * stale, marked in the report with a note naming them. Frozen like the values (a later
   * reconnection does not change a report already made); absent in older snapshots, empty when fresh.
   */
  readonly staleSources?: readonly ReportStaleSource[];
}

export interface ReportObjective {
  readonly key: string;
  readonly name: string;
  readonly kpis: readonly string[];
}

export interface ReportFunnelStep {
  readonly stage: FunnelStage;
  /** The plan's KPI that counts this stage, when there is one: its name and unit are shown. */
  readonly kpiKey: string | null;
  /** Otherwise, what the stage counts (the metric's name, "Visiteurs") and its unit. */
  readonly label?: string | null;
  readonly unit?: KpiUnit | null;
  readonly value: number | null;
  /**
   * Share of the step above that reached this one (0.021 = 2.1 %): the plan's conversion KPI's
   * value when the plan has it (`rateKpiKey`), so that the funnel and the scorecard agree.
   */
  readonly conversionFromPrevious: number | null;
  /** Days of the period the step's count covers (absent from snapshots made before it was added). */
  readonly daysWithData?: number;
  readonly daysInPeriod?: number;
  /** The plan's KPI the rate is (e.g. `ecommerce_conversion_rate`), when the plan has it. */
  readonly rateKpiKey?: string | null;
}

/** The one revenue figure shown next to the funnel: the plan's revenue KPI, or else the revenue metric, named. */
export interface ReportRevenueFigure {
  /** The plan's revenue KPI (MRR for a SaaS plan that tracks it): the figure is its scorecard value. */
  readonly kpiKey: string | null;
  /** Its name (KPI or metric) in the client's language. */
  readonly label: string;
  readonly value: number | null;
}

/** The figures of a channel table, in the order they are printed. */
export const REPORT_CHANNEL_FIGURES = ['spend', 'clicks', 'costPerClick', 'conversions', 'costPerAcquisition', 'roas'] as const;
export type ReportChannelFigureKey = (typeof REPORT_CHANNEL_FIGURES)[number];

/** A figure of a channel row: this period, the previous one (week or month) and the change. */
export interface ReportChannelFigure {
  readonly value: number | null;
  readonly previous: number | null;
  readonly change: KpiChange | null;
}

/**
 * One channel (or the total) of the channel table. ADS: clicks and conversions are the ad
 * platforms'; TRAFFIC (organic search, e-mail, direct…: no ad clicks): clicks are the channel's
 * sessions and conversions the business's conversion step (`ReportChannels.conversionLabel`).
 */
export interface ReportChannelRow {
  /** CHANNELS code of libs/kpi; null for the total. */
  readonly channel: string | null;
  /** The channel's name in the report's language ("Recherche payante"); empty for the total (the template names it). */
  readonly name: string;
  readonly basis: 'ADS' | 'TRAFFIC';
  readonly figures: Readonly<Record<ReportChannelFigureKey, ReportChannelFigure>>;
  readonly daysWithData: number;
  readonly daysInPeriod: number;
}

/** The plan's target of one figure of the total, prorated to the period (a week: the monthly targets brought to the week). */
export interface ReportChannelTarget {
  readonly figure: ReportChannelFigureKey;
  readonly kpiKey: string;
  readonly target: number;
  readonly attainment: number | null;
  readonly status: KpiStatus;
}

export interface ReportCampaign {
  readonly campaign: string;
  /** Names of the channels the campaign ran on, in the report's language. */
  readonly channelNames: readonly string[];
  readonly basis: 'ADS' | 'TRAFFIC';
  readonly spend: number | null;
  readonly clicks: number | null;
  readonly conversions: number | null;
  readonly costPerAcquisition: number | null;
  readonly roas: number | null;
}

/** Spend, clicks, CPC, conversions, CPA and ROAS per channel against the previous period, the total, the top campaigns. */
export interface ReportChannels {
  /** What a TRAFFIC row's conversions count ("Commandes", "Leads"), in the report's language. */
  readonly conversionLabel: string;
  /** By spend, then clicks, then conversions; channels without data are left out. */
  readonly channels: readonly ReportChannelRow[];
  readonly total: ReportChannelRow & { readonly targets: readonly ReportChannelTarget[] };
  /** The period's top campaigns by spend, then conversions (five at most). */
  readonly campaigns: readonly ReportCampaign[];
}

/** A KPI figure a later version corrects: what the corrected version printed and what current values give. */
export interface ReportCorrection {
  readonly kpiKey: string;
  readonly name: string;
  readonly unit: KpiUnit;
  readonly oldValue: number | null;
  readonly newValue: number | null;
  /** When the change was first found (ISO 8601 instant). */
  readonly foundAt: string;
}

/** The corrections a new version of a report carries since the version it corrects. */
export interface ReportCorrections {
  /** The version corrected (a report's versions count from 1). */
  readonly sinceVersion: number;
  readonly items: readonly ReportCorrection[];
}

export interface ReportSnapshot {
  readonly schemaVersion: typeof REPORT_SNAPSHOT_SCHEMA_VERSION;
  readonly agency: ReportAgency;
  readonly client: ReportClient;
  readonly period: ReportPeriod;
  /** ISO 8601 instant. */
  readonly generatedAt: string;
  readonly author: { readonly name: string };
  readonly objectives: readonly ReportObjective[];
  readonly kpis: readonly ReportKpi[];
  /** Steps counting one kind of thing, each a subset of the one above (older snapshots also held money and referral). */
  readonly funnel: readonly ReportFunnelStep[];
  /** What the funnel's steps count; absent from older snapshots. */
  readonly funnelCounts?: FunnelCount;
  /** Shown apart from the funnel; absent from older snapshots. */
  readonly funnelRevenue?: ReportRevenueFigure | null;
  /**
   * The figures per channel (values carry a channel since issue 13). Absent from snapshots taken
   * before, and null without any channel data: no channel section then.
   */
  readonly channels?: ReportChannels | null;
  /** What this version corrects since an earlier one (restatements, #15); absent or null otherwise. */
  readonly corrections?: ReportCorrections | null;
  /**
   * The KPIs (names, in the report's language) whose data was still incomplete when the readiness
   * gate's cap date forced a scheduled report out (#15); absent or null when the data was complete.
   */
  readonly incompleteKpis?: readonly string[] | null;
  /** The project manager's analysis: paragraphs, line breaks and **bold** only. */
  readonly commentary: string | null;
  /** Editable paragraphs; when empty the renderer drafts them from the numbers. */
  readonly narrative: readonly string[];
}
