/**
 * Which KPI values stand on figures a failing connection no longer brings (issue #14): a KPI is
 * STALE over a period when a metric it reads (its formula's references, KPIs over KPIs followed
 * down: AgencyCatalog.requiredMetrics) has values from an unhealthy connection whose figures stop
 * before the period's end. Pure: the feeds are read once per request by the caller.
 */

/** The statuses of a connection whose figures have stopped coming (a REVOKED one was ended on purpose). */
export const UNHEALTHY_FEED_STATUSES = ['NEEDS_REAUTHORIZATION', 'FAILING'] as const;
export type UnhealthyFeedStatus = (typeof UNHEALTHY_FEED_STATUSES)[number];

/** A connection of the client that no longer syncs, and the metrics its source has values for. */
export interface UnhealthyFeed {
  /** The platform (GA4, GOOGLE_ADS, META_ADS, SEARCH_CONSOLE). */
  readonly provider: string;
  readonly accountId: string;
  readonly accountName: string | null;
  /** The `source` its values are written under. */
  readonly source: string;
  readonly status: UnhealthyFeedStatus;
  /** Why it does not sync, in words for the agency; null when none was recorded. */
  readonly lastError: string | null;
  /** Last day its figures were pulled for (inclusive); null when none ever were. */
  readonly dataThrough: string | null;
  /** Metrics its source has values for. */
  readonly metricKeys: readonly string[];
}

/** A connection a KPI value depends on that stopped syncing before the period's end. */
export interface StaleSource {
  readonly provider: string;
  readonly accountId: string;
  /** The account's name on the platform, or its id when the platform gave none. */
  readonly accountName: string;
  readonly source: string;
  readonly status: UnhealthyFeedStatus;
  readonly reason: string | null;
  readonly dataThrough: string | null;
}

/** Whether a feed lacks days of a period ending on `periodEnd`: nothing pulled yet, or pulled through an earlier day. */
export function feedStopsBefore(feed: Pick<UnhealthyFeed, 'dataThrough'>, periodEnd: string): boolean {
  return feed.dataThrough === null || feed.dataThrough < periodEnd;
}

/**
 * The unhealthy feeds a value over metrics `metricKeys` and a period ending on `periodEnd`
 * stands on, in the feeds' order. `onlySource` limits them to one source (a breakdown's group
 * by source: another source's failure does not touch it).
 */
export function staleSourcesOf(
  metricKeys: readonly string[],
  periodEnd: string,
  feeds: readonly UnhealthyFeed[],
  onlySource: string | null = null,
): StaleSource[] {
  if (feeds.length === 0 || metricKeys.length === 0) return [];
  const read = new Set(metricKeys);
  return feeds
    .filter((feed) => (onlySource === null || feed.source === onlySource) && feedStopsBefore(feed, periodEnd))
    .filter((feed) => feed.metricKeys.some((metricKey) => read.has(metricKey)))
    .map((feed) => ({
      provider: feed.provider,
      accountId: feed.accountId,
      accountName: feed.accountName ?? feed.accountId,
      source: feed.source,
      status: feed.status,
      reason: feed.lastError,
      dataThrough: feed.dataThrough,
    }));
}

/** The stale sources of every KPI value of a request, from the feeds read once (no query per KPI). */
export class KpiFreshness {
  private readonly metricsByKpi = new Map<string, readonly string[]>();

  constructor(
    /** The metrics a KPI reads, KPIs over KPIs followed down (AgencyCatalog.requiredMetrics); [] for an unknown KPI. */
    private readonly requiredMetrics: (kpiKey: string) => readonly string[],
    readonly feeds: readonly UnhealthyFeed[],
  ) {}

  /** The unhealthy feeds `kpiKey` over a period ending on `periodEnd` stands on (empty: its figures are fresh). */
  ofKpi(kpiKey: string, periodEnd: string, onlySource: string | null = null): StaleSource[] {
    if (this.feeds.length === 0) return [];
    return staleSourcesOf(this.metricsOf(kpiKey), periodEnd, this.feeds, onlySource);
  }

  /** The unhealthy feeds a value over metrics and KPIs stands on (a funnel step: its count and its rate). */
  of(keys: { metricKeys?: readonly string[]; kpiKeys?: readonly string[] }, periodEnd: string, onlySource: string | null = null): StaleSource[] {
    if (this.feeds.length === 0) return [];
    const metricKeys = [...(keys.metricKeys ?? []), ...(keys.kpiKeys ?? []).flatMap((kpiKey) => this.metricsOf(kpiKey))];
    return staleSourcesOf(metricKeys, periodEnd, this.feeds, onlySource);
  }

  private metricsOf(kpiKey: string): readonly string[] {
    let metrics = this.metricsByKpi.get(kpiKey);
    if (metrics === undefined) {
      metrics = this.requiredMetrics(kpiKey);
      this.metricsByKpi.set(kpiKey, metrics);
    }
    return metrics;
  }
}
