import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AnalyticsService, loadAgencyCatalog } from '@pilotage/analytics';
import { APP_CONFIG, type AppConfig } from '@pilotage/config';
import {
  findAlertSettings,
  findEvaluatedAlerts,
  findMetricDays,
  findVisibleClient,
  insertAlert,
  lockForTransaction,
  refreshAlert,
  resolveAlertsByEvaluation,
  runWithTenant,
  systemContext,
  TenantDatabase,
  type AlertEntity,
  type AlertFindingRow,
  type AlertSettingEntity,
  type ClientEntity,
} from '@pilotage/database';
import { DomainEvents } from '@pilotage/events';
import {
  addDays,
  alertMessage,
  alertPeriodKey,
  dedupKeyOf,
  detectAnomaly,
  detectNoData,
  elapsedFraction,
  localDate,
  monthPeriod,
  noDataDaysFor,
  periodsBetween,
  statusAlertOf,
  type AlertFinding,
  type Sensitivity,
} from '@pilotage/kpi';
import { formatKpiValue } from '@pilotage/reporting';

/** What one evaluation did. */
export interface AlertEvaluationResult {
  readonly opened: number;
  readonly updated: number;
  readonly resolved: number;
}

/** Days of daily series read for anomalies: the judged day and the same weekday of the 8 weeks before it. */
const ANOMALY_WINDOW_DAYS = 8 * 7;
/** Days of metric values read for the no-data rule: the 28-day cadence window before the last value, and a margin for the outage itself. */
const NO_DATA_WINDOW_DAYS = 60;

/** A client's effective setting of a KPI: the KPI's row wins over the client's ('' key), else not muted, NORMAL. */
function settingOf(settings: readonly AlertSettingEntity[], kpiKey: string): { muted: boolean; sensitivity: Sensitivity } {
  const client = settings.find((setting) => setting.kpiKey === '');
  const kpi = settings.find((setting) => setting.kpiKey === kpiKey);
  return { muted: (client?.muted ?? false) || (kpi?.muted ?? false), sensitivity: kpi?.sensitivity ?? client?.sensitivity ?? 'NORMAL' };
}

/**
 * The days a KPI has a value: those where every metric of its formula has one (a conversion rate
 * of orders over sessions has none while the orders never came, whatever the sessions).
 */
function kpiDays(metricKeys: readonly string[], metricDays: ReadonlyMap<string, readonly string[]>): string[] {
  const [first, ...others] = metricKeys.map((metricKey) => new Set(metricDays.get(metricKey) ?? []));
  if (first === undefined) return [];
  return [...first].filter((day) => others.every((days) => days.has(day)));
}

/**
 * Evaluates the alert rules of libs/kpi on each KPI of a client's ACTIVE plan and brings its
 * alerts in line, in ONE tenant transaction (one snapshot, a handful of queries whatever the
 * number of KPIs): the month's scorecard (status with pacing), the daily series of the last 8
 * weeks (anomalies of yesterday, the last complete day), the days with values of every metric
 * (no data), the settings, the client's alerts; then the writes and their events.
 *
 * - a finding whose key does not exist opens an alert (OPEN); a RESOLVED alert of the same key is
 *   not reopened for the same period (the period is in the key);
 * - an OPEN or ACKNOWLEDGED alert found again gets its numbers updated (no write when equal);
 * - an OPEN or ACKNOWLEDGED STATUS or NO_DATA alert whose condition no longer holds is RESOLVED
 *   (resolved_by null). An ANOMALY is about a past day: it stays until a person resolves it;
 * - muted (client or KPI): nothing opens; open alerts stay.
 * Idempotent: a second evaluation over the same values writes nothing.
 */
@Injectable()
export class AlertEvaluator {
  constructor(
    private readonly db: TenantDatabase,
    private readonly analytics: AnalyticsService,
    private readonly events: DomainEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Under the agency's system tenant. `today`: the client's local date (default: now in its time zone). */
  evaluateClient(agencyId: string, clientId: string, today?: string): Promise<AlertEvaluationResult> {
    return runWithTenant(systemContext(agencyId), () =>
      this.db.run(async (manager) => {
        const client = await findVisibleClient(manager, clientId);
        return this.evaluateIn(manager, client, today ?? localDate(new Date(), client.timeZone));
      }),
    );
  }

  /** The evaluation inside the caller's tenant transaction (the daily tick evaluates its clients one transaction each). */
  async evaluateIn(manager: EntityManager, client: ClientEntity, today: string): Promise<AlertEvaluationResult> {
    // One evaluation of a client at a time (its job after an import and the daily tick may meet):
    // the second reads the alerts the first committed, so it neither opens one twice nor fails on the key.
    await lockForTransaction(manager, `alerts:${client.agencyId}:${client.id}`);
    const catalog = await loadAgencyCatalog(manager);
    const scope = { manager, client, catalog };
    const scorecard = await this.analytics.monthScorecardIn(scope, today.slice(0, 7), today);
    const kpiKeys = scorecard.rows.map((row) => row.kpiKey);
    const settings = await findAlertSettings(manager, client.agencyId, client.id);
    const findings = new Map<string, { kpiKey: string; finding: AlertFinding; row: AlertFindingRow }>();
    if (kpiKeys.length > 0) {
      const yesterday = addDays(today, -1);
      const seriesFrom = addDays(yesterday, -ANOMALY_WINDOW_DAYS);
      const series = await this.analytics.kpiSeriesIn(scope, { kpiKeys, grain: 'DAY', locale: client.locale }, periodsBetween(seriesFrom, yesterday, 'DAY'));
      const metricDays = await findMetricDays(manager, client.agencyId, client.id, catalog.metricsOfKpis(kpiKeys), addDays(today, -NO_DATA_WINDOW_DAYS));
      const elapsedMonth = elapsedFraction(monthPeriod(Number(today.slice(0, 4)), Number(today.slice(5, 7))), today);
      for (const row of scorecard.rows) {
        const setting = settingOf(settings, row.kpiKey);
        const add = (finding: AlertFinding | null): void => {
          if (finding === null) return;
          const dedupKey = dedupKeyOf(finding, row.kpiKey);
          const format = (value: number): string =>
            formatKpiValue(value, row.unit, { locale: client.locale, currency: client.currency, formattingLocale: client.formattingLocale ?? undefined });
          findings.set(dedupKey, {
            kpiKey: row.kpiKey,
            finding,
            row: {
              rule: finding.rule,
              kpiKey: row.kpiKey,
              periodKey: alertPeriodKey(finding),
              dedupKey,
              severity: finding.rule === 'STATUS' ? finding.severity : 'WARNING',
              message: alertMessage(finding, { locale: client.locale, kpiName: row.name, format }),
              details: { ...finding, unit: row.unit, sensitivity: setting.sensitivity },
            },
          });
        };
        add(
          statusAlertOf({
            status: row.status,
            value: row.value,
            target: row.target,
            expected: row.expected,
            attainment: row.attainment,
            elapsedFraction: elapsedMonth,
            month: today.slice(0, 7),
          }),
        );
        add(detectNoData(kpiDays(catalog.metricsOfKpis([row.kpiKey]), metricDays), today, noDataDaysFor(this.config.alerts.noDataDays, setting.sensitivity)));
        const points = series.find((candidate) => candidate.kpiKey === row.kpiKey)?.points ?? [];
        add(detectAnomaly(new Map(points.map((point) => [point.start, point.value])), yesterday, setting.sensitivity));
      }
    }
    const existing = await findEvaluatedAlerts(manager, client.agencyId, client.id, [...findings.keys()]);
    const byKey = new Map(existing.map((alert) => [alert.dedupKey, alert]));
    let opened = 0;
    let updated = 0;
    for (const [dedupKey, { kpiKey, row }] of findings) {
      const alert = byKey.get(dedupKey);
      if (alert === undefined) {
        if (settingOf(settings, kpiKey).muted) continue;
        const created = await insertAlert(manager, client.agencyId, client.id, randomUUID(), row);
        await this.announce(manager, 'alert.opened', created);
        opened += 1;
      } else if (alert.status !== 'RESOLVED' && (await refreshAlert(manager, client.agencyId, alert.id, row))) {
        updated += 1;
      }
    }
    // STATUS and NO_DATA describe a state that can end; an ANOMALY is a fact about its day.
    const gone = existing.filter((alert) => alert.status !== 'RESOLVED' && alert.rule !== 'ANOMALY' && !findings.has(alert.dedupKey));
    const resolvedIds = new Set(
      await resolveAlertsByEvaluation(
        manager,
        client.agencyId,
        gone.map((alert) => alert.id),
      ),
    );
    for (const alert of gone.filter((candidate) => resolvedIds.has(candidate.id))) {
      await this.announce(manager, 'alert.resolved', { ...alert, status: 'RESOLVED' });
    }
    return { opened, updated, resolved: resolvedIds.size };
  }

  private async announce(manager: EntityManager, type: 'alert.opened' | 'alert.resolved', alert: AlertEntity): Promise<void> {
    await this.events.emit(manager, {
      type,
      agencyId: alert.agencyId,
      clientId: alert.clientId,
      data: {
        alertId: alert.id,
        rule: alert.rule,
        kpiKey: alert.kpiKey,
        periodKey: alert.periodKey,
        severity: alert.severity,
        status: alert.status,
        message: alert.message,
      },
    });
  }
}
